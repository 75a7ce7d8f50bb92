"""Admin only: the register of confidentiality incidents that Québec's Law 25 requires
(what happened, whose information, the risk of serious injury, the measures taken, who
was told when). List, create, edit and export as CSV; each change and export is audited."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from app.db import session_scope
from app.models import ConfidentialityIncident
from console import audit, texts
from console.accounts import admin_required, current_user
from console.transcripts import safe_cell

blueprint = Blueprint("incidents", __name__)

# The register's fields, in the order the form and the CSV show them.
FIELDS = (
    "occurred_on", "discovered_on", "description", "whose_data", "information_kinds", "people_count",
    "serious_risk", "risk_assessment", "measures", "cai_notified_on", "people_notified_on", "notified_notes",
)  # fmt: skip
DATES = ("occurred_on", "discovered_on", "cai_notified_on", "people_notified_on")
TEXTS = ("description", "whose_data", "information_kinds", "risk_assessment", "measures", "notified_notes")
REQUIRED = ("occurred_on", "discovered_on", "description", "people_count", "serious_risk")
CSV_COLUMNS = ("id", *FIELDS, "recorded_by", "recorded_at", "updated_at")
MAX_TEXT = 10_000
COUNT = re.compile(r"[0-9]{1,9}")


def read_form(form: Mapping[str, str], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """The incident's values from the form, and what is wrong with them (field → text key)."""
    raw = {f: (form.get(f) or "").strip() for f in FIELDS}
    values: dict[str, Any] = {f: raw[f] or None for f in TEXTS}
    problems = {f: "required" for f in REQUIRED if not raw[f]}
    problems.update({f: "too_long" for f in TEXTS if len(raw[f]) > MAX_TEXT})
    for f in DATES:
        values[f] = _date(raw[f])
        if raw[f] and values[f] is None:
            problems[f] = "not_a_date"
        elif values[f] and values[f] > today:
            problems[f] = "date_in_future"
    problems.update(_order_problems(values))
    if raw["people_count"] and not COUNT.fullmatch(raw["people_count"]):
        problems["people_count"] = "not_a_number"
    values["people_count"] = int(raw["people_count"]) if "people_count" not in problems else None
    if raw["serious_risk"] and raw["serious_risk"] not in ("yes", "no"):
        problems["serious_risk"] = "yes_or_no"
    values["serious_risk"] = raw["serious_risk"] == "yes"
    return values, problems


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _order_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Discovered on or after it happened; people told on or after it was discovered."""
    occurred, discovered = values["occurred_on"], values["discovered_on"]
    problems = {}
    if occurred and discovered and discovered < occurred:
        problems["discovered_on"] = "discovered_before_occurred"
    for f in ("cai_notified_on", "people_notified_on"):
        if discovered and values[f] and values[f] < discovered:
            problems[f] = "notified_before_discovered"
    return problems


def as_text(incident: ConfidentialityIncident) -> dict[str, str]:
    """The incident as the form and the CSV show it."""
    return {c: _text(getattr(incident, c)) for c in CSV_COLUMNS}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def to_csv(incidents: list[ConfidentialityIncident]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for incident in incidents:
        row = as_text(incident)
        writer.writerow([safe_cell(row[c]) for c in CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read the accents


def _all() -> list[ConfidentialityIncident]:
    with session_scope() as s:
        query = select(ConfidentialityIncident).order_by(
            ConfidentialityIncident.discovered_on.desc(), ConfidentialityIncident.id.desc()
        )
        found = list(s.scalars(query))
        s.expunge_all()
    return found


@blueprint.route("/admin/incidents")
@admin_required
def index():
    return render_template("incidents.html", incidents=_all())


@blueprint.route("/admin/incidents/new", methods=["GET", "POST"])
@blueprint.route("/admin/incidents/<int:incident_id>", methods=["GET", "POST"])
@admin_required
def edit(incident_id: int | None = None):
    with session_scope() as s:
        incident = s.get(ConfidentialityIncident, incident_id) if incident_id else None
        if incident_id and incident is None:
            abort(404)
        shown = as_text(incident) if incident else {c: "" for c in CSV_COLUMNS}
        s.expunge_all()
    problems: dict[str, str] = {}
    if request.method == "POST":
        values, problems = read_form(request.form, date.today())
        shown = {**shown, **{f: (request.form.get(f) or "").strip() for f in FIELDS}}
        if not problems:
            saved_id = _save(incident_id, values)
            audit.record("edited" if incident_id else "created", "incident", str(saved_id))
            flash(texts.t("saved", g.lang), "ok")
            return redirect(url_for("incidents.index"))
    return render_template("incident_form.html", incident=shown, incident_id=incident_id, problems=problems), (
        400 if problems else 200
    )


def _save(incident_id: int | None, values: dict[str, Any]) -> int:
    """Write the checked values; a new incident is recorded by whoever is logged in."""
    with session_scope() as s:
        incident = s.get(ConfidentialityIncident, incident_id) if incident_id else None
        if incident is None:
            incident = ConfidentialityIncident(recorded_by=current_user().email)
            s.add(incident)
        for field, value in values.items():
            setattr(incident, field, value)
        s.flush()
        return incident.id


@blueprint.route("/admin/incidents/export.csv")
@admin_required
def export():
    incidents = _all()
    audit.record("exported", "incidents", None, f"csv, {len(incidents)} incident(s)")
    return Response(
        to_csv(incidents),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="registre-incidents.csv"'},
    )
