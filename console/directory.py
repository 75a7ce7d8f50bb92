"""The shared directory of regional organisations (Tool 4) as counsellors keep it: the
grid's columns, export to CSV and Excel, and an import that checks every row first and
changes nothing when one row is wrong."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Organisation, Region
from app.organisations import is_stale
from console.transcripts import safe_cell

# The grid's columns, in the order counsellors see them in their spreadsheet.
COLUMNS = (
    "id", "name", "region", "city", "org_type", "services", "contact_person", "collaboration",
    "website", "verified_on", "retired", "source_url", "date_seen", "confidence", "notes",
)  # fmt: skip
REQUIRED = ("name", "region", "org_type", "services")
BOUNDED = ("name", "org_type", "city", "contact_person", "collaboration", "website", "source_url")  # String(n) columns
MAX_ROWS = 5000
# Reading is bounded by what the grid needs, never by what a file declares about itself.
MAX_COLUMNS = len(COLUMNS) + 5  # the grid's columns and a small margin; nothing further right is read
MAX_LINES = 10 * MAX_ROWS  # lines read at most, blank ones included (a sheet can skip to row 1,048,576)
MAX_XLSX_MEMBERS = 200
MAX_XLSX_UNZIPPED = 50 * 1024 * 1024  # a 2 MB workbook of text unzips to a few MB; more is a zip bomb
SNIFF_CHARS = 4096
URL = re.compile(r"^https?://\S+$")
# Websites are often written without their scheme ("placeauxjeunes.qc.ca").
WEBSITE = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?$")
YES = {"yes", "oui", "true", "1", "x"}
NO = {"no", "non", "false", "0", ""}


def freshness(organisation: Organisation, today: date) -> str:
    """verified, stale (not confirmed within ORGANISATION_STALE_AFTER_DAYS) or unverified (never
    checked by a counsellor)."""
    if organisation.verified_on is None:
        return "unverified"
    return "stale" if is_stale(organisation.verified_on, today) else "verified"


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
    """A file that cannot be read at all (wrong type, not a table, too big): nothing is imported.
    `key` names the console text that explains it, `values` fill that text."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def read_upload(filename: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a .csv (UTF-8, comma or semicolon) or .xlsx file, as text."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _table_rows(_xlsx_lines(content))
    if name.endswith(".csv"):
        return _table_rows(_csv_lines(content))
    raise UploadError("wrong_type")


def _table_rows(lines: Iterator[list[str]]) -> list[dict[str, str]]:
    """The header, then the non-blank rows as dicts; reading stops at the row limit."""
    with closing(lines):
        header = next(lines, None)
        if header is None:
            raise UploadError("empty")
        header = [_unquoted(h).strip().lower() for h in header[:MAX_COLUMNS]]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise UploadError("missing_columns", columns=", ".join(missing))
        rows = []
        for count, line in enumerate(lines, start=1):
            cells = [_unquoted(c).strip() for c in line[:MAX_COLUMNS]]
            if count > MAX_LINES or (len(rows) == MAX_ROWS and any(cells)):
                raise UploadError("too_many_rows")
            if any(cells):
                rows.append(dict(zip(header, cells, strict=False)))
    return rows


def _csv_lines(content: bytes) -> Iterator[list[str]]:
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadError("not_utf8") from error
    reader = csv.reader(io.StringIO(decoded), _dialect(decoded))
    try:
        yield from reader
    except csv.Error as error:  # a field over csv's limit, a NUL byte, broken quoting
        raise UploadError("bad_csv", line=reader.line_num) from error


def _dialect(decoded: str) -> type[csv.Dialect]:
    """Comma or semicolon, guessed from the header line; a comma when there is only one column."""
    first_line = (decoded[:SNIFF_CHARS].splitlines() or [""])[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;")
    except csv.Error:
        return csv.excel


def _xlsx_lines(content: bytes) -> Iterator[list[str]]:
    _check_zip(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UploadError("not_xlsx") from error
    try:
        sheet = book.active
        sheet.reset_dimensions()  # the declared size (up to XFD1048576) is not read as a fact
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield ["" if v is None else str(v) for v in row]
    except Exception as error:  # a damaged sheet fails while it is read, with as many kinds
        raise UploadError("not_xlsx") from error
    finally:
        book.close()


def _check_zip(content: bytes) -> None:
    """Refuse a zip bomb before openpyxl opens the file. Python's zipfile never inflates a
    member past the size the archive declares for it, so the declared sizes bound the work."""
    if not content.startswith(b"PK\x03\x04"):
        raise UploadError("not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise UploadError("not_xlsx") from error
    if len(members) > MAX_XLSX_MEMBERS or sum(m.file_size for m in members) > MAX_XLSX_UNZIPPED:
        raise UploadError("xlsx_too_big")


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
    columns = Organisation.__table__.columns
    problems += [(c, "too_long") for c in BOUNDED if len(row.get(c) or "") > columns[c].type.length]
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
