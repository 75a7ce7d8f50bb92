"""Mentor pairing (Tool 5): ranking (pure), double opt-in, pause and withdrawal, expiry,
the six-month invitation, the demo seed and erasure, on a real migrated database."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date, datetime, timedelta, timezone
from functools import cache

import pytest
from sqlalchemy import delete, func, select

from app import candidates, mentors
from app.db import session_scope
from app.mentors import (
    ACCEPTED,
    ACTIVE,
    DECLINED,
    EXPIRED,
    PAUSED,
    REACH_KM,
    WITHDRAWN,
    CandidateProfile,
    Destination,
    MentorAnswers,
    MentorProfile,
    PairingError,
)
from app.mentors.suggestions import as_utc
from app.models import Candidate, Checklist, Mentor, MentorRequest, Municipality
from app.places import PlaceRef, distance_km, load_gazetteer
from tests.conftest import ROOT

NOW = datetime(2026, 9, 15, 14, 0, tzinfo=timezone.utc)


@cache
def _coordinates() -> dict[tuple[str, str], tuple[float, float]]:
    with (ROOT / "knowledge" / "municipalities.csv").open(encoding="utf-8", newline="") as f:
        return {
            (r["name"], r["region_code"]): (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f) if r["lat"]
        }


def place(name: str, region_code: str) -> Destination:
    return Destination(name, region_code, *_coordinates()[(name, region_code)])


def profile(mentor_id: int, name: str, region_code: str, **fields) -> MentorProfile:
    lat, lon = _coordinates()[(name, region_code)]
    fields.setdefault("languages", ("fr",))
    return MentorProfile(mentor_id, f"M{mentor_id}", name, region_code, lat, lon, **fields)


RIMOUSKI = place("Rimouski", "01")
FRENCH = CandidateProfile(languages=("fr",))


# --- Ranking (pure)


def test_same_municipality_then_nearer_then_same_region_then_other_region_within_reach():
    around = [
        profile(6, "Baie-Comeau", "09"),  # Côte-Nord, across the river: 90 km
        profile(5, "Pohénégamook", "01"),  # same region, 121 km
        profile(3, "Trois-Pistoles", "01"),  # 60 km
        profile(4, "Forestville", "09"),  # another region, but 52 km
        profile(2, "Mont-Joli", "01"),  # 29 km
        profile(1, "Rimouski", "01"),
        profile(7, "Sainte-Anne-des-Monts", "11"),  # another region, 167 km: out of reach
        profile(8, "Sherbrooke", "05"),
    ]
    ranked = mentors.rank_mentors(around, RIMOUSKI, FRENCH)
    assert [s.mentor_id for s in ranked] == [1, 2, 4, 3, 5, 6]
    assert ranked[0].distance_km == 0 and 25 < ranked[1].distance_km < 30
    assert ranked[0].reason_fr.startswith("À Rimouski même")
    assert ranked[1].reason_fr.startswith("À Mont-Joli, à 29 km")
    assert ranked[4].reason_fr.startswith("À Pohénégamook, à 121 km, dans la même région")
    assert ranked[4].reason_en.startswith("In Pohénégamook, 121 km away, same region")


def test_reach_limits_other_regions_only():
    gaspe = profile(1, "Gaspé", "11")  # another region, 300 km from Rimouski
    assert distance_km(RIMOUSKI.lat, RIMOUSKI.lon, gaspe.lat, gaspe.lon) > 2 * REACH_KM
    assert mentors.rank_mentors([gaspe], RIMOUSKI, FRENCH) == []
    # Within the destination's region, a mentor is kept however far (Nord-du-Québec is vast).
    chibougamau, matagami = place("Chibougamau", "10"), profile(2, "Matagami", "10")
    assert distance_km(chibougamau.lat, chibougamau.lon, matagami.lat, matagami.lon) > REACH_KM
    (suggestion,) = mentors.rank_mentors([matagami], chibougamau, FRENCH)
    assert suggestion.mentor_id == 2 and "dans la même région" in suggestion.reason_fr


def test_no_mentor_within_reach_gives_an_empty_list():
    assert mentors.rank_mentors([profile(1, "Rimouski", "01")], place("Sherbrooke", "05"), FRENCH) == []
    assert mentors.rank_mentors([], RIMOUSKI, FRENCH) == []


def test_a_shared_language_comes_first_among_mentors_as_near():
    near = [
        profile(1, "Saint-Anaclet-de-Lessard", "01", languages=("es",)),  # 8 km
        profile(2, "Mont-Joli", "01", languages=("en", "fr")),  # 29 km
    ]
    ranked = mentors.rank_mentors(near, RIMOUSKI, FRENCH)
    assert [s.mentor_id for s in ranked] == [2, 1]
    assert "parcours proche" in ranked[0].reason_fr and "parcours" not in ranked[1].reason_fr
    english = mentors.rank_mentors(near, RIMOUSKI, CandidateProfile(languages=("en",)))
    assert english[0].mentor_id == 2 and "background close to yours" in english[0].reason_en
    # Distance still comes first: the same town without a shared language beats a neighbour.
    town = [profile(3, "Rimouski", "01", languages=("es",)), profile(4, "Mont-Joli", "01")]
    assert [s.mentor_id for s in mentors.rank_mentors(town, RIMOUSKI, FRENCH)] == [3, 4]


def test_field_family_and_requested_topics_break_ties_in_that_order():
    candidate = CandidateProfile(
        languages=("fr",), field_of_work="Santé", family_situation="family", topics=("housing", "tour")
    )
    same_town = [
        profile(1, "Rimouski", "01", topics=("employment",)),
        profile(2, "Rimouski", "01", family_situation="family", topics=("employment",)),
        profile(3, "Rimouski", "01", field_of_work="santé", topics=("employment",)),
        profile(4, "Rimouski", "01", topics=("housing",)),
        profile(5, "Rimouski", "01", topics=("housing", "tour")),
    ]
    ranked = mentors.rank_mentors(same_town, RIMOUSKI, candidate)
    assert [s.mentor_id for s in ranked] == [3, 2, 5, 4, 1]  # not by name (M1…M5): by what they share
    assert ranked[0].reason_fr == "À Rimouski même · un parcours proche du vôtre"
    assert (
        ranked[2].reason_fr
        == "À Rimouski même · un parcours proche du vôtre · connaît le logement · peut vous faire visiter"
    )
    assert (
        ranked[2].reason_en
        == "In Rimouski itself · a background close to yours · knows about housing · can show you around"
    )
    # Field, family and language guide the order but are not told before the mentor's yes.
    assert not any(word in s.reason_fr for s in ranked for word in ("santé", "famille", "français"))


def test_the_full_reason_line():
    mentor = profile(
        1, "Rimouski", "01", field_of_work="santé", family_situation="couple", topics=("housing", "employment")
    )
    candidate = CandidateProfile(("fr",), "Santé", "couple", ("housing",))
    (suggestion,) = mentors.rank_mentors([mentor], RIMOUSKI, candidate)
    fr = ["À Rimouski même", "un parcours proche du vôtre", "connaît le logement"]
    en = ["In Rimouski itself", "a background close to yours", "knows about housing"]
    assert suggestion.reason("fr") == " · ".join(fr)
    assert suggestion.reason("en") == " · ".join(en)


def test_a_suggestion_shows_only_first_name_municipality_and_topics():
    fields = {f.name for f in dataclasses.fields(mentors.Suggestion)}
    assert fields == {"mentor_id", "first_name", "municipality", "topics", "reason_fr", "reason_en", "distance_km"}
    (suggestion,) = mentors.rank_mentors([profile(1, "Rimouski", "01", topics=("tour", "housing"))], RIMOUSKI, FRENCH)
    assert (suggestion.first_name, suggestion.municipality, suggestion.topics) == (
        "M1",
        "Rimouski",
        ("housing", "tour"),
    )


def test_paused_withdrawn_full_or_excluded_mentors_are_never_suggested():
    group = [
        profile(1, "Rimouski", "01", status=PAUSED),
        profile(2, "Rimouski", "01", status=WITHDRAWN),
        profile(3, "Rimouski", "01", max_contacts_per_month=2, contacts_this_month=2),
        profile(4, "Rimouski", "01"),
        profile(5, "Rimouski", "01"),
    ]
    assert [s.mentor_id for s in mentors.rank_mentors(group, RIMOUSKI, FRENCH, exclude={5})] == [4]


def test_a_region_destination_keeps_the_mentors_of_that_region():
    group = [profile(1, "Mont-Joli", "01"), profile(2, "Forestville", "09"), profile(3, "Rimouski", "01")]
    ranked = mentors.rank_mentors(group, Destination("Bas-Saint-Laurent", "01", kind="region"), FRENCH)
    assert [s.mentor_id for s in ranked] == [1, 3]  # no distance: by first name
    assert ranked[0].reason_fr == "À Mont-Joli, dans la même région · un parcours proche du vôtre"


def test_months_before_clamps_to_the_end_of_the_month():
    assert mentors.months_before(date(2026, 9, 15), 6) == date(2026, 3, 15)
    assert mentors.months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert mentors.months_before(date(2024, 8, 31), 6) == date(2024, 2, 29)
    assert mentors.months_before(date(2026, 3, 10), 6) == date(2025, 9, 10)


# --- On the database


def _clear() -> None:
    with session_scope() as s:
        s.execute(delete(MentorRequest))
        s.execute(delete(Mentor))


@pytest.fixture()
def db(database_url):
    """A session on a database without any mentor (the demo seed test adds some)."""
    _clear()
    with session_scope() as s:
        yield s
    _clear()


def answers(municipality: str = "Rimouski", region_code: str = "01", **fields) -> MentorAnswers:
    values = {
        "first_name": "Nadia",
        "settled_since": date(2024, 5, 1),
        "languages": ["fr"],
        "topics": ["housing", "social_life"],
        "contact_channel": "email",
        "contact_value": "nadia@example.org",
        "max_contacts_per_month": 3,
        **fields,
    }
    return MentorAnswers(municipality=municipality, region_code=region_code, **values)


def add_mentor(
    session, sender_id: str | None = None, municipality: str = "Rimouski", region_code: str = "01", **fields
):
    return mentors.become_mentor(
        session, sender_id, answers(municipality, region_code, **fields), consent=True, now=NOW
    )


def rimouski() -> PlaceRef:
    return load_gazetteer().city("Rimouski")


def suggested(session, sender_id: str = "cand-x", now: datetime = NOW) -> list[int]:
    return [s.mentor_id for s in mentors.suggest_mentors(session, rimouski(), FRENCH, sender_id, limit=None, now=now)]


def test_become_mentor_needs_explicit_consent_and_a_real_municipality(db):
    with pytest.raises(PairingError) as refused:
        mentors.become_mentor(db, "m-consent", answers(), consent=False, now=NOW)
    assert refused.value.reason == PairingError.NO_CONSENT
    with pytest.raises(PairingError) as invalid:
        mentors.become_mentor(db, "m-consent", answers("Atlantide", "01", topics=["gossip"]), consent=True, now=NOW)
    assert invalid.value.reason == PairingError.INVALID and "municipality" in invalid.value.detail
    assert "topics" in invalid.value.detail
    assert db.scalar(select(func.count()).select_from(Mentor)) == 0
    mentor = mentors.become_mentor(db, "m-consent", answers(), consent=True, now=NOW)
    assert mentor.status == ACTIVE and not mentor.is_demo
    assert as_utc(mentor.consent_given_at) == NOW


def test_suggestions_from_the_database_use_the_municipalities_coordinates(db):
    town = add_mentor(db, "m-town")
    near = add_mentor(db, "m-near", "Mont-Joli")
    far = add_mentor(db, "m-far", "Pohénégamook")
    add_mentor(db, "m-away", "Sherbrooke", "05")
    suggestions = mentors.suggest_mentors(db, rimouski(), FRENCH, "cand-x", now=NOW)
    assert [s.mentor_id for s in suggestions] == [town.id, near.id, far.id]
    assert 25 < suggestions[1].distance_km < 30
    # The candidate's own mentor record is not suggested to them.
    assert town.id not in suggested(db, "m-town")


def test_pause_and_withdrawal_take_effect_at_once(db):
    mentor = add_mentor(db, "m-pause")
    assert suggested(db) == [mentor.id]
    mentors.set_status(db, "m-pause", PAUSED)
    assert suggested(db) == []
    with pytest.raises(PairingError) as paused:
        mentors.request_contact(db, "cand-x", mentor.id, "Rimouski", now=NOW)
    assert paused.value.reason == PairingError.UNAVAILABLE
    mentors.set_status(db, mentor.id, ACTIVE)  # resume, by id this time
    assert suggested(db) == [mentor.id]

    request = mentors.request_contact(db, "cand-x", mentor.id, "Rimouski", ["housing"], now=NOW)
    mentors.answer_request(db, request.id, True, now=NOW)
    assert mentors.contact_details_for_candidate(db, request.id) is not None
    asked = mentors.request_contact(db, "cand-y", mentor.id, "Rimouski", now=NOW)
    mentors.set_status(db, "m-pause", WITHDRAWN)
    assert suggested(db, "cand-z") == []
    assert (request.status, asked.status) == (WITHDRAWN, WITHDRAWN)
    assert mentors.contact_details_for_candidate(db, request.id) is None
    with pytest.raises(PairingError) as closed:
        mentors.answer_request(db, asked.id, True, now=NOW)
    assert closed.value.reason == PairingError.NOT_OPEN
    with pytest.raises(PairingError) as comeback:
        mentors.set_status(db, "m-pause", ACTIVE)
    assert comeback.value.reason == PairingError.CONSENT_NEEDED
    assert mentors.become_mentor(db, "m-pause", answers(), consent=True, now=NOW).status == ACTIVE


def test_a_second_request_for_the_same_mentor_returns_the_first(db):
    mentor = add_mentor(db, "m-twice")
    first = mentors.request_contact(db, "cand-twice", mentor.id, "Rimouski", ["housing", "nonsense"], now=NOW)
    second = mentors.request_contact(db, "cand-twice", mentor.id, "Mont-Joli", ["employment"], now=NOW)
    assert second.id == first.id and second.destination == "Rimouski" and second.topics == ["housing"]
    count = select(func.count()).select_from(MentorRequest).where(MentorRequest.candidate_sender_id == "cand-twice")
    assert db.scalar(count) == 1
    # A mentor who said no is not asked again, and is no longer suggested to that candidate.
    mentors.answer_request(db, first.id, False, now=NOW)
    assert mentors.request_contact(db, "cand-twice", mentor.id, "Rimouski", now=NOW).status == DECLINED
    assert suggested(db, "cand-twice") == [] and suggested(db, "cand-other") == [mentor.id]


def test_no_contact_details_before_the_mentors_yes_nor_after_a_no(db):
    mentor = add_mentor(db, "m-yes", contact_channel="telegram", contact_value="424242")
    request = mentors.request_contact(db, "cand-yes", mentor.id, "Rimouski", ["housing"], now=NOW)
    assert request.status == "asked"
    assert mentors.contact_details_for_candidate(db, request.id) is None
    assert [r.id for r in mentors.pending_for_mentor(db, "m-yes")] == [request.id]
    with pytest.raises(PairingError):  # someone else cannot answer for the mentor
        mentors.answer_request(db, request.id, True, mentor_sender_id="intruder", now=NOW)
    assert request.status == "asked"

    mentors.answer_request(db, request.id, True, mentor_sender_id="m-yes", now=NOW)
    assert request.status == ACCEPTED and mentors.pending_for_mentor(db, "m-yes") == []
    assert mentors.contact_details_for_candidate(db, request.id, "someone-else") is None
    details = mentors.contact_details_for_candidate(db, request.id, "cand-yes", now=NOW + timedelta(minutes=1))
    assert details == mentors.ContactDetails("Nadia", "telegram", "424242")
    assert as_utc(request.contact_shared_at) == NOW + timedelta(minutes=1)

    other = mentors.request_contact(db, "cand-no", mentor.id, "Rimouski", now=NOW)
    mentors.answer_request(db, other.id, False, now=NOW)
    assert other.status == DECLINED
    assert mentors.contact_details_for_candidate(db, other.id) is None
    with pytest.raises(PairingError) as changed_mind:
        mentors.answer_request(db, other.id, True, now=NOW)
    assert changed_mind.value.reason == PairingError.NOT_OPEN
    assert mentors.contact_details_for_candidate(db, other.id, "cand-no") is None


def test_max_contacts_per_month(db):
    mentor = add_mentor(db, "m-busy", max_contacts_per_month=2)
    mentors.request_contact(db, "cand-1", mentor.id, "Rimouski", now=NOW)
    mentors.request_contact(db, "cand-2", mentor.id, "Rimouski", now=NOW + timedelta(days=1))
    with pytest.raises(PairingError) as full:
        mentors.request_contact(db, "cand-3", mentor.id, "Rimouski", now=NOW + timedelta(days=2))
    assert full.value.reason == PairingError.FULL
    assert suggested(db, "cand-3", NOW + timedelta(days=2)) == []
    # A month later the mentor can be asked again.
    later = NOW + timedelta(days=31)
    assert suggested(db, "cand-3", later) == [mentor.id]
    assert mentors.request_contact(db, "cand-3", mentor.id, "Rimouski", now=later).status == "asked"


def test_unanswered_requests_expire_after_a_week(db):
    mentor = add_mentor(db, "m-slow")
    waiting = mentors.request_contact(db, "cand-wait", mentor.id, "Rimouski", now=NOW)
    answered = mentors.request_contact(db, "cand-answered", mentor.id, "Rimouski", now=NOW)
    mentors.answer_request(db, answered.id, True, now=NOW)
    assert mentors.expire_unanswered(db, NOW + timedelta(days=7) - timedelta(minutes=1)) == []
    assert waiting.status == "asked"
    expired = mentors.expire_unanswered(db, NOW + timedelta(days=7))
    assert [r.id for r in expired] == [waiting.id] and expired[0].candidate_sender_id == "cand-wait"
    assert (waiting.status, answered.status) == (EXPIRED, ACCEPTED)
    assert mentors.expire_unanswered(db, NOW + timedelta(days=8)) == []  # told once
    with pytest.raises(PairingError):
        mentors.answer_request(db, waiting.id, True, now=NOW + timedelta(days=8))
    assert mentors.contact_details_for_candidate(db, waiting.id) is None
    # Offered another: that mentor is left out for this candidate.
    other = add_mentor(db, "m-other", "Mont-Joli")
    assert suggested(db, "cand-wait", NOW + timedelta(days=8)) == [other.id]


def _left(session, sender_id: str, start: date | None, consent: bool = True, known: bool = True) -> None:
    session.merge(Candidate(sender_id=sender_id, consent_given_at=NOW - timedelta(days=400) if consent else None))
    session.merge(Checklist(sender_id=sender_id, start_date=start, start_date_known=known, destination="Rimouski"))
    session.flush()


def test_invitation_six_months_after_the_departure(db):
    _left(db, "inv-exactly", date(2026, 3, 15))  # six months before NOW to the day
    _left(db, "inv-long-ago", date(2025, 1, 10))
    _left(db, "inv-one-day-short", date(2026, 3, 16))
    _left(db, "inv-no-consent", date(2025, 1, 10), consent=False)
    _left(db, "inv-unknown-date", None, known=False)
    _left(db, "inv-invited", date(2025, 1, 10))
    assert mentors.record_invitation(db, "inv-invited", NOW - timedelta(days=30))
    _left(db, "inv-mentor", date(2025, 1, 10))
    add_mentor(db, "inv-mentor")

    due = [i for i in mentors.due_for_invitation(db, NOW) if i.sender_id.startswith("inv-")]
    assert [i.sender_id for i in due] == ["inv-long-ago", "inv-exactly"]  # earliest departure first
    assert due[1] == mentors.Invitation("inv-exactly", "fr", "Rimouski", date(2026, 3, 15))
    assert "inv-one-day-short" in [i.sender_id for i in mentors.due_for_invitation(db, NOW + timedelta(days=1))]

    assert mentors.record_invitation(db, "inv-exactly", NOW)
    assert "inv-exactly" not in [i.sender_id for i in mentors.due_for_invitation(db, NOW + timedelta(days=60))]
    assert not mentors.record_invitation(db, "inv-nobody", NOW)
    for sender_id in ("inv-exactly", "inv-long-ago", "inv-one-day-short", "inv-no-consent", "inv-unknown-date",
                      "inv-invited", "inv-mentor"):  # fmt: skip
        candidates.erase(db, sender_id)


def test_demo_seed_only_on_request_idempotent_and_flagged(db):
    with pytest.raises(PermissionError):
        mentors.load_demo_mentors(db)
    assert db.scalar(select(func.count()).select_from(Mentor)) == 0
    db.commit()

    from app.__main__ import main

    assert main(["seed-demo-mentors"]) == 0
    with session_scope() as s:
        first = {m.sender_id: (m.id, m.consent_given_at) for m in s.scalars(select(Mentor))}
    assert main(["seed-demo-mentors"]) == 0
    with session_scope() as s:
        rows = list(s.scalars(select(Mentor)))
        assert {m.sender_id: (m.id, m.consent_given_at) for m in rows} == first
        assert 5 <= len(rows) <= 6 and all(m.is_demo for m in rows)
        assert len({m.region_code for m in rows}) >= 4
        for m in rows:
            assert m.sender_id.startswith("demo-") and " " not in m.first_name.strip()
            assert m.contact_value.endswith("@example.org") or m.contact_value.startswith("demo-")
            found = s.scalar(
                select(func.count())
                .select_from(Municipality)
                .where(Municipality.name == m.municipality, Municipality.region_code == m.region_code)
            )
            assert found, m.municipality
        # A database with real mentors refuses demo ones.
        add_mentor(s, "real-person")
        s.flush()
        with pytest.raises(PermissionError):
            mentors.load_demo_mentors(s, confirm=True)
        assert mentors.remove_demo_mentors(s) == len(rows)
        assert [m.sender_id for m in s.scalars(select(Mentor))] == ["real-person"]


def test_erase_removes_the_mentor_record_and_every_request(db):
    person = add_mentor(db, "erase-me")
    other = add_mentor(db, "erase-other", "Mont-Joli")
    by_telegram = add_mentor(db, None, "Mont-Joli", contact_channel="telegram", contact_value="erase-tg")
    kept = mentors.request_contact(db, "erase-cand", other.id, "Rimouski", now=NOW)
    mentors.request_contact(db, "erase-cand", person.id, "Rimouski", now=NOW)  # asked them as a mentor
    mentors.request_contact(db, "erase-me", other.id, "Rimouski", now=NOW)  # asked as a candidate
    mentors.request_contact(db, "erase-cand", by_telegram.id, "Rimouski", now=NOW)
    person_id, telegram_id = person.id, by_telegram.id

    assert mentors.erase(db, "erase-me") == 3  # one mentor record and two requests
    assert db.get(Mentor, person_id) is None
    left = db.scalars(select(MentorRequest).order_by(MentorRequest.id)).all()
    assert [r.id for r in left if r.mentor_id in (person_id, other.id)] == [kept.id]
    assert all("erase-me" not in (r.candidate_sender_id, r.mentor.sender_id) for r in left)
    assert mentors.erase(db, "erase-me") == 0
    # "Supprimer mes données" goes through candidates.erase, which includes this; a mentor
    # reached on Telegram is found by their chat id.
    assert candidates.erase(db, "erase-tg") >= 2
    assert db.get(Mentor, telegram_id) is None
    assert db.get(Mentor, other.id) is not None
