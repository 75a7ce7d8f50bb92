"""knowledge/ is what knowledge/import_quebec.py makes of ../shared/data/quebec/."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

from tests.conftest import PYTHON, ROOT

SOURCE = ROOT.parent / "shared" / "data" / "quebec"
GENERATED = [
    "knowledge/regions.csv",
    "knowledge/municipalities.csv",
    "knowledge/school_centres.csv",
    "knowledge/adult_education_centres.csv",
    "knowledge/growth_sectors.csv",
    "knowledge/organisations.csv",
    "data/nlu/lookups/places.yml",
]


@pytest.mark.skipif(not SOURCE.exists(), reason="the source data (../shared/data/quebec) is not beside this clone")
def test_import_reproduces_the_committed_knowledge(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "knowledge", copy / "knowledge")
    (copy / "data" / "nlu" / "lookups").mkdir(parents=True)
    for name in GENERATED:
        (copy / name).unlink(missing_ok=True)
    result = subprocess.run(
        [PYTHON, str(copy / "knowledge" / "import_quebec.py"), str(SOURCE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    for name in GENERATED:
        assert (copy / name).read_bytes() == (ROOT / name).read_bytes(), name


@pytest.mark.skipif(not SOURCE.exists(), reason="the source data (../shared/data/quebec) is not beside this clone")
def test_every_census_municipality_of_5000_people_has_its_figures():
    """Merged after 2021 (Amos, Plessisville), a municipality keeps its census figures."""
    with (SOURCE / "statcan_2021_quebec_csd_with_region.csv").open(encoding="utf-8", newline="") as f:
        towns = {r["sgc_code"]: r for r in csv.DictReader(f) if r["pop2021"] and int(r["pop2021"]) >= 5_000}
    with (ROOT / "knowledge" / "municipalities.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["population_2021"]]
    covered = {code for r in rows for code in r["census_codes"].split(";")}
    assert set(towns) <= covered, sorted(towns[c]["name"] for c in set(towns) - covered)
    amos = next(r for r in rows if r["name"] == "Amos")
    assert (amos["population_2021"], amos["census_codes"]) == ("12675", "2488055")
    plessisville = next(r for r in rows if r["name"] == "Plessisville")  # the town and the parish, merged
    assert (plessisville["population_2021"], plessisville["census_codes"]) == ("9069", "2432040;2432045")
