"""Load knowledge/ into the database. Idempotent: reference data (regions,
municipalities, schools, sectors) is replaced by what knowledge/ says; organisations
already in the database are left as counsellors keep them, new ones are added."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import (
    AdultEducationCentre,
    GrowthSectors,
    Municipality,
    Organisation,
    Region,
    SchoolCentre,
)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _int(value: str) -> int | None:
    return int(value) if value.strip() else None


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


def _text(value: str) -> str | None:
    return value.strip() or None


def _translations(path: Path, key: Iterable[str]) -> dict[tuple[str, ...], dict[str, str]]:
    if not path.exists():
        return {}
    return {tuple(r[k] for k in key): r for r in _rows(path)}


def seed(session: Session, knowledge: Path) -> dict[str, int]:
    """Load every knowledge file; returns the number of rows per table."""
    for region in _rows(knowledge / "regions.csv"):
        session.merge(
            Region(
                code=region["code"],
                name=region["name"],
                population_2021=int(region["population_2021"]),
                population_2016=int(region["population_2016"]),
                land_area_km2=float(region["land_area_km2"]),
            )
        )
    for m in _rows(knowledge / "municipalities.csv"):
        session.merge(
            Municipality(
                code=m["code"],
                name=m["name"],
                designation=m["designation"],
                region_code=m["region_code"],
                mrc=_text(m["mrc"]),
                population_2021=_int(m["population_2021"]),
                population_2016=_int(m["population_2016"]),
                land_km2=_float(m["land_km2"]),
                density_2021=_float(m["density_2021"]),
                population_decree=_int(m["population_decree"]),
                lat=_float(m["lat"]),
                lon=_float(m["lon"]),
                website=_text(m["website"]),
            )
        )
    for table in (SchoolCentre, AdultEducationCentre, GrowthSectors):
        session.execute(delete(table))
    session.add_all(
        SchoolCentre(
            code=s["code"],
            name=s["name"],
            language=s["language"],
            website=_text(s["website"]),
            region_code=s["region_code"],
            buildings_in_region=_int(s["buildings_in_region"]),
        )
        for s in _rows(knowledge / "school_centres.csv")
    )
    session.add_all(
        AdultEducationCentre(
            code=a["code"],
            name=a["name"],
            school_centre_code=a["school_centre_code"],
            region_code=a["region_code"],
            municipalities=a["municipalities"],
        )
        for a in _rows(knowledge / "adult_education_centres.csv")
    )
    sectors_fr = _translations(knowledge / "growth_sectors_fr.csv", ("region_code", "source_url"))
    session.add_all(
        GrowthSectors(
            region_code=g["region_code"],
            sectors=g["sectors"],
            sectors_fr=sectors_fr.get((g["region_code"], g["source_url"]), {}).get("sectors_fr"),
            source_url=g["source_url"],
            year=g["year"],
            source_type=g["source_type"],
            confidence=g["confidence"],
        )
        for g in _rows(knowledge / "growth_sectors.csv")
    )
    _seed_organisations(session, knowledge)
    session.flush()
    return {
        table.__tablename__: session.query(table).count()
        for table in (Region, Municipality, SchoolCentre, AdultEducationCentre, GrowthSectors, Organisation)
    }


def _seed_organisations(session: Session, knowledge: Path) -> None:
    known = set(session.execute(select(Organisation.name, Organisation.region_code)).all())
    organisations_fr = _translations(knowledge / "organisations_fr.csv", ("name", "region_code"))
    for o in _rows(knowledge / "organisations.csv"):
        if (o["name"], o["region_code"]) in known:
            continue
        fr = organisations_fr.get((o["name"], o["region_code"]), {})
        session.add(
            Organisation(
                name=o["name"],
                org_type=o["org_type"],
                org_type_fr=fr.get("org_type_fr"),
                region_code=o["region_code"],
                city=_text(o["city"]),
                services=o["services"],
                services_fr=fr.get("services_fr"),
                website=_text(o["website"]),
                source_url=o["source_url"],
                date_seen=o["date_seen"],
                confidence=o["confidence"],
                notes=_text(o["notes"]),
            )
        )
