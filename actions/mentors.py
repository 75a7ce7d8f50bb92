"""Mentor pairing (Tool 5) in chat: suggestions for a destination (first name, place and
topics only), a contact request (double opt-in: the mentor is asked, the contact comes
only after their yes — bot/mentors.py delivers both), the mentor's answer, becoming a
mentor (a form, knowledge/mentor_signup.yml) and /mentor to pause, resume or stop."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import button, consent_buttons, language_of, latest_entities, region_name
from actions.messages import text
from actions.questionnaire import answers_of, start_form
from actions.regions import ask_for_place, place_slots
from app import mentors, questionnaire
from app.db import session_scope
from app.mentors import CandidateProfile, MentorAnswers, PairingError
from app.places import PlaceRef, load_gazetteer

MAX_SUGGESTIONS = 3
# The questionnaire's household, as the mentors' family situations.
FAMILY_OF_HOUSEHOLD = {"alone": "alone", "couple": "couple", "couple_children": "family", "alone_children": "family"}


def candidate_profile(tracker: Tracker) -> CandidateProfile:
    """What the questionnaire already says about the person, to rank mentors."""
    answers = answers_of(tracker)
    field = answers.get("employment.field")
    return CandidateProfile(
        languages=(language_of(tracker),),
        field_of_work=field if isinstance(field, str) and field not in questionnaire.NOT_ANSWERED else None,
        family_situation=FAMILY_OF_HOUSEHOLD.get(answers.get("family.household") or ""),
        topics=(),
    )


def destination_of(dispatcher: CollectingDispatcher, tracker: Tracker) -> PlaceRef | None:
    """The place named now, else the conversation's, else the questionnaire's first choice."""
    regions = answers_of(tracker).get("project.regions")
    said = latest_entities(tracker, "city") or latest_entities(tracker, "region")
    known = tracker.get_slot("city") or tracker.get_slot("region")
    if isinstance(regions, list) and regions and not said and not known:
        return load_gazetteer().resolve(regions[0])
    return ask_for_place(dispatcher, tracker, "find_mentor", "mentor_where")


class ActionFindMentor(Action):
    def name(self) -> str:
        return "action_find_mentor"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        place = destination_of(dispatcher, tracker)
        if place is None:
            return []
        with session_scope() as session:
            found = mentors.suggest_mentors(
                session, place, candidate_profile(tracker), tracker.sender_id, limit=MAX_SUGGESTIONS
            )
        if not found:
            region = region_name(place)
            dispatcher.utter_message(
                text=text("no_mentor_near", language, place=place.name),
                buttons=[
                    button(
                        text("btn_pairing_organisations", language),
                        "find_organisation",
                        region=region,
                        service="pairing",
                    ),
                    button(text("btn_counsellor", language), "request_counsellor"),
                ],
            )
            return [*place_slots(place), SlotSet("mentor_destination", place.name)]
        lines = [text("mentor_suggestions", language, place=place.name)]
        for suggestion in found:
            topics = ", ".join(mentors.topic_label(t, language) for t in suggestion.topics)
            lines.append(
                text(
                    "mentor_line",
                    language,
                    name=suggestion.first_name,
                    reason=suggestion.reason(language),
                    topics=topics,
                )
            )
        lines.append(text("mentor_privacy", language))
        buttons = [
            button(text("btn_ask_mentor", language, name=s.first_name), "request_mentor", mentor_id=str(s.mentor_id))
            for s in found
        ]
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return [*place_slots(place), SlotSet("mentor_destination", place.name)]


class ActionRequestMentor(Action):
    """The candidate asks to talk with one mentor: the request is recorded and the mentor
    asked (by the bridge, or by a counsellor for mentors reached by e-mail or phone)."""

    def name(self) -> str:
        return "action_request_mentor"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        ids = [i for i in latest_entities(tracker, "mentor_id") if i.isdigit()]
        if not ids:
            dispatcher.utter_message(
                text=text("mentor_pick_one", language),
                buttons=[button(text("btn_other_mentors", language), "find_mentor")],
            )
            return []
        if tracker.get_slot("consent") is not True:
            # A request is kept and shown to a mentor and to counsellors: it needs the consent.
            dispatcher.utter_message(text=text("mentor_needs_consent", language), buttons=consent_buttons(language))
            return []
        with session_scope() as session:
            before = {r.mentor_id: r.status for r in mentors.requests_of_candidate(session, tracker.sender_id)}
            try:
                request = mentors.request_contact(
                    session,
                    tracker.sender_id,
                    int(ids[0]),
                    tracker.get_slot("mentor_destination") or tracker.get_slot("city"),
                )
            except PairingError as error:
                dispatcher.utter_message(
                    text=text(f"mentor_refused_{error.reason}", language),
                    buttons=[button(text("btn_other_mentors", language), "find_mentor")],
                )
                return []
            name, channel, status = request.mentor.first_name, request.mentor.contact_channel, request.status
            contact = mentors.contact_details_for_candidate(session, request.id) if status == mentors.ACCEPTED else None
        if request.mentor_id in before:
            if contact is not None:
                dispatcher.utter_message(text=text("mentor_contact_again", language, name=name, value=contact.value))
            else:
                dispatcher.utter_message(
                    text=text(f"mentor_already_{status}", language, name=name),
                    buttons=[button(text("btn_other_mentors", language), "find_mentor")],
                )
            return []
        sent = "mentor_request_sent" if channel == "telegram" else "mentor_request_sent_team"
        dispatcher.utter_message(text=text(sent, language, name=name))
        return []


class ActionMentorAnswer(Action):
    """A mentor's yes or no to a request, from the buttons the bridge sent them; only the
    mentor of that request can answer it."""

    def name(self) -> str:
        return "action_mentor_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        ids = [i for i in latest_entities(tracker, "request_id") if i.isdigit()]
        choice = (latest_entities(tracker, "choice") or [""])[0]
        if not ids or choice not in ("yes", "no"):
            dispatcher.utter_message(text=text("mentor_answer_unknown", language))
            return []
        with session_scope() as session:
            try:
                mentors.answer_request(session, int(ids[0]), choice == "yes", mentor_sender_id=tracker.sender_id)
            except PairingError as error:
                key = "mentor_answer_closed" if error.reason == PairingError.NOT_OPEN else "mentor_answer_unknown"
                dispatcher.utter_message(text=text(key, language))
                return []
        dispatcher.utter_message(text=text("mentor_thanks_yes" if choice == "yes" else "mentor_thanks_no", language))
        return []


class ActionStartMentorSignup(Action):
    def name(self) -> str:
        return "action_start_mentor_signup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        signup = questionnaire.load_mentor_signup()
        dispatcher.utter_message(text=text("mentor_signup_intro", language_of(tracker)))
        return [*(SlotSet(q.slot, None) for q in signup.questions), *start_form(signup)]


def signup_answers(values: dict[str, Any], today: date) -> MentorAnswers | str:
    """The form's answers as a mentor record, or the message key saying what is missing."""
    gazetteer = load_gazetteer()
    towns = [p for p in (gazetteer.resolve(n, prefer="city") for n in values.get("municipality") or []) if p]
    town = next((p for p in towns if p.kind == "city"), None)
    if town is None:
        return "mentor_signup_no_town"
    topics = [t for t in mentors.TOPICS if values.get(f"topic_{t}") == "yes"]
    if not topics:
        return "mentor_signup_no_topic"
    contact = values.get("contact")
    if not isinstance(contact, str) or contact in questionnaire.NOT_ANSWERED:
        return "mentor_signup_no_contact"
    since = values.get("since")
    first_name = values.get("first_name")
    return MentorAnswers(
        first_name=first_name if isinstance(first_name, str) and first_name not in questionnaire.NOT_ANSWERED else "",
        municipality=town.name,
        region_code=town.region_code,
        settled_since=date(since, 1, 1) if isinstance(since, int) else today,
        languages={"fr": ["fr"], "en": ["en"], "fr_en": ["fr", "en"]}.get(values.get("languages"), ["fr"]),
        topics=topics,
        contact_channel=values.get("channel") if values.get("channel") in mentors.CHANNELS else "telegram",
        contact_value=contact,
        max_contacts_per_month=int(values["frequency"]) if str(values.get("frequency")).isdigit() else 2,
        origin=values["origin"] if values.get("origin") not in questionnaire.NOT_ANSWERED else None,
        field_of_work=values["field"] if values.get("field") not in questionnaire.NOT_ANSWERED else None,
        family_situation=values.get("family") if values.get("family") in mentors.FAMILY_SITUATIONS else None,
    )


class ActionBecomeMentor(Action):
    """After the last question: the mentor record, only on an explicit yes. The answers
    (a contact among them) are cleared from the conversation either way."""

    def name(self) -> str:
        return "action_become_mentor"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        signup = questionnaire.load_mentor_signup()
        values = {q.key: tracker.get_slot(q.slot) for q in signup.questions}
        cleared = [SlotSet(q.slot, None) for q in signup.questions]
        if values.get("consent") != "yes":
            dispatcher.utter_message(text=text("mentor_signup_declined", language))
            return cleared
        answers = signup_answers(values, date.today())
        if isinstance(answers, str):
            dispatcher.utter_message(
                text=text(answers, language), buttons=[button(text("btn_try_again", language), "become_mentor")]
            )
            return cleared
        try:
            with session_scope() as session:
                mentors.become_mentor(session, tracker.sender_id, answers, consent=True)
        except PairingError:
            dispatcher.utter_message(
                text=text("mentor_signup_no_town", language),
                buttons=[button(text("btn_try_again", language), "become_mentor")],
            )
            return cleared
        dispatcher.utter_message(
            text=text("mentor_signup_done", language, name=answers.first_name, place=answers.municipality)
        )
        return cleared


class ActionMentorSettings(Action):
    """/mentor: where the mentor stands, and pause / resume / stop, effective at once."""

    def name(self) -> str:
        return "action_mentor_settings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        wanted = (latest_entities(tracker, "choice") or [None])[0]
        with session_scope() as session:
            mentor = mentors.mentor_of(session, tracker.sender_id)
            if mentor is None:
                dispatcher.utter_message(
                    text=text("mentor_not_yet", language),
                    buttons=[button(text("btn_become_mentor", language), "become_mentor")],
                )
                return []
            status = mentor.status
            waiting = len(mentors.pending_for_mentor(session, tracker.sender_id))
            if wanted in mentors.MENTOR_STATUSES and wanted != status:
                try:
                    status = mentors.set_status(session, mentor.id, wanted).status
                except PairingError:  # a withdrawn mentor comes back by consenting again
                    dispatcher.utter_message(
                        text=text("mentor_rejoin", language),
                        buttons=[button(text("btn_become_mentor", language), "become_mentor")],
                    )
                    return []
        choices = {"active": ("paused", "withdrawn"), "paused": ("active", "withdrawn"), "withdrawn": ()}[status]
        buttons = [button(text(f"btn_mentor_{c}", language), "mentor_settings", choice=c) for c in choices]
        if status == "withdrawn":
            buttons.append(button(text("btn_become_mentor", language), "become_mentor"))
        lines = [text(f"mentor_status_{status}", language)]
        if waiting and status != "withdrawn":
            lines.append(text("mentor_waiting", language, count=waiting))
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return []
