"""Law 25, access and retention: a person gets a copy of everything held about them (in
Telegram, and from the console for a request by e-mail), with nobody else's data; what is
past its retention period is purged; counsellors' private notes never reach a printout."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from app import __main__ as cli
from app import candidates, retention
from app.catalogue.bridge import STORED
from app.db import make_engine, session_scope
from app.models import (
    AuditEntry,
    Base,
    ButtonPayload,
    Candidate,
    CandidateNote,
    Checklist,
    ChecklistItemStatus,
    CompetencyScore,
    ConversationLabel,
    CounsellorReply,
    FollowupDelivery,
    GroupDeletion,
    GroupMessage,
    Handoff,
    InboundMessage,
    LiaisonNote,
    Mentor,
    MentorRequest,
    QuestionnaireAnswer,
    Region,
    RetentionRun,
    Webinar,
    WebinarAttendee,
)
from app.settings import Settings, get_settings
from bot.handlers import on_my_data
from bot.texts import stored_lines
from tests.console import conftest as console

# The console's fixtures, for these tests outside tests/console/.
console_app, client, counsellor = console.console_app, console.client, console.counsellor

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
NOTE = "Note privée : semble hésiter, rappeler après le 15"
COUNSELLOR_EMAIL, COUNSELLOR_NAME = "julie.tremblay@example.org", "Julie Tremblay"
SHARED_CONTACT, UNSHARED_CONTACT = "+1 418 555 0100", "pas-encore-donne@example.org"
OTHER_SECRET = "Message de quelqu'un d'autre: mon adresse est 12 rue des Pins"


def _event(s: Session, sender_id: str, type_name: str, at: float, data: dict) -> None:
    """One row of Rasa's events, as its SQL tracker store writes it."""
    s.execute(sql(console.EVENTS_TABLE))
    s.execute(
        sql("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :t, :ts, :d)"),
        {"s": sender_id, "t": type_name, "ts": at, "d": json.dumps({"event": type_name, "timestamp": at, **data})},
    )


def _mentor(first_name: str, contact: str, sender_id: str | None = None) -> Mentor:
    return Mentor(
        first_name=first_name,
        municipality="Rimouski",
        region_code="01",
        settled_since=datetime(2020, 5, 1).date(),
        languages=["fr"],
        topics=["housing"],
        contact_channel="email",
        contact_value=contact,
        consent_given_at=NOW,
        sender_id=sender_id,
    )


def _a_person_in_every_table(s: Session, person: str, other: str) -> None:
    now = time.time()
    s.add(Candidate(sender_id=person, language="fr", consent_given_at=NOW))
    _event(s, person, "user", now, {"text": "Je pars à Rimouski lundi"})
    _event(s, person, "bot", now + 1, {"text": "Voici votre aide-mémoire."})
    _event(s, person, "slot", now + 2, {"name": "city", "value": "Rimouski"})
    s.add(InboundMessage(chat_id=person, text="Je pars à Rimouski lundi", metadata_json='{"first_name": "Amina"}'))
    s.add(QuestionnaireAnswer(sender_id=person, theme="family", question="household", value="couple"))
    s.add(CompetencyScore(sender_id=person, competency="initiative", score=4.5))
    s.add(Checklist(sender_id=person, destination="Rimouski", region="Bas-Saint-Laurent"))
    s.add(ChecklistItemStatus(sender_id=person, item_key="lease", status="done"))
    s.add(
        LiaisonNote(sender_id=person, region="Bas-Saint-Laurent", organisation="Place aux jeunes", text="Arrive lundi")
    )
    handoff = Handoff(
        sender_id=person,
        reason="asked",
        last_message="Je veux parler à quelqu'un",
        status="closed",
        claimed_by=f"console:{COUNSELLOR_EMAIL}",
        claimed_by_name=COUNSELLOR_NAME,
        claimed_at=NOW,
        closed_at=NOW,
    )
    s.add(handoff)
    s.flush()
    s.add(
        CounsellorReply(handoff_id=handoff.id, sender_id=person, author=COUNSELLOR_EMAIL, text="Bonjour!", sent_at=NOW)
    )
    # Their own mentor record, with a request from someone else (whose identity stays out).
    own = _mentor("Amina", "amina@example.org", sender_id=person)
    shared, unshared = _mentor("Luc", SHARED_CONTACT), _mentor("Marie", UNSHARED_CONTACT)
    s.add_all([own, shared, unshared])
    s.flush()
    s.add(MentorRequest(candidate_sender_id=other, mentor_id=own.id, status="asked"))
    s.add(MentorRequest(candidate_sender_id=person, mentor_id=shared.id, status="accepted", contact_shared_at=NOW))
    s.add(MentorRequest(candidate_sender_id=person, mentor_id=unshared.id, status="asked"))
    webinar = Webinar(
        code=f"w{time.time_ns()}"[-20:], title="Vivre au Bas-Saint-Laurent", starts_at=NOW, created_by="x"
    )
    s.add(webinar)
    s.flush()
    attendee = WebinarAttendee(webinar_id=webinar.id, sender_id=person, followups_consent=True)
    s.add(attendee)
    s.flush()
    s.add(FollowupDelivery(attendee_id=attendee.id, step="day_after", due_at=NOW, next_attempt_at=NOW))
    s.add(ConversationLabel(sender_id=person, label="urgent", added_by=COUNSELLOR_EMAIL))
    s.add(CandidateNote(sender_id=person, author=COUNSELLOR_EMAIL, text=NOTE))
    # Someone else, who must never appear in the person's copy.
    s.add(Candidate(sender_id=other, language="en", consent_given_at=NOW))
    _event(s, other, "user", now, {"text": OTHER_SECRET})
    s.add(CandidateNote(sender_id=other, author=COUNSELLOR_EMAIL, text=OTHER_SECRET))
    s.add(InboundMessage(chat_id=other, text=OTHER_SECRET))


@pytest.fixture()
def person(database_url) -> str:
    person, other = f"law25-{time.time_ns()}", f"other-{time.time_ns()}"
    with session_scope() as s:
        _a_person_in_every_table(s, person, other)
    return person


def _copy_text(copy: dict) -> str:
    return json.dumps(copy, ensure_ascii=False)


# --- Access


def test_the_copy_holds_every_section_and_the_notes_marked_and_nobody_else(session, person):
    copy = candidates.export_about(session, person)
    json.loads(_copy_text(copy))  # JSON all the way down
    assert all(copy[name] for name in candidates.SECTIONS), [n for n in candidates.SECTIONS if not copy[n]]
    header = copy["header"]
    assert header["person"] == person and set(header["sections"]) == set(candidates.SECTIONS)
    assert {r["days"] for r in header["retention_days"]} == set(get_settings().retention_days().values())
    assert [n["counsellor_note"] for n in copy["internal_notes_counsellors"]] == [NOTE]
    assert "Loi 25" in header["sections"]["internal_notes_counsellors"]
    assert [m["text"] for m in copy["conversation"]] == ["Je pars à Rimouski lundi", "Voici votre aide-mémoire."]
    assert copy["conversation_memory"] == [{"item": "city", "value": "Rimouski"}]
    contacts = {r["mentor"]["first_name"]: r["mentor_contact"] for r in copy["mentor_requests"]}
    assert contacts == {"Luc": {"channel": "email", "contact": SHARED_CONTACT}, "Marie": None}
    text = _copy_text(copy)
    # Nobody else's data: no other person, no contact not given, no counsellor's identity.
    for foreign in (OTHER_SECRET, "other-", UNSHARED_CONTACT, COUNSELLOR_EMAIL, COUNSELLOR_NAME):
        assert foreign not in text


def test_every_line_of_the_summary_has_a_label_even_for_a_webinar_attendee_only(session, person):
    keys = {"consent_given_on", "language"} | (set(candidates.SECTIONS) - {"candidate"})
    assert keys <= set(STORED)
    attendee_only = f"attendee-{time.time_ns()}"
    webinar = session.scalars(select(Webinar)).first()
    session.add(WebinarAttendee(webinar_id=webinar.id, sender_id=attendee_only))
    session.flush()
    stored = candidates.summary(candidates.export_about(session, attendee_only))
    assert stored == {"webinars": 1}
    assert "webinaires : 1" in stored_lines(stored, "fr")  # was a KeyError


class FakeMessage:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self.documents: list[tuple[bytes, dict]] = []

    async def reply_text(self, text: str, **_) -> None:
        self.texts.append(text)

    async def reply_document(self, document: bytes, **options) -> None:
        self.documents.append((document, options))


def _my_data(sender_id: str, language_code: str = "fr") -> FakeMessage:
    message = FakeMessage()
    update = SimpleNamespace(
        effective_chat=SimpleNamespace(id=sender_id),
        effective_user=SimpleNamespace(language_code=language_code),
        effective_message=message,
    )
    asyncio.run(on_my_data(update, SimpleNamespace()))
    return message


def test_mesdonnees_sends_the_copy_as_a_json_file(person):
    message = _my_data(person)
    [(document, options)] = message.documents
    assert options["filename"] == f"mes-donnees-{datetime.now(timezone.utc).date()}.json"
    assert options["caption"].startswith("Votre copie complète")
    sent = json.loads(document.decode("utf-8"))
    with session_scope() as s:
        expected = candidates.export_about(s, person)
    sent["header"].pop("generated_at"), expected["header"].pop("generated_at")
    assert sent == json.loads(_copy_text(expected))
    assert sent["internal_notes_counsellors"][0]["counsellor_note"] == NOTE
    assert "messages de la conversation : 2" in message.texts[0]


def test_mesdonnees_says_plainly_when_nothing_is_kept(database_url):
    message = _my_data(f"nobody-{time.time_ns()}", "en")
    assert message.texts == ["We keep nothing about you at the moment."] and not message.documents


def test_the_console_downloads_the_same_copy_and_the_audit_log_says_who(counsellor, person):
    page = counsellor.get(f"/dossiers/{person}").get_data(as_text=True)
    assert f"/dossiers/{person}/access-copy.json" in page
    response = counsellor.get(f"/dossiers/{person}/access-copy.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    copy = response.get_json()
    assert copy["header"]["person"] == person
    assert copy["internal_notes_counsellors"][0]["counsellor_note"] == NOTE
    with session_scope() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.subject_id == person)).all()[-1]
        assert (entry.user_email, entry.action, entry.subject) == (console.COUNSELLOR[0], "exported", "access_copy")


def test_the_copy_needs_a_log_in(client, person):
    response = client.get(f"/dossiers/{person}/access-copy.json")
    assert response.status_code in (302, 401) and NOTE not in response.get_data(as_text=True)


# --- Printouts and exports meant for others


class PrintedText(HTMLParser):
    """The text of a page as printed: what is inside a `no-print` element is left out."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.open: list[bool] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in self.VOID:
            self.open.append("no-print" in (dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag) -> None:
        if tag not in self.VOID and self.open:
            self.open.pop()

    def handle_data(self, data) -> None:
        if not any(self.open):
            self.text.append(data)


def printed(page: str) -> str:
    parser = PrintedText()
    parser.feed(page)
    return " ".join(parser.text)


def test_private_notes_are_on_no_printout_nor_export(counsellor, person):
    dossier = counsellor.get(f"/dossiers/{person}").get_data(as_text=True)
    assert NOTE in dossier and NOTE not in printed(dossier)  # on screen for the team only
    for path in (
        f"/conversations/{person}?print=1",
        f"/conversations/{person}/export.csv",
        f"/dossiers/{person}/report.json",
        "/regions/01",
    ):
        response = counsellor.get(path)
        assert response.status_code == 200, path
        assert NOTE not in response.get_data(as_text=True), path


# --- Retention


@pytest.fixture()
def empty_database(tmp_path):
    """A database of its own, so that the purge's counts are exactly this test's rows."""
    engine = make_engine(f"sqlite:///{tmp_path / 'retention.db'}")
    Base.metadata.create_all(engine)
    with Session(engine, future=True) as s:
        s.add(Region(code="01", name="Bas-Saint-Laurent", population_2021=1, population_2016=1, land_area_km2=1.0))
        s.commit()
        yield s


def test_purge_deletes_exactly_what_is_past_each_period_and_records_the_run(empty_database):
    s, settings = empty_database, Settings()
    days = settings.retention_days()

    def old(kind: str) -> datetime:
        return NOW - timedelta(days=days[kind] + 1)

    def fresh(kind: str) -> datetime:
        return NOW - timedelta(days=days[kind] - 1)

    # Conversations: one person inactive for too long; others seen lately in one way or another.
    gone, talked, wrote, mentor = "gone", "talked", "wrote", "mentor"
    for sender_id in (gone, talked, wrote, mentor):
        s.add(Candidate(sender_id=sender_id, consent_given_at=old("conversations"), last_seen_at=old("conversations")))
        _event(s, sender_id, "user", old("conversations").timestamp(), {"text": "bonjour"})
    _event(s, talked, "user", fresh("conversations").timestamp(), {"text": "encore moi"})
    s.add(InboundMessage(chat_id=wrote, text="allo", received_at=fresh("conversations")))
    s.add_all(
        [
            CandidateNote(sender_id=gone, author="x", text="note"),
            ConversationLabel(sender_id=gone, label="l", added_by="x"),
        ]
    )
    s.add(_mentor("Active", "active@example.org", sender_id=mentor))  # their record has its own consent
    # Telegram messages handed to Rasa, and one still waiting.
    s.add_all(
        InboundMessage(chat_id=talked, text=t, received_at=r, delivered_at=d)
        for t, r, d in (
            ("old", old("inbound_messages"), old("inbound_messages")),
            ("fresh", fresh("inbound_messages"), fresh("inbound_messages")),
            ("waiting", old("inbound_messages"), None),
        )
    )
    # Requests to a counsellor: closed long ago, closed lately, still open with an old reply sent.
    closed_old = Handoff(
        sender_id=talked, reason="asked", status="closed", closed_at=old("handoffs"), card_message_id="77"
    )
    closed_fresh = Handoff(sender_id=talked, reason="asked", status="closed", closed_at=fresh("handoffs"))
    still_open = Handoff(sender_id=talked, reason="asked", status="open", opened_at=old("handoffs"))
    s.add_all([closed_old, closed_fresh, still_open])
    s.flush()
    s.add(GroupMessage(handoff_id=closed_old.id, message_id="78"))
    s.add_all(
        CounsellorReply(handoff_id=h.id, sender_id=talked, author="x", text=t, sent_at=at)
        for h, t, at in (
            (closed_old, "with its request", fresh("handoffs")),
            (closed_fresh, "kept", fresh("handoffs")),
            (still_open, "sent long ago", old("handoffs")),
            (still_open, "not sent yet", None),
        )
    )
    s.add_all(
        [
            ButtonPayload(key="old", payload="/help", created_at=old("button_payloads")),
            ButtonPayload(key="fresh", payload="/stop", created_at=fresh("button_payloads")),
            AuditEntry(user_email="x", action="viewed", subject="dossier", subject_id="t", at=old("audit_log")),
            AuditEntry(user_email="x", action="viewed", subject="dossier", subject_id="effacé-1", at=old("audit_log")),
            AuditEntry(user_email="x", action="viewed", subject="dossier", subject_id="t", at=fresh("audit_log")),
        ]
    )
    asked_of = _mentor("Luc", "luc@example.org")
    s.add(asked_of)
    s.flush()
    s.add_all(
        MentorRequest(candidate_sender_id=c, mentor_id=asked_of.id, status=st, asked_at=asked, answered_at=answered)
        for c, st, asked, answered in (
            ("declined-old", "declined", old("mentor_requests"), old("mentor_requests")),
            ("expired-old", "expired", old("mentor_requests"), None),
            ("declined-fresh", "declined", old("mentor_requests"), fresh("mentor_requests")),
            ("open-old", "asked", old("mentor_requests"), None),
            ("accepted-old", "accepted", old("mentor_requests"), old("mentor_requests")),
        )
    )
    for code, starts_at in (("past", old("webinar_attendees")), ("recent", fresh("webinar_attendees"))):
        webinar = Webinar(code=code, title=code, starts_at=starts_at, created_by="x")
        s.add(webinar)
        s.flush()
        attendee = WebinarAttendee(webinar_id=webinar.id, sender_id=f"attendee-{code}")
        s.add(attendee)
        s.flush()
        s.add(FollowupDelivery(attendee_id=attendee.id, step="day_after", due_at=starts_at, next_attempt_at=starts_at))
    s.commit()

    counts = retention.purge(s, settings, NOW)
    s.commit()

    assert counts.pop("inactive_people_rows") >= 3  # the candidate, the note, the label (what erase counts)
    assert counts == {
        "inactive_people": 1,
        "conversation_events": 1,
        "inbound_messages": 1,
        "counsellor_replies": 2,
        "handoffs": 1,
        "button_payloads": 1,
        "audit_entries": 2,
        "mentor_requests": 2,
        "followup_deliveries": 1,
        "webinar_attendees": 1,
    }
    people = set(s.scalars(select(Candidate.sender_id)))
    assert people == {talked, wrote, mentor}
    senders = {row[0] for row in s.execute(sql("SELECT DISTINCT sender_id FROM events"))}
    assert senders == {talked, wrote, mentor}
    assert not s.scalars(select(CandidateNote).where(CandidateNote.sender_id == gone)).all()
    assert {m.text for m in s.scalars(select(InboundMessage))} == {"allo", "fresh", "waiting"}
    assert set(s.scalars(select(Handoff.id))) == {closed_fresh.id, still_open.id}
    assert set(s.scalars(select(CounsellorReply.text))) == {"kept", "not sent yet"}
    assert sorted(s.scalars(select(GroupDeletion.message_id))) == ["77", "78"]  # removed from the group too
    assert list(s.scalars(select(ButtonPayload.key))) == ["fresh"]
    assert [a.at.date() for a in s.scalars(select(AuditEntry))] == [fresh("audit_log").date()]
    left = set(s.scalars(select(MentorRequest.candidate_sender_id)))
    assert left == {"declined-fresh", "open-old", "accepted-old"}
    assert list(s.scalars(select(WebinarAttendee.sender_id))) == ["attendee-recent"]
    assert s.scalar(select(Webinar).where(Webinar.code == "past")) is not None  # the webinar itself stays
    [run] = s.scalars(select(RetentionRun)).all()
    assert run.counts["handoffs"] == 1 and run.counts["inactive_people"] == 1


def test_cutoffs_follow_the_settings():
    settings = Settings(retention_conversation_days=10, retention_button_payloads_days=1)
    limits = retention.cutoffs(settings, NOW)
    assert limits["conversations"] == NOW - timedelta(days=10)
    assert limits["button_payloads"] == NOW - timedelta(days=1)
    assert set(limits) == set(settings.retention_days())


def test_python_m_app_purge_runs_once_and_records_it(database_url, capsys):
    with session_scope() as s:
        runs = s.scalar(sql("SELECT count(*) FROM retention_runs"))
    assert cli.main(["purge"]) == 0
    assert capsys.readouterr().out.startswith("retention purge: ")
    with session_scope() as s:
        assert s.scalar(sql("SELECT count(*) FROM retention_runs")) == runs + 1


def test_the_purge_loop_goes_on_after_a_failed_run(monkeypatch):
    runs: list[str] = []

    class Stop(Exception):
        pass

    def sleep(seconds: float) -> None:
        assert seconds == 24 * 3600
        assert runs, "the first purge comes at start, not a day later"
        if len(runs) == 2:
            raise Stop

    def purge_once() -> None:
        runs.append("run")
        if len(runs) == 1:
            raise RuntimeError("database down")

    monkeypatch.setattr(cli.time, "sleep", sleep)
    monkeypatch.setattr(cli, "purge_once", purge_once)
    with pytest.raises(Stop):
        cli.main(["purge", "--every-hours", "24"])
    assert runs == ["run", "run"]
