"""Issue #14, hole 5: the directory import reads what a file is, not what it declares. A
sheet that claims A1:XFD1048576, a row far down the sheet, a zip bomb, a file that is no
workbook and a malformed CSV are each refused with a clear message (400), nothing
imported, after reading a bounded number of cells."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from sqlalchemy import delete

from app.db import session_scope
from app.models import Organisation
from console import directory
from tests.console import conftest as console
from tests.console.test_routes import organisation_count, upload

# The console's fixtures, for these tests outside tests/console/.
console_app, client, counsellor = console.console_app, console.client, console.counsellor

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["name", "region", "org_type", "services"]
# More cells than the bounded reader may ever hand out: its line cap times its column cap.
CELL_BUDGET = (directory.MAX_LINES + 2) * directory.MAX_COLUMNS


def workbook(*rows: list[str]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewritten(content: bytes, member: str, edit: Callable[[str], str]) -> bytes:
    """The same zip with one member's XML edited, as an attacker would by hand."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, edit(data.decode()).encode() if info.filename == member else data)
    return out.getvalue()


def declaring_the_whole_grid(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)


@pytest.fixture()
def cells_read(monkeypatch) -> list[int]:
    """Counts the cells openpyxl hands out while a sheet is read, and stops a read that goes
    past any bounded one (padding to the declared size would go on for billions)."""
    count = [0]
    original = ReadOnlyWorksheet._cells_by_row

    def counted(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            count[0] += len(row)
            if count[0] > CELL_BUDGET:
                raise AssertionError(f"unbounded read: over {CELL_BUDGET} cells")
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counted)
    return count


def refused(response, message: str) -> bool:
    page = response.get_data(as_text=True)
    return response.status_code == 400 and message in page and "Rien n&#39;a été importé" in page


def test_a_sheet_declaring_the_whole_grid_imports_only_its_real_rows(counsellor, cells_read):
    row = ["Organisme déclaré géant", "Bas-Saint-Laurent", "accueil", "installation"]
    content = rewritten(workbook(HEADER, row), SHEET, declaring_the_whole_grid)
    assert len(content) < 10_000  # a few KB that declare 17 billion cells
    before = organisation_count()
    response = upload(counsellor, "grille.xlsx", content)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert organisation_count() == before + 1
    assert cells_read[0] <= 2 * directory.MAX_COLUMNS  # two real rows, never padded to 16,384 columns
    with session_scope() as s:  # the shared directory stays as the other tests know it
        s.execute(delete(Organisation).where(Organisation.name == row[0]))


def test_a_row_far_down_the_sheet_is_refused_at_the_row_limit(counsellor, cells_read):
    row = ["Organisme au fond", "Bas-Saint-Laurent", "accueil", "installation"]
    last_row = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    content = rewritten(
        workbook(HEADER, row), SHEET, lambda xml: declaring_the_whole_grid(xml).replace("</sheetData>", last_row)
    )
    before = organisation_count()
    assert refused(upload(counsellor, "grille.xlsx", content), "Trop de lignes")
    assert organisation_count() == before
    assert cells_read[0] <= CELL_BUDGET


def padded_zip(content: bytes, member: str, megabytes: int) -> bytes:
    """The workbook with `megabytes` MB of blanks inside one member: about 1,000 times
    smaller zipped than unzipped."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != member:
                target.writestr(info, data)
                continue
            head, tail = data.decode().rsplit("</worksheet>", 1)
            with target.open(member, "w", force_zip64=True) as bomb:
                bomb.write(head.encode())
                for _ in range(megabytes):
                    bomb.write(b" " * 1024 * 1024)
                bomb.write(("</worksheet>" + tail).encode())
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened(counsellor, monkeypatch):
    opened = []
    monkeypatch.setattr(directory, "load_workbook", lambda *a, **k: opened.append(a) or pytest.fail("opened"))
    content = padded_zip(workbook(HEADER), SHEET, megabytes=200)
    assert len(content) < 1024 * 1024  # under the 2 MB upload limit
    before = organisation_count()
    assert refused(upload(counsellor, "grille.xlsx", content), "trop gros une fois décompressé")
    assert opened == [] and organisation_count() == before


def test_a_zip_of_many_members_is_refused(counsellor):
    content = zip_of(**{f"media{n}": b"" for n in range(directory.MAX_XLSX_MEMBERS + 1)})
    assert refused(upload(counsellor, "grille.xlsx", content), "trop gros une fois décompressé")


def zip_of(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [b"not a zip", b"PK\x03\x04 and then nothing a zip has", zip_of(hello=b"a zip, but no workbook inside")],
    ids=["text", "zip-magic-only", "zip-without-workbook"],
)
def test_a_file_that_is_not_a_workbook_is_refused_clearly(counsellor, content):
    before = organisation_count()
    assert refused(upload(counsellor, "grille.xlsx", content), "pas un classeur Excel")
    assert organisation_count() == before


def test_a_sheet_broken_halfway_is_refused_clearly(counsellor):
    """openpyxl fails while it reads the rows, not when it opens the file."""
    row = ["Organisme cassé", "Bas-Saint-Laurent", "accueil", "installation"]
    content = rewritten(workbook(HEADER, row), SHEET, lambda xml: xml.replace('r="A2"', 'r="not-a-cell"'))
    before = organisation_count()
    assert refused(upload(counsellor, "grille.xlsx", content), "pas un classeur Excel")
    assert organisation_count() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"x" * 140_000 + b"\n", "mal formé à la ligne 1"),  # one column, a field over csv's 131,072 limit
        (b"name\n" + b"x" * 140_000 + b"\n", "Colonnes manquantes"),
        (b"name,region,org_type,services\n" + b"A," * 3 + b"x" * 140_000 + b"\n", "mal formé à la ligne 2"),
        (b"name,region,org_type,services\nA\x00,Bas-Saint-Laurent,accueil,installation\n", "mal formé à la ligne 2"),
    ],
    ids=["one-column-131kb", "one-column-131kb-row", "four-columns-131kb", "nul-byte"],
)
def test_a_malformed_csv_is_refused_clearly(counsellor, content, message):
    before = organisation_count()
    assert refused(upload(counsellor, "grille.csv", content), message)
    assert organisation_count() == before


def test_a_one_column_csv_names_the_missing_columns(counsellor):
    assert refused(upload(counsellor, "grille.csv", b"name\nA\n"), "Colonnes manquantes : region, org_type, services")


def test_too_many_rows_are_refused_while_reading():
    lines = "\n".join(["name,region,org_type,services", *["A,01,accueil,installation"] * (directory.MAX_ROWS + 1)])
    with pytest.raises(directory.UploadError, match="too_many_rows"):
        directory.read_upload("grille.csv", lines.encode())


def test_two_rows_with_the_same_name_in_one_region_are_refused(counsellor):
    row = "Organisme en double,Bas-Saint-Laurent,accueil,installation"
    content = "\n".join(["name,region,org_type,services", row, row]).encode()
    before = organisation_count()
    assert refused(upload(counsellor, "grille.csv", content), "même nom dans la même région")
    assert organisation_count() == before


def test_a_cell_longer_than_its_column_is_a_row_error(counsellor):
    content = ("name,region,org_type,services\n" + "N" * 301 + ",Bas-Saint-Laurent,accueil,installation\n").encode()
    response = upload(counsellor, "grille.csv", content)
    assert response.status_code == 400
    assert re.search(r"<td>2</td><td>name</td><td>trop long</td>", response.get_data(as_text=True))
