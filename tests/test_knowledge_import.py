"""knowledge/ is what knowledge/import_quebec.py makes of ../shared/data/quebec/."""

from __future__ import annotations

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
