"""Mentor pairing in chat: suggestions show first name, place and topics only; a request
needs consent, is recorded once and reaches the mentor; only the mentor answers; becoming
a mentor needs an explicit yes; /mentor pauses or stops at once."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from actions import mentors as actions
from app import mentors
from app.db import session_scope
from app.mentors import MentorAnswers
from app.models import Mentor, MentorRequest
from tests.conftest import all_text, entity, make_tracker, run_action, slot_events

_ids = itertools.count(1)


def new_mentor(town: str = "Rimouski", region: str = "01", channel: str = "telegram", **changes) -> tuple[int, str]:
    sender = f"mentor-{next(_ids)}-{town}"
    answers = MentorAnswers(
        first_name=changes.pop("first_name", "Nadia"),
        municipality=town,
        region_code=region,
        settled_since=date(2023, 1, 1),
        languages=["fr"],
        topics=changes.pop("topics", ["housing", "social_life"]),
        contact_channel=channel,
        contact_value="@nadia_rimouski" if channel == "telegram" else "nadia@example.org",
        field_of_work="soins infirmiers",
        family_situation="family",
    )
    with session_scope() as session:
        return mentors.become_mentor(session, sender, answers, consent=True).id, sender


@pytest.fixture()
def only_mentors(database_url):
    """Other tests' mentors are paused here, so suggestions are this test's."""
    with session_scope() as session:
        before = {m.id: m.status for m in session.query(Mentor)}
        session.query(Mentor).update({"status": "paused"})
    yield
    with session_scope() as session:
        for mentor in session.query(Mentor).filter(Mentor.id.in_(before)):
            mentor.status = before[mentor.id]


def test_suggestions_show_first_name_place_and_topics_only(only_mentors, dispatcher):
    mentor_id, _ = new_mentor("Rimouski", first_name="Nadia")
    tracker = make_tracker("je voudrais parler à quelqu'un de Rimouski", "find_mentor", [entity("city", "Rimouski")])
    events = run_action(actions.ActionFindMentor(), dispatcher, tracker)
    said = all_text(dispatcher)
    assert "Nadia — À Rimouski même" in said and "le logement, la vie sociale" in said
    assert "@nadia" not in said and "soins" not in said and "family" not in said
    assert dispatcher.messages[0]["buttons"][0]["payload"] == f'/request_mentor{{"mentor_id": "{mentor_id}"}}'
    assert slot_events(events)["mentor_destination"] == "Rimouski"


def test_no_mentor_within_reach_offers_the_regional_organisations(only_mentors, dispatcher):
    new_mentor("Rimouski")
    tracker = make_tracker("quelqu'un à Gatineau?", "find_mentor", [entity("city", "Gatineau")])
    run_action(actions.ActionFindMentor(), dispatcher, tracker)
    assert "pas encore de personne installée près de Gatineau" in all_text(dispatcher)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert '/find_organisation{"region": "Outaouais", "service": "pairing"}' in payloads


def test_an_unknown_place_is_asked_again(dispatcher):
    tracker = make_tracker("quelqu'un à Rimousky", "find_mentor", [entity("city", "Rimousky")])
    assert run_action(actions.ActionFindMentor(), dispatcher, tracker) == []
    assert "Rimousky" in all_text(dispatcher)


def test_the_questionnaire_destination_is_used_when_none_is_named(only_mentors, dispatcher):
    new_mentor("Sherbrooke", region="05")
    tracker = make_tracker(
        "je veux parler à quelqu'un qui a déménagé", "find_mentor", slots={"q_project_regions": ["Sherbrooke"]}
    )
    run_action(actions.ActionFindMentor(), dispatcher, tracker)
    assert "Près de Sherbrooke" in all_text(dispatcher)


def request(mentor_id: int, sender: str, consent=True, dispatcher=None):
    tracker = make_tracker(
        f'/request_mentor{{"mentor_id": "{mentor_id}"}}', "request_mentor", [entity("mentor_id", str(mentor_id))],
        slots={"consent": consent, "mentor_destination": "Rimouski"}, sender_id=sender,
    )  # fmt: skip
    return run_action(actions.ActionRequestMentor(), dispatcher, tracker)


def requests_of(sender: str) -> list[MentorRequest]:
    with session_scope() as session:
        found = mentors.requests_of_candidate(session, sender)
        session.expunge_all()
    return found


def test_a_request_needs_consent_and_is_recorded_once(database_url, dispatcher):
    mentor_id, _ = new_mentor()
    request(mentor_id, "cand-1", consent=None, dispatcher=dispatcher)
    assert "garder cette conversation" in all_text(dispatcher) and requests_of("cand-1") == []
    request(mentor_id, "cand-1", dispatcher=dispatcher)
    assert "J'ai demandé à Nadia" in all_text(dispatcher)
    request(mentor_id, "cand-1", dispatcher=dispatcher)
    assert "Vous avez déjà demandé à Nadia" in all_text(dispatcher)
    assert len(requests_of("cand-1")) == 1 and requests_of("cand-1")[0].status == "asked"


def test_a_mentor_reached_by_email_is_asked_by_the_team(database_url, dispatcher):
    mentor_id, _ = new_mentor(channel="email")
    request(mentor_id, "cand-2", dispatcher=dispatcher)
    assert "Une personne de l'équipe va demander à Nadia" in all_text(dispatcher)


def test_a_paused_mentor_cannot_be_asked_and_nothing_leaks(database_url, dispatcher):
    mentor_id, sender = new_mentor()
    run_action(actions.ActionMentorSettings(), dispatcher, make_tracker("/mentor_settings", "mentor_settings",
               [entity("choice", "paused")], sender_id=sender))  # fmt: skip
    assert "en pause" in all_text(dispatcher)
    request(mentor_id, "cand-3", dispatcher=dispatcher)
    assert "n'est plus disponible" in all_text(dispatcher) and "@nadia" not in all_text(dispatcher)
    assert requests_of("cand-3") == []


def answer(request_id: int, choice: str, sender: str, dispatcher):
    tracker = make_tracker(
        "/mentor_answer", "mentor_answer", [entity("request_id", str(request_id)), entity("choice", choice)],
        sender_id=sender,
    )  # fmt: skip
    run_action(actions.ActionMentorAnswer(), dispatcher, tracker)


def test_only_the_mentor_answers_and_the_contact_follows_the_yes(database_url, dispatcher):
    mentor_id, mentor_sender = new_mentor()
    request(mentor_id, "cand-4", dispatcher=dispatcher)
    request_id = requests_of("cand-4")[0].id
    answer(request_id, "yes", "someone-else", dispatcher)
    assert "Je ne trouve pas cette demande" in all_text(dispatcher)
    with session_scope() as session:
        assert mentors.contact_details_for_candidate(session, request_id) is None
    answer(request_id, "yes", mentor_sender, dispatcher)
    assert "Merci beaucoup" in all_text(dispatcher)
    request(mentor_id, "cand-4", dispatcher=dispatcher)  # asking again now shows the contact
    assert "Nadia a déjà accepté. Son contact : @nadia_rimouski" in all_text(dispatcher)


def signup_slots(**changes) -> dict:
    values = {
        "m_first_name": "Karim", "m_municipality": ["Saguenay"], "m_since": 2022, "m_languages": "fr_en",
        "m_origin": "Algérie", "m_field": "skipped", "m_family": "couple",
        "m_topic_employment": "yes", "m_topic_housing": "no",
        "m_topic_social_life": "yes", "m_topic_tour": "no", "m_topic_meet_in_person": "no",
        "m_channel": "email", "m_contact": "karim@example.org", "m_frequency": "2", "m_consent": "yes",
    }  # fmt: skip
    return {**values, **changes}


def test_becoming_a_mentor_needs_an_explicit_yes(database_url, dispatcher):
    events = run_action(
        actions.ActionBecomeMentor(),
        dispatcher,
        make_tracker("non", slots=signup_slots(m_consent="no"), sender_id="settled-1"),
    )
    assert "je ne garde rien" in all_text(dispatcher)
    assert slot_events(events)["m_contact"] is None  # the contact leaves the conversation too
    with session_scope() as session:
        assert mentors.mentor_of(session, "settled-1") is None


def test_a_mentor_record_from_the_signup_answers(database_url, dispatcher):
    run_action(
        actions.ActionBecomeMentor(), dispatcher, make_tracker("oui", slots=signup_slots(), sender_id="settled-2")
    )
    assert "Vous êtes maintenant personne-ressource à Saguenay" in all_text(dispatcher)
    with session_scope() as session:
        mentor = mentors.mentor_of(session, "settled-2")
        assert (mentor.first_name, mentor.region_code, mentor.languages) == ("Karim", "02", ["fr", "en"])
        assert mentor.topics == ["employment", "social_life"] and mentor.field_of_work is None
        assert mentor.origin == "Algérie"  # stored for counsellors, never shown to candidates
        assert (mentor.contact_channel, mentor.contact_value, mentor.max_contacts_per_month) == (
            "email",
            "karim@example.org",
            2,
        )
        assert mentor.settled_since == date(2022, 1, 1) and mentor.consent_given_at is not None


def test_a_signup_without_a_town_or_topic_is_not_kept(database_url, dispatcher):
    run_action(
        actions.ActionBecomeMentor(),
        dispatcher,
        make_tracker("oui", slots=signup_slots(m_municipality=["Estrie"]), sender_id="settled-3"),
    )
    assert "pas reconnu votre ville" in all_text(dispatcher)
    no_topic = {f"m_topic_{t}": "no" for t in mentors.TOPICS}
    run_action(
        actions.ActionBecomeMentor(),
        dispatcher,
        make_tracker("oui", slots=signup_slots(**no_topic), sender_id="settled-3"),
    )
    assert "au moins un sujet" in all_text(dispatcher)
    with session_scope() as session:
        assert mentors.mentor_of(session, "settled-3") is None


def test_withdrawing_takes_effect_at_once(only_mentors, dispatcher):
    _, sender = new_mentor("Rimouski", first_name="Zoé")
    settings = make_tracker("/mentor_settings", "mentor_settings", [entity("choice", "withdrawn")], sender_id=sender)
    run_action(actions.ActionMentorSettings(), dispatcher, settings)
    assert "ne participez plus" in all_text(dispatcher)
    suggestions = make_tracker("quelqu'un à Rimouski", "find_mentor", [entity("city", "Rimouski")])
    run_action(actions.ActionFindMentor(), dispatcher, suggestions)
    assert "Zoé" not in all_text(dispatcher)


def test_mentor_settings_for_someone_who_is_not_a_mentor(dispatcher):
    run_action(
        actions.ActionMentorSettings(),
        dispatcher,
        make_tracker("/mentor_settings", "mentor_settings", sender_id="nobody"),
    )
    assert "pas inscrit comme personne-ressource" in all_text(dispatcher)
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/become_mentor"


def test_mentor_settings_say_how_many_requests_wait(database_url, dispatcher):
    mentor_id, sender = new_mentor()
    request(mentor_id, "cand-wait", dispatcher=dispatcher)
    dispatcher.messages.clear()
    run_action(
        actions.ActionMentorSettings(),
        dispatcher,
        make_tracker("/mentor_settings", "mentor_settings", sender_id=sender),
    )
    assert "1 demande(s) attendent votre réponse" in all_text(dispatcher)
