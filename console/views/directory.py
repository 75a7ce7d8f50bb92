"""The directory of regional organisations: list (stale entries flagged), create, edit,
retire; export to CSV or Excel; import a CSV or Excel grid (checked row by row first)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db import session_scope
from app.models import Organisation, Region
from console import audit, directory, texts
from console.accounts import login_required

blueprint = Blueprint("directory", __name__)


@blueprint.route("/organisations")
@login_required
def index():
    region = request.args.get("region") or ""
    show_retired = request.args.get("retired") == "1"
    today = date.today()
    with session_scope() as s:
        query = select(Organisation).order_by(Organisation.region_code, Organisation.name)
        if region:
            query = query.where(Organisation.region_code == region)
        if not show_retired:
            query = query.where(Organisation.retired.is_(False))
        rows = [(o, directory.freshness(o, today)) for o in s.scalars(query)]
        regions = list(s.scalars(select(Region).order_by(Region.name)))
        names = {r.code: r.name for r in regions}
        s.expunge_all()
    return render_template(
        "organisations.html", rows=rows, regions=regions, names=names, region=region, show_retired=show_retired
    )


def _form_row() -> dict[str, str]:
    return {c: (request.form.get(c) or "").strip() for c in directory.COLUMNS if c != "id"}


@blueprint.route("/organisations/new", methods=["GET", "POST"])
@blueprint.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int | None = None):
    with session_scope() as s:
        names = directory.region_names(s)
        organisation = s.get(Organisation, organisation_id) if organisation_id else None
        if organisation_id and organisation is None:
            abort(404)
        row = directory.as_row(organisation, names) if organisation else {c: "" for c in directory.COLUMNS}
        problems = []
        if request.method == "POST":
            row = _form_row()
            problems = directory.check_row(row, names)
            if not problems:
                if organisation is None:
                    organisation = Organisation(
                        source_url=row.get("source_url") or "", date_seen=date.today().isoformat(), confidence="medium"
                    )
                    s.add(organisation)
                directory.apply_row(organisation, row, names)
                s.flush()
                saved_id = organisation.id
        s.expunge_all()
    if request.method == "POST" and not problems:
        audit.record("edited", "organisation", str(saved_id))
        flash(texts.t("saved", g.lang), "ok")
        return redirect(url_for("directory.index"))
    return render_template(
        "organisation_form.html",
        row=row,
        problems=dict(problems),
        regions=sorted(names.values()),
        organisation_id=organisation_id,
    ), (400 if problems else 200)


@blueprint.route("/organisations/<int:organisation_id>/retire", methods=["POST"])
@login_required
def retire(organisation_id: int):
    with session_scope() as s:
        organisation = s.get(Organisation, organisation_id) or abort(404)
        organisation.retired = request.form.get("retired", "1") == "1"
    audit.record(
        "retired" if request.form.get("retired", "1") == "1" else "restored", "organisation", str(organisation_id)
    )
    return redirect(url_for("directory.index"))


@blueprint.route("/organisations/export.<fmt>")
@login_required
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    with session_scope() as s:
        rows = directory.export_rows(s)
    audit.record("exported", "organisations", None, fmt)
    if fmt == "csv":
        return Response(
            directory.to_csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="organismes.csv"'},
        )
    return Response(
        directory.to_xlsx(rows),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="organismes.xlsx"'},
    )


@blueprint.route("/organisations/import", methods=["GET", "POST"])
@login_required
def import_file():
    if request.method == "GET":
        return render_template("import.html", result=None, error=None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_refused(directory.UploadError("no_file"))
    try:
        rows = directory.read_upload(upload.filename, upload.read())
        with session_scope() as s:
            result = directory.import_rows(s, rows, date.today())
            if result.errors:
                s.rollback()
    except directory.UploadError as error:
        return _import_refused(error)
    except IntegrityError:  # two rows, or a row and an existing entry, with the same name in one region
        return _import_refused(directory.UploadError("duplicate_organisation"))
    if result.errors:
        return render_template("import.html", result=result, error=None), 400
    audit.record("imported", "organisations", None, f"{result.created} created, {result.updated} updated")
    return render_template("import.html", result=result, error=None)


def _import_refused(error: directory.UploadError):
    """The import page with why the file was refused; nothing was imported."""
    return render_template("import.html", result=None, error=error), 400
