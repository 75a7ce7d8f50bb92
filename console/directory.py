"""The shared directory of regional organisations (Tool 4) as counsellors keep it: the
grid's columns, export to CSV and Excel, and an import that checks every row first and
changes nothing when one row is wrong."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Organisation, Region
from console.transcripts import safe_cell

# The grid's columns, in the order counsellors see them in their spreadsheet.
COLUMNS = (
    "id", "name", "region", "city", "org_type", "services", "contact_person", "collaboration",
    "website", "verified_on", "retired", "source_url", "date_seen", "confidence", "notes",
)  # fmt: skip
REQUIRED = ("name", "region", "org_type", "services")
STALE_AFTER = timedelta(days=365)
MAX_ROWS = 5000
URL = re.compile(r"^https?://\S+$")
# Websites are often written without their scheme ("placeauxjeunes.qc.ca").
WEBSITE = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?$")
YES = {"yes", "oui", "true", "1", "x"}
NO = {"no", "non", "false", "0", ""}


def freshness(organisation: Organisation, today: date) -> str:
    """verified, stale (checked over a year ago) or unverified (never checked)."""
    if organisation.verified_on is None:
        return "unverified"
    return "stale" if today - organisation.verified_on > STALE_AFTER else "verified"


def as_row(organisation: Organisation, region_names: dict[str, str]) -> dict[str, str]:
    values = {
        "id": str(organisation.id),
        "name": organisation.name,
        "region": region_names.get(organisation.region_code, organisation.region_code),
        "city": organisation.city or "",
        "org_type": organisation.org_type_fr or organisation.org_type,
        "services": organisation.services_fr or organisation.services,
        "contact_person": organisation.contact_person or "",
        "collaboration": organisation.collaboration or "",
        "website": organisation.website or "",
        "verified_on": organisation.verified_on.isoformat() if organisation.verified_on else "",
        "retired": "oui" if organisation.retired else "non",
        "source_url": organisation.source_url,
        "date_seen": organisation.date_seen,
        "confidence": organisation.confidence,
        "notes": organisation.notes or "",
    }
    return {k: safe_cell(v) for k, v in values.items()}


def region_names(session: Session) -> dict[str, str]:
    return {r.code: r.name for r in session.scalars(select(Region))}


def export_rows(session: Session) -> list[dict[str, str]]:
    names = region_names(session)
    organisations = session.scalars(select(Organisation).order_by(Organisation.region_code, Organisation.name))
    return [as_row(o, names) for o in organisations]


def to_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read the accents


def to_xlsx(rows: list[dict[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Organismes"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class UploadError(ValueError):
    """A file that cannot be read at all (wrong type, not a table)."""


def read_upload(filename: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a .csv (UTF-8, comma or semicolon) or .xlsx file, as text."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not content.startswith(b"PK\x03\x04"):
            raise UploadError("not_xlsx")
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise UploadError("not_xlsx") from error
        table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        try:
            decoded = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UploadError("not_utf8") from error
        dialect = csv.Sniffer().sniff(decoded.splitlines()[0] if decoded else ",", delimiters=",;")
        table = list(csv.reader(io.StringIO(decoded), dialect))
    else:
        raise UploadError("wrong_type")
    if not table:
        raise UploadError("empty")
    table = [[_unquoted(c) for c in row] for row in table]
    header = [h.strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UploadError("missing_columns:" + ",".join(missing))
    rows = [dict(zip(header, [c.strip() for c in r], strict=False)) for r in table[1:] if any(c.strip() for c in r)]
    if len(rows) > MAX_ROWS:
        raise UploadError("too_many_rows")
    return rows


def _unquoted(cell: str) -> str:
    """Undo the apostrophe our export puts before formula-like cells."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, problem)


def check_row(row: dict[str, str], regions: dict[str, str]) -> list[tuple[str, str]]:
    """What is wrong with one row, as (column, problem) pairs."""
    problems = [(c, "required") for c in REQUIRED if not row.get(c)]
    if row.get("region") and _region_code(row["region"], regions) is None:
        problems.append(("region", "unknown_region"))
    for column, pattern in (("website", WEBSITE), ("source_url", URL)):
        if row.get(column) and not pattern.match(row[column]):
            problems.append((column, "not_a_link"))
    if row.get("verified_on"):
        try:
            date.fromisoformat(row["verified_on"][:10])
        except ValueError:
            problems.append(("verified_on", "not_a_date"))
    if row.get("retired", "").lower() not in YES | NO:
        problems.append(("retired", "yes_or_no"))
    if row.get("id") and not row["id"].isdigit():
        problems.append(("id", "not_a_number"))
    return problems


def _region_code(value: str, regions: dict[str, str]) -> str | None:
    by_name = {name.lower(): code for code, name in regions.items()}
    return value if value in regions else by_name.get(value.strip().lower())


def import_rows(session: Session, rows: list[dict[str, str]], today: date) -> ImportResult:
    """Every row is checked before anything is written: one wrong row, nothing imported."""
    regions = region_names(session)
    result = ImportResult()
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        result.errors += [(line, column, problem) for column, problem in check_row(row, regions)]
        if row.get("id") and row["id"].isdigit() and session.get(Organisation, int(row["id"])) is None:
            result.errors.append((line, "id", "unknown_id"))
    if result.errors:
        return result
    for row in rows:
        organisation = session.get(Organisation, int(row["id"])) if row.get("id") else None
        if organisation is None:
            organisation = Organisation(
                source_url=row.get("source_url") or "", date_seen=today.isoformat(), confidence="medium"
            )
            session.add(organisation)
            result.created += 1
        else:
            result.updated += 1
        apply_row(organisation, row, regions)
    return result


def apply_row(organisation: Organisation, row: dict[str, Any], regions: dict[str, str]) -> None:
    organisation.name = row["name"]
    organisation.region_code = _region_code(row["region"], regions)
    # The grid is in French; a new row has no English wording yet, so it shows the French.
    organisation.org_type_fr, organisation.services_fr = row["org_type"], row["services"]
    organisation.org_type = organisation.org_type or row["org_type"]
    organisation.services = organisation.services or row["services"]
    organisation.city = row.get("city") or None
    organisation.contact_person = row.get("contact_person") or None
    organisation.collaboration = row.get("collaboration") or None
    organisation.website = row.get("website") or None
    organisation.notes = row.get("notes") or None
    organisation.verified_on = date.fromisoformat(row["verified_on"][:10]) if row.get("verified_on") else None
    organisation.retired = (row.get("retired") or "").lower() in YES
    if row.get("source_url"):
        organisation.source_url = row["source_url"]
