"""Every console route on the server side: log-in required, roles, CSRF, escaping,
handoffs, transcripts, dossiers, the directory's import/export, region sheets, chat,
and the audit log (Law 25)."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date, timedelta

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app import handoffs, questionnaire
from app.db import session_scope
from app.models import AuditEntry, CounsellorReply, Handoff, Organisation
from console import directory
from tests.console.conftest import ADMIN, COUNSELLOR, OTHER, csrf, log_in, rasa_answering, sent_to_rasa

PAGES = [
    "/", "/?status=claimed", "/conversations", "/organisations", "/organisations/new", "/organisations/import",
    "/organisations/export.csv", "/regions", "/regions/01", "/chat", "/admin/users", "/admin/audit",
]  # fmt: skip


def audit_count(action: str, subject_id: str | None = None) -> int:
    with session_scope() as s:
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        if subject_id:
            query = query.where(AuditEntry.subject_id == subject_id)
        return s.scalar(query)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_needs_a_session(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_wrong_password_is_refused_and_the_account_locks_after_five(client, console_app):
    token = csrf(client, "/login")
    for _ in range(5):
        response = client.post("/login", data={"email": OTHER[0], "password": "pas le bon", "csrf_token": token})
        assert response.status_code == 401
    locked = client.post("/login", data={"email": OTHER[0], "password": OTHER[1], "csrf_token": token})
    assert locked.status_code == 401 and "Trop d&#39;essais" in locked.get_data(as_text=True)
    with session_scope() as s:  # unlock for the other tests
        s.execute(
            Organisation.__table__.metadata.tables["console_users"]
            .update()
            .where(Organisation.__table__.metadata.tables["console_users"].c.email == OTHER[0])
            .values(locked_until=None, failed_logins=0)
        )


def test_log_in_sets_a_hardened_session_cookie_and_log_out_ends_it(client):
    response = log_in(client)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf(client, "/")})
    assert client.get("/").status_code == 302


def test_the_first_admin_comes_from_the_environment(client):
    assert log_in(client, ADMIN).status_code == 302
    assert "admin@example.org" in client.get("/admin/users").get_data(as_text=True)


def test_no_form_is_accepted_without_its_csrf_token(counsellor):
    assert counsellor.post("/logout").status_code == 400
    assert counsellor.post("/organisations/new", data={"name": "X"}).status_code == 400
    assert counsellor.post("/chat/send", json={"message": "bonjour"}).status_code == 400


def test_counsellors_do_not_reach_admin_pages(counsellor):
    assert counsellor.get("/admin/users").status_code == 403
    assert counsellor.get("/admin/audit").status_code == 403
    token = csrf(counsellor, "/")
    assert counsellor.post("/admin/users", data={"csrf_token": token, "email": "x@example.org"}).status_code == 403


def test_an_admin_creates_an_account_with_a_long_password_only(admin):
    token = csrf(admin, "/admin/users")
    short = {"csrf_token": token, "email": "court@example.org", "name": "C", "password": "court", "role": "counsellor"}
    assert "Compte refusé" in admin.post("/admin/users", data=short, follow_redirects=True).get_data(as_text=True)
    good = {**short, "email": "nouvelle@example.org", "password": "une phrase de passe longue"}
    assert "Compte créé" in admin.post("/admin/users", data=good, follow_redirects=True).get_data(as_text=True)


def test_a_transcript_shows_turns_escapes_text_and_highlights_low_confidence(counsellor, conversation):
    page = counsellor.get(f"/conversations/{conversation}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "greet (0.98)" in page and "nlu_fallback (0.31)" in page
    assert len(re.findall(r'class="turn user low"', page)) == 1
    assert audit_count("viewed", conversation) >= 1


def test_the_list_filters_by_search_and_low_confidence(counsellor, conversation):
    assert conversation in counsellor.get("/conversations?low=1").get_data(as_text=True)
    assert conversation in counsellor.get("/conversations?q=HYPERLINK").get_data(as_text=True)
    assert conversation not in counsellor.get("/conversations?q=introuvable-xyz").get_data(as_text=True)
    assert conversation not in counsellor.get("/conversations?handoff=1").get_data(as_text=True)


def test_the_csv_export_is_audited_and_defuses_formulas(counsellor, conversation):
    exported = counsellor.get(f"/conversations/{conversation}/export.csv")
    assert exported.mimetype == "text/csv"
    assert "'=HYPERLINK" in exported.get_data(as_text=True)
    assert audit_count("exported", conversation) == 1


def test_labels_and_private_notes(counsellor, conversation):
    token = csrf(counsellor, f"/conversations/{conversation}")
    counsellor.post(f"/conversations/{conversation}/labels", data={"csrf_token": token, "label": "à rappeler"})
    counsellor.post(f"/candidates/{conversation}/notes", data={"csrf_token": token, "text": "<b>Très motivée</b>"})
    page = counsellor.get(f"/conversations/{conversation}").get_data(as_text=True)
    assert "à rappeler" in page and "&lt;b&gt;Très motivée&lt;/b&gt;" in page
    assert conversation in counsellor.get("/conversations?label=à rappeler").get_data(as_text=True)


def open_handoff(sender: str) -> int:
    with session_scope() as s:
        return handoffs.open_handoff(s, sender, "asked", "je veux parler à quelqu'un", "fr").id


def test_claim_reply_and_close_a_handoff(client, counsellor, monkeypatch):
    handoff_id = open_handoff("tg-5550001")
    assert 'class="badge"' in counsellor.get("/").get_data(as_text=True)
    token = csrf(counsellor, "/")
    counsellor.post(f"/handoffs/{handoff_id}/claim", data={"csrf_token": token})
    counsellor.post(f"/handoffs/{handoff_id}/reply", data={"csrf_token": token, "text": "Bonjour, ici Julie."})
    received = rasa_answering(monkeypatch, httpx.Response(200, json={}))
    counsellor.post(f"/handoffs/{handoff_id}/close", data={"csrf_token": token})
    with session_scope() as s:
        handoff = s.get(Handoff, handoff_id)
        assert (handoff.status, handoff.claimed_by) == ("closed", f"console:{COUNSELLOR[0]}")
        replies = s.scalars(select(CounsellorReply).where(CounsellorReply.handoff_id == handoff_id)).all()
        assert [(r.kind, r.text) for r in replies] == [("reply", "Bonjour, ici Julie."), ("resumed", "")]
    assert [sent_to_rasa(r) for r in received] == [
        ("http://127.0.0.1:9/conversations/tg-5550001/tracker/events", {"event": "resume"})
    ]


def test_only_the_counsellor_who_claimed_replies(client, console_app):
    handoff_id = open_handoff("tg-5550002")
    first = console_app.test_client()
    log_in(first, COUNSELLOR)
    first.post(f"/handoffs/{handoff_id}/claim", data={"csrf_token": csrf(first, "/")})
    other = console_app.test_client()
    log_in(other, OTHER)
    token = csrf(other, "/")
    assert other.post(f"/handoffs/{handoff_id}/reply", data={"csrf_token": token, "text": "moi"}).status_code == 403
    assert other.post(f"/handoffs/{handoff_id}/close", data={"csrf_token": token}).status_code == 403
    again = other.post(f"/handoffs/{handoff_id}/claim", data={"csrf_token": token}, follow_redirects=True)
    assert "Déjà prise par conseillere." in again.get_data(as_text=True)


def test_closing_when_the_assistant_is_down_says_so(counsellor):
    handoff_id = open_handoff("tg-5550003")
    token = csrf(counsellor, "/")
    page = counsellor.post(f"/handoffs/{handoff_id}/close", data={"csrf_token": token}, follow_redirects=True)
    assert "n&#39;a pas pu être réactivé" in page.get_data(as_text=True)


def test_the_dossier_shows_answers_report_scores_and_is_audited(counsellor):
    sender = "tg-dossier-1"
    family = questionnaire.theme("family")
    with session_scope() as s:
        questionnaire.save_answer(s, sender, family.question("household"), "couple")
        questionnaire.save_answer(s, sender, family.question("spouse_view"), "against")
        questionnaire.save_scores(s, sender, {"initiative": 4.5})
    page = counsellor.get(f"/dossiers/{sender}").get_data(as_text=True)
    assert (
        "Que pense votre conjoint ou conjointe du projet?" in page and "Il ou elle n&#39;est pas d&#39;accord" in page
    )
    assert 'class="status red">rouge</span> <strong>Conjoint et famille' in page
    assert "4.5" in page
    svg = counsellor.get(f"/dossiers/{sender}/mindmap.svg")
    assert svg.mimetype == "image/svg+xml" and b"#c62828" in svg.data
    assert counsellor.get(f"/dossiers/{sender}/report.json").json["overall"]["status"] == "red"
    assert audit_count("viewed", sender) == 1 and audit_count("exported", sender) == 1
    assert counsellor.get("/dossiers/nobody-at-all").status_code == 404


def test_an_organisation_is_created_checked_edited_and_retired(counsellor):
    token = csrf(counsellor, "/organisations/new")
    bad = {"csrf_token": token, "name": "Maison des familles", "region": "Atlantide", "org_type": "famille",
           "services": "accueil", "website": "pas un lien", "source_url": "example.org"}  # fmt: skip
    refused = counsellor.post("/organisations/new", data=bad)
    assert refused.status_code == 400 and "région inconnue" in refused.get_data(as_text=True)
    assert refused.get_data(as_text=True).count("lien invalide") == 2
    good = {**bad, "region": "Bas-Saint-Laurent", "website": "example.org/familles", "source_url": "https://example.org",
            "contact_person": "Mme Roy",
            "collaboration": "référence", "verified_on": date.today().isoformat()}  # fmt: skip
    assert counsellor.post("/organisations/new", data=good).status_code == 302
    with session_scope() as s:
        made = s.scalar(select(Organisation).where(Organisation.name == "Maison des familles"))
        assert (made.region_code, made.contact_person, made.retired) == ("01", "Mme Roy", False)
        made_id = made.id
    counsellor.post(f"/organisations/{made_id}/retire", data={"csrf_token": token, "retired": "1"})
    assert "Maison des familles" not in counsellor.get("/organisations?region=01").get_data(as_text=True)
    assert "Maison des familles" in counsellor.get("/organisations?region=01&retired=1").get_data(as_text=True)


def test_entries_never_verified_or_verified_long_ago_are_flagged():
    today = date(2026, 11, 24)
    assert directory.freshness(Organisation(verified_on=None), today) == "unverified"
    assert directory.freshness(Organisation(verified_on=today - timedelta(days=400)), today) == "stale"
    assert directory.freshness(Organisation(verified_on=today - timedelta(days=30)), today) == "verified"


def organisation_count() -> int:
    with session_scope() as s:
        return s.scalar(select(func.count()).select_from(Organisation))


def upload(client, name: str, content: bytes):
    token = csrf(client, "/organisations/import")
    return client.post(
        "/organisations/import",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_csv_export_then_import_round_trip(counsellor):
    exported = counsellor.get("/organisations/export.csv").data
    assert exported.startswith("\ufeff".encode())
    before = organisation_count()
    edited = exported.decode("utf-8-sig").replace("\n", "\n", 1)
    rows = directory.read_upload("x.csv", edited.encode())
    rows[0]["contact_person"] = "M. Tremblay"
    new = {**rows[0], "id": "", "name": "Nouvel organisme de test", "contact_person": ""}
    csv_bytes = directory.to_csv([*rows, new])
    response = upload(counsellor, "grille.csv", csv_bytes)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert f"1 créé(s), {len(rows)} mis à jour" in response.get_data(as_text=True)
    assert organisation_count() == before + 1
    with session_scope() as s:
        assert s.get(Organisation, int(rows[0]["id"])).contact_person == "M. Tremblay"
    assert counsellor.get("/organisations/export.csv").data.count(b"\n") == exported.count(b"\n") + 1


def test_xlsx_export_then_import_round_trip(counsellor):
    exported = counsellor.get("/organisations/export.xlsx")
    sheet = load_workbook(io.BytesIO(exported.data)).active
    assert [c.value for c in sheet[1]] == list(directory.COLUMNS)
    before = organisation_count()
    response = upload(counsellor, "grille.xlsx", exported.data)
    assert response.status_code == 200 and organisation_count() == before


def test_a_malformed_row_is_reported_and_nothing_is_imported(counsellor):
    rows = directory.read_upload("x.csv", counsellor.get("/organisations/export.csv").data)
    rows[0]["contact_person"] = "Ne doit pas être gardé"
    broken = {**rows[1], "id": "", "name": "", "verified_on": "hier"}
    response = upload(counsellor, "grille.csv", directory.to_csv([rows[0], broken]))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Rien n&#39;a été importé" in page
    assert re.search(r"<td>3</td><td>name</td><td>obligatoire</td>", page)
    assert re.search(r"<td>3</td><td>verified_on</td><td>date invalide", page)
    with session_scope() as s:
        assert s.get(Organisation, int(rows[0]["id"])).contact_person != "Ne doit pas être gardé"


def test_uploads_are_type_and_size_checked(counsellor):
    assert "Seuls les fichiers .csv et .xlsx" in upload(counsellor, "grille.pdf", b"%PDF-1.4").get_data(as_text=True)
    assert "pas un classeur Excel" in upload(counsellor, "grille.xlsx", b"not a zip").get_data(as_text=True)
    assert "UTF-8" in upload(counsellor, "grille.csv", "nom;région\n".encode("cp1252") + b"\xe9").get_data(as_text=True)
    assert "Colonnes manquantes" in upload(counsellor, "grille.csv", b"nom,ville\nA,B\n").get_data(as_text=True)
    assert upload(counsellor, "gros.csv", b"x" * (3 * 1024 * 1024)).status_code == 413


def test_a_region_sheet_shows_its_figures_and_sources(counsellor):
    page = counsellor.get("/regions/01").get_data(as_text=True)
    assert "Bas-Saint-Laurent" in page and "Rimouski" in page and "recensement 2021" in page
    assert counsellor.get("/regions/99").status_code == 404


def test_the_chat_page_talks_to_the_rest_channel(counsellor, monkeypatch):
    replies = [{"text": "Bonjour! <b>", "buttons": [{"title": "Oui", "payload": "/affirm"}]}]
    received = rasa_answering(monkeypatch, httpx.Response(200, json=replies))
    page = counsellor.get("/chat").get_data(as_text=True)
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    answer = counsellor.post("/chat/send", json={"message": "bonjour"}, headers={"X-CSRFToken": token})
    assert answer.json == {"replies": [{"text": "Bonjour! <b>", "buttons": [{"title": "Oui", "payload": "/affirm"}]}]}
    url, body = sent_to_rasa(received[0])
    assert url == "http://127.0.0.1:9/webhooks/rest/webhook" and body["sender"].startswith("console-demo-")
    assert counsellor.post("/chat/send", json={"message": " "}, headers={"X-CSRFToken": token}).status_code == 400


def test_the_chat_says_when_the_assistant_is_down(counsellor):
    token = re.search(r'data-csrf="([^"]+)"', counsellor.get("/chat").get_data(as_text=True)).group(1)
    assert counsellor.post("/chat/send", json={"message": "bonjour"}, headers={"X-CSRFToken": token}).status_code == 502


def test_the_audit_log_lists_who_viewed_what(admin, conversation):
    admin.get(f"/conversations/{conversation}")
    page = admin.get(f"/admin/audit?subject={conversation}").get_data(as_text=True)
    assert "admin@example.org" in page and "viewed · transcript" in page


def test_english_interface(counsellor):
    assert "Requests" in counsellor.get("/?lang=en").get_data(as_text=True)
    assert "Organisations" in counsellor.get("/organisations").get_data(as_text=True)  # kept for the session


def test_pages_forbid_inline_scripts_and_framing(counsellor):
    headers = counsellor.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_counsellors_see_mentor_requests_and_record_an_email_mentors_answer(counsellor):
    from app import candidates, mentors
    from app.mentors import MentorAnswers
    from app.models import MentorRequest

    answers = MentorAnswers(
        "Inès", "Gatineau", "07", date(2021, 1, 1), ["fr"], ["employment"], "email", "ines@example.org"
    )
    with session_scope() as s:
        candidates.record_consent(s, "cand-console-m", "fr")
        by_email = mentors.become_mentor(s, "console-mentor-email", answers, consent=True)
        request_id = mentors.request_contact(s, "cand-console-m", by_email.id, "Gatineau").id
        telegram = mentors.become_mentor(
            s, "console-mentor-tg", dataclasses.replace(answers, contact_channel="telegram", contact_value="@ines_g"),
            consent=True,
        )  # fmt: skip
        telegram_request = mentors.request_contact(s, "cand-console-m", telegram.id, "Gatineau").id
    page = counsellor.get("/mentors").get_data(as_text=True)
    assert f'id="request-{request_id}"' in page and "en attente" in page
    token = csrf(counsellor, "/mentors")
    assert (
        counsellor.post(
            f"/mentor-requests/{telegram_request}/answer", data={"csrf_token": token, "answer": "yes"}
        ).status_code
        == 403
    )
    counsellor.post(f"/mentor-requests/{request_id}/answer", data={"csrf_token": token, "answer": "yes"})
    with session_scope() as s:
        assert s.get(MentorRequest, request_id).status == "accepted"
    counsellor.post(f"/mentors/{by_email.id}/status", data={"csrf_token": token, "status": "paused"})
    with session_scope() as s:
        assert mentors.mentor_of(s, "console-mentor-email").status == "paused"
    assert audit_count("recorded_answer", str(request_id)) == 1


def test_a_webinar_is_created_with_its_links_qr_code_and_schedule(counsellor):
    token = csrf(counsellor, "/webinars")
    bad = counsellor.post("/webinars", data={"csrf_token": token, "title": "", "starts_at": "hier"})
    assert bad.status_code == 400
    made = counsellor.post(
        "/webinars",
        data={"csrf_token": token, "title": "Vivre en Gaspésie", "starts_at": "2026-12-03T19:00", "language": "fr",
              "regions": ["Gaspésie–Îles-de-la-Madeleine"], "presenter": "Julie", "days_day_after": "1",
              "days_week_after": "", "days_month_after": "30"},
    )  # fmt: skip
    assert made.status_code == 302
    page = counsellor.get(made.headers["Location"]).get_data(as_text=True)
    link = re.search(r'id="deep-link">(https://t.me/[^<]+)<', page).group(1)
    assert "?start=webinar_" in link and "/w/" in re.search(r'id="chat-link">([^<]+)<', page).group(1)
    webinar_id = int(made.headers["Location"].rsplit("/", 1)[1])
    png = counsellor.get(f"/webinars/{webinar_id}/qr.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    from app.db import session_scope as scope
    from app.models import Webinar

    with scope() as s:
        webinar = s.get(Webinar, webinar_id)
        assert webinar.schedule == {"day_after": 1, "month_after": 30} and webinar.starts_at.hour == 0  # 19:00 EST
    csv_text = counsellor.get(f"/webinars/{webinar_id}/funnel.csv").get_data(as_text=True)
    assert "attendees,0" in csv_text and "counsellor,0" in csv_text
    assert counsellor.get(f"/webinars/{webinar_id}/funnel.svg").mimetype == "image/svg+xml"
    counsellor.post(f"/webinars/{webinar_id}/cancel", data={"csrf_token": token})
    assert "annulé" in counsellor.get(f"/webinars/{webinar_id}").get_data(as_text=True)


def test_the_public_web_chat_of_a_webinar(client, monkeypatch):
    from app import webinars as webinar_module
    from app.db import session_scope as scope

    with scope() as s:
        code = webinar_module.create(s, "Estrie", ["Estrie"], datetime_now(), "fr", "Julie", "j@example.org").code
    assert client.get("/w/inconnu").status_code == 404
    page = client.get(f"/w/{code}").get_data(as_text=True)
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    answer = [{"text": "Merci d'avoir assisté au webinaire sur Estrie!"}]
    received = rasa_answering(monkeypatch, httpx.Response(200, json=answer), httpx.Response(200, json=answer))
    first = client.post(f"/w/{code}/send", json={"message": "/greet"}, headers={"X-CSRFToken": token})
    assert first.json["replies"][0]["text"].startswith("Merci d'avoir assisté")
    client.post(f"/w/{code}/send", json={"message": "bonjour"}, headers={"X-CSRFToken": token})
    sent = [sent_to_rasa(r)[1] for r in received]
    assert sent[0]["metadata"]["start_payload"] == f"webinar_{code}" and "start_payload" not in sent[1]["metadata"]
    assert sent[0]["sender"] == sent[1]["sender"] and sent[0]["sender"].startswith("web-")


def datetime_now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
