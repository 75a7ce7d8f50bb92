"""Rebuild knowledge/ from the Québec open data in ../shared/data/quebec/.

Reproducible: run `make knowledge` (or `python knowledge/import_quebec.py [SOURCE_DIR]`);
the output is committed so a fresh clone needs no source data at run time.
Sources and licences: knowledge/SOURCES.md.

Writes:
  knowledge/regions.csv                  17 administrative regions (census 2021)
  knowledge/municipalities.csv           MAMH municipalities joined to census 2021 figures and coordinates
  knowledge/school_centres.csv           school service centres per region they serve
  knowledge/adult_education_centres.csv  adult-education centres (where francisation is often given)
  knowledge/growth_sectors.csv           hand-sourced growth sectors (kept with source, year, confidence)
  knowledge/organisations.csv            hand-sourced organisations (kept with source, date seen, confidence)
  data/nlu/lookups/places.yml            NLU lookup tables (regions, municipalities) and region synonyms
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
LOOKUPS = ROOT / "data" / "nlu" / "lookups" / "places.yml"
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "quebec"

CODE_IN_PARENS = re.compile(r"\((\d{2})\)")

AMBIGUOUS_NAMES = KNOWLEDGE / "ambiguous_place_names.txt"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    print(f"wrote {len(rows):5d} rows  {path.relative_to(ROOT)}")


def read_ambiguous_names(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def code_in_parens(text: str) -> str:
    """The two-digit code MAMH and the ministry write after a name: "Abitibi (88)" -> "88"."""
    match = CODE_IN_PARENS.search(text)
    return match.group(1) if match else ""


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def import_regions(src: Path) -> list[dict]:
    rows = [
        {
            "code": r["region_code"],
            "name": r["region_name"],
            "population_2021": r["population_2021_census"],
            "population_2016": r["population_2016_census"],
            "land_area_km2": r["land_area_km2_2021"],
            "n_census_subdivisions": r["n_csd"],
        }
        for r in read_csv(src / "quebec_admin_regions_2021.csv")
    ]
    write_csv(KNOWLEDGE / "regions.csv", rows, list(rows[0]))
    return rows


def census_division(census_code: str) -> str:
    """The census division (an MRC's territory) of a census subdivision: "2488055" -> "88"."""
    return census_code[2:4]


def merged_census(mamh: list[dict], census: list[dict]) -> dict[str, list[dict]]:
    """Census rows of the municipalities whose MAMH code changed after 2021 (merged, or moved to
    another MRC), keyed by today's code: same name in the same census division. The town and the
    parish of Plessisville both merged into today's Plessisville, so both are kept, and summed."""
    current = {m["mcode"] for m in mamh}
    former = defaultdict(list)
    for c in census:
        if c["sgc_code"][2:] not in current:
            former[(c["name"], census_division(c["sgc_code"]))].append(c)
    return {
        m["mcode"]: former[(m["munnom"], code_in_parens(m["divrec"]))]
        for m in mamh
        if (m["munnom"], code_in_parens(m["divrec"])) in former
    }


def census_figures(rows: list[dict]) -> dict[str, str]:
    """Census 2021 figures of one municipality, from one census subdivision or the sum of those it merged."""
    if not rows:
        return {}
    if len(rows) == 1:
        c = rows[0]
        return {k: c[k] for k in ("pop2021", "pop2016", "land_km2", "density")} | {"codes": c["sgc_code"]}
    population = sum(int(c["pop2021"]) for c in rows)
    land = sum(float(c["land_km2"]) for c in rows)
    return {
        "pop2021": str(population),
        "pop2016": str(sum(int(c["pop2016"]) for c in rows)),
        "land_km2": f"{land:.2f}",
        "density": f"{population / land:.1f}",
        "codes": ";".join(sorted(c["sgc_code"] for c in rows)),
    }


def import_municipalities(src: Path) -> list[dict]:
    census_rows = read_csv(src / "statcan_2021_quebec_csd_with_region.csv")
    census = {r["sgc_code"][2:]: [r] for r in census_rows}
    mamh = read_csv(src / "mun_mamh_2026_trimmed.csv")
    merged = merged_census(mamh, census_rows)
    coords = {r["mcode"]: r for r in read_csv(src / "mun_coords_approx.csv")}
    rows = []
    for m in mamh:
        c = census_figures(census.get(m["mcode"]) or merged.get(m["mcode"], []))
        xy = coords.get(m["mcode"], {})
        rows.append(
            {
                "code": m["mcode"],
                # MAMH writes the en dash of official names as "--" (Métabetchouan–Lac-à-la-Croix).
                "name": m["munnom"].replace("--", "–"),
                "designation": m["mdes"],
                "region_code": code_in_parens(m["regadm"]),
                "mrc": m["mrc"],
                "population_2021": c.get("pop2021", ""),
                "population_2016": c.get("pop2016", ""),
                "land_km2": c.get("land_km2", ""),
                "density_2021": c.get("density", ""),
                "population_decree": m["mpopul"],
                "lat": xy.get("lat", ""),
                "lon": xy.get("lon", ""),
                "website": m["mweb"],
                # Where the census figures come from: its own code, or the former municipality
                # of the same name and MRC when the code changed after 2021 (merger, new MRC).
                "census_codes": c.get("codes", ""),
            }
        )
    rows.sort(key=lambda r: (r["region_code"], fold(r["name"]), r["code"]))
    write_csv(KNOWLEDGE / "municipalities.csv", rows, list(rows[0]))
    return rows


def import_school_centres(src: Path) -> None:
    rows = []
    for c in read_csv(src / "css_centres_services_scolaires_2022.csv"):
        for served in c["admin_regions"].split(";"):
            count = re.search(r"\[(\d+)\]", served)
            rows.append(
                {
                    "code": c["css_code"],
                    "name": c["css_name"],
                    "language": {"Franco": "fr", "Anglo": "en"}.get(c["lang_type"], "special"),
                    "website": c["web"],
                    "region_code": code_in_parens(served),
                    "buildings_in_region": count.group(1) if count else "",
                    "adult_education_buildings": c["n_adult_ed_buildings"],
                }
            )
    rows.sort(key=lambda r: (r["region_code"], r["language"], fold(r["name"])))
    write_csv(KNOWLEDGE / "school_centres.csv", rows, list(rows[0]))

    centres: dict[str, dict] = {}
    for b in read_csv(src / "css_school_buildings_2022.csv"):
        if b["adulte"] != "1" or not code_in_parens(b["admin_region"]):
            continue
        centre = centres.setdefault(
            b["school_code"],
            {
                "code": b["school_code"],
                "name": b["school_name"],
                "school_centre_code": b["css_code"],
                "region_code": code_in_parens(b["admin_region"]),
                "municipalities": set(),
            },
        )
        centre["municipalities"].add(b["municipality"])
    adult = [{**c, "municipalities": "; ".join(sorted(c["municipalities"], key=fold))} for c in centres.values()]
    adult.sort(key=lambda r: (r["region_code"], fold(r["name"])))
    write_csv(KNOWLEDGE / "adult_education_centres.csv", adult, list(adult[0]))


def import_sourced(src: Path) -> None:
    sectors = read_csv(src / "growth_sectors_sourced.csv")
    write_csv(KNOWLEDGE / "growth_sectors.csv", sectors, list(sectors[0]))
    organisations = read_csv(src / "organisations_regions_sourced.csv")
    write_csv(KNOWLEDGE / "organisations.csv", organisations, list(organisations[0]))


def write_lookups(regions: list[dict], municipalities: list[dict]) -> None:
    aliases = yaml.safe_load((KNOWLEDGE / "region_aliases.yml").read_text(encoding="utf-8"))
    region_names = [r["name"] for r in regions]
    unknown = set(aliases) - set(region_names)
    if unknown:
        raise SystemExit(f"region_aliases.yml names unknown regions: {sorted(unknown)}")

    def variants(name: str) -> list[str]:
        return sorted({name, fold(name)})

    def spaced_variants(name: str) -> list[str]:
        # "bas saint laurent": people often drop the hyphens of region names
        return sorted({v for n in variants(name) for v in (n, n.replace("-", " "))})

    region_lookup = sorted({v for n in region_names for v in spaced_variants(n)})
    region_lookup += sorted(
        {v for n in region_names for a in aliases[n] for v in spaced_variants(a)} - set(region_lookup)
    )
    ambiguous = read_ambiguous_names(AMBIGUOUS_NAMES)
    city_aliases = yaml.safe_load((KNOWLEDGE / "city_aliases.yml").read_text(encoding="utf-8"))
    unknown = set(city_aliases) - {m["name"] for m in municipalities}
    if unknown:
        raise SystemExit(f"city_aliases.yml names unknown municipalities: {sorted(unknown)}")
    cities = sorted(
        {v for m in municipalities if m["name"] not in ambiguous for v in variants(m["name"])}
        | {v for names in city_aliases.values() for a in names for v in variants(a)}
    )
    synonyms = defaultdict(set)
    # Unaccented spellings and short names give the official municipality name.
    for m in municipalities:
        if m["name"] not in ambiguous and fold(m["name"]) != m["name"]:
            synonyms[m["name"]].add(fold(m["name"]))
    for name, names in city_aliases.items():
        synonyms[name].update(v for a in names for v in variants(a))
    for name in region_names:
        for alias in aliases[name]:
            synonyms[name].update(spaced_variants(alias))
        synonyms[name].update(spaced_variants(name))
        synonyms[name].discard(name)
    nlu = [{"lookup": "region", "examples": _bullets(region_lookup)}]
    nlu.append({"lookup": "city", "examples": _bullets(cities)})
    nlu += [{"synonym": name, "examples": _bullets(sorted(values))} for name, values in sorted(synonyms.items())]
    LOOKUPS.parent.mkdir(parents=True, exist_ok=True)
    header = "# Generated by knowledge/import_quebec.py from knowledge/ — do not edit by hand.\n"
    body = yaml.dump(
        {"version": "3.1", "nlu": nlu},
        Dumper=_LiteralDumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )
    LOOKUPS.write_text(header + body, encoding="utf-8")
    print(f"wrote {len(region_lookup)} region and {len(cities)} city lookups  {LOOKUPS.relative_to(ROOT)}")


class _Literal(str):
    pass


class _LiteralDumper(yaml.SafeDumper):
    pass


_LiteralDumper.add_representer(_Literal, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style="|"))


def _bullets(values: list[str]) -> _Literal:
    return _Literal("".join(f"- {v}\n" for v in values))


def main(src: Path = DEFAULT_SOURCE) -> None:
    if not (src / "quebec_admin_regions_2021.csv").exists():
        raise SystemExit(f"source data not found in {src}")
    regions = import_regions(src)
    municipalities = import_municipalities(src)
    import_school_centres(src)
    import_sourced(src)
    write_lookups(regions, municipalities)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
