"""Issue #14, Law 25's register of confidentiality incidents: admins only; each entry
checked before it is saved, recorded by the admin logged in (never by the form), exported
as a CSV whose formula cells are defused, and every change and export audited."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.db import session_scope
from app.models import AuditEntry, ConfidentialityIncident
from tests.console import conftest as console

# The console's fixtures, for these tests outside tests/console/.
console_app, client, admin, counsellor = console.console_app, console.client, console.admin, console.counsellor

TODAY = date.today()


def days_ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def incident_form(**changes: str) -> dict[str, str]:
    form = {
        "occurred_on": days_ago(3),
        "discovered_on": days_ago(1),
        "description": "Un courriel de suivi envoyé au mauvais destinataire.",
        "whose_data": "Une candidate",
        "information_kinds": "Prénom, région visée",
        "people_count": "1",
        "serious_risk": "no",
        "risk_assessment": "Peu sensible, destinataire joint et courriel supprimé.",
        "measures": "Vérification des adresses avant l'envoi.",
        "cai_notified_on": "",
        "people_notified_on": TODAY.isoformat(),
        "notified_notes": "",
    }
    return {**form, **changes}


def post(client, path: str, form: dict[str, str]):
    return client.post(path, data={**form, "csrf_token": console.csrf(client, "/admin/incidents/new")})


def incident_count() -> int:
    with session_scope() as s:
        return s.scalar(select(func.count()).select_from(ConfidentialityIncident))


def audited(action: str, subject: str, subject_id: str | None = None) -> int:
    with session_scope() as s:
        query = (
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == action, AuditEntry.subject == subject, AuditEntry.user_email == console.ADMIN[0]
            )
        )
        if subject_id is not None:
            query = query.where(AuditEntry.subject_id == subject_id)
        return s.scalar(query)


@pytest.mark.parametrize("path", ["/admin/incidents", "/admin/incidents/new", "/admin/incidents/export.csv"])
def test_a_counsellor_cannot_read_or_export_the_register(counsellor, path):
    assert counsellor.get(path).status_code == 403


def test_a_counsellor_cannot_record_an_incident(counsellor):
    token = console.csrf(counsellor, "/conversations")  # any page has the session's token (log-out form)
    before = incident_count()
    response = counsellor.post("/admin/incidents/new", data={**incident_form(), "csrf_token": token})
    assert response.status_code == 403 and incident_count() == before
    assert "/admin/incidents" not in counsellor.get("/conversations").get_data(as_text=True)  # not in the menu


def test_an_admin_records_edits_and_exports_an_incident(admin):
    before = incident_count()
    form = incident_form(description='=HYPERLINK("http://evil.example","clic")', recorded_by="someone@else")
    assert post(admin, "/admin/incidents/new", form).status_code == 302
    assert incident_count() == before + 1
    with session_scope() as s:
        incident = s.scalars(select(ConfidentialityIncident).order_by(ConfidentialityIncident.id.desc())).first()
        incident_id = incident.id
        assert incident.recorded_by == console.ADMIN[0] and incident.serious_risk is False
        assert incident.people_count == 1 and incident.cai_notified_on is None
    assert audited("created", "incident", str(incident_id)) == 1
    assert "=HYPERLINK(&#34;http://evil.example" in admin.get("/admin/incidents").get_data(as_text=True)

    edited = incident_form(description=form["description"], people_count="12", serious_risk="yes")
    edited["cai_notified_on"] = TODAY.isoformat()
    assert post(admin, f"/admin/incidents/{incident_id}", edited).status_code == 302
    with session_scope() as s:
        incident = s.get(ConfidentialityIncident, incident_id)
        assert incident.people_count == 12 and incident.serious_risk is True and incident.cai_notified_on == TODAY
    assert audited("edited", "incident", str(incident_id)) == 1

    exports_before = audited("exported", "incidents")
    response = admin.get("/admin/incidents/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")))}
    row = rows[str(incident_id)]
    assert row["description"] == "'" + form["description"]  # a spreadsheet shows it as text, never runs it
    assert row["people_count"] == "12" and row["serious_risk"] == "yes" and row["recorded_by"] == console.ADMIN[0]
    assert audited("exported", "incidents") == exports_before + 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"description": "  "}, "obligatoire"),
        ({"discovered_on": days_ago(10)}, "avant la date de l&#39;incident"),
        ({"people_count": "une dizaine"}, "nombre attendu"),
        ({"people_count": "-3"}, "nombre attendu"),
        ({"occurred_on": "hier"}, "date invalide"),
        ({"occurred_on": (TODAY + timedelta(days=1)).isoformat()}, "date à venir"),
        ({"serious_risk": "peut-être"}, "oui ou non"),
        ({"cai_notified_on": days_ago(2)}, "avant la découverte"),
    ],
    ids=[
        "no-description", "discovered-before", "count-words", "count-negative", "bad-date", "future", "risk",
        "notified-before",
    ],
)  # fmt: skip
def test_bad_input_is_explained_and_nothing_is_saved(admin, changes, message):
    before = incident_count()
    response = post(admin, "/admin/incidents/new", incident_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Rien n&#39;a été enregistré" in page and message in page
    assert incident_count() == before


def test_a_bad_edit_leaves_the_incident_as_it_was(admin):
    assert post(admin, "/admin/incidents/new", incident_form(description="Avant")).status_code == 302
    with session_scope() as s:
        incident_id = s.scalar(select(func.max(ConfidentialityIncident.id)))
    response = post(admin, f"/admin/incidents/{incident_id}", incident_form(description="Après", people_count="x"))
    assert response.status_code == 400
    with session_scope() as s:
        assert s.get(ConfidentialityIncident, incident_id).description == "Avant"
    assert admin.get("/admin/incidents/999999").status_code == 404
