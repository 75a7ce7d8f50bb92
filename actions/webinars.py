"""Webinar follow-up in chat: the greeting in the webinar's context when someone opens
its link (/start webinar_<code>), the follow-up consent (apart from the conversation's),
the follow-ups themselves (external events sent by the bridge on schedule) and /stop.

Each consent is its own question: the slot `yes_no_question` says which one was just
asked, so that a typed yes or no answers that one (data/rules/webinars.yml)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import button, consent_buttons, language_of, latest_entities, latest_metadata
from actions.messages import counted, text
from app import webinars
from app.catalogue import day_name, hour, listed
from app.db import session_scope
from app.models import Webinar, utcnow
from app.settings import get_settings
from app.webinars import MONTREAL, QuietHours

FOLLOWUP_OF_INTENT = {intent: step for step, intent in webinars.STEPS.items()}
# Which yes/no question was just asked (a categorical slot the rules read), and the
# webinar a typed answer is about (a button carries it, a typed "oui" does not).
QUESTION_SLOT = "yes_no_question"
FOLLOWUPS_QUESTION = "webinar_followups"
CONSENT_QUESTION = "conversation_consent"
CODE_SLOT = "webinar_code"
TYPED_CHOICES = {"affirm": "yes", "deny": "no"}


def quiet_hours() -> QuietHours:
    return QuietHours.parse(get_settings().quiet_hours)


def regions_said(regions: list[str], language: str) -> str:
    return listed(regions, language) if regions else text("the_regions", language)


def when_said(days: int, language: str) -> str:
    """ "aujourd'hui", "demain", "dans 2 jours", "dans une semaine", "dans un mois"…"""
    if days == 0:
        return text("when_today", language)
    if days == 1:
        return text("when_tomorrow", language)
    if days % 30 == 0:
        return counted("when_months", days // 30, language)
    if days % 7 == 0:
        return counted("when_weeks", days // 7, language)
    return text("when_days", language, count=days)


def schedule_said(days: list[int], language: str) -> str:
    """The follow-ups as the person hears them: "demain, dans une semaine et dans un mois"."""
    return listed([when_said(d, language) for d in days], language)


def days_to_followups(webinar: Webinar) -> list[int]:
    """In how many days each follow-up of the webinar's schedule would come, from today."""
    due = webinars.followup_times(webinar.starts_at, webinar.schedule, quiet_hours())
    return webinars.days_from_today(due.values(), utcnow())


def asked(question: str | None) -> list[EventType]:
    return [SlotSet(QUESTION_SLOT, question)]


def no_question_pending() -> list[EventType]:
    """After a message that asks neither consent of this module, a yes is no longer theirs."""
    return asked(None)


def greet_attendee(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """When the conversation starts from a webinar's link: thanks in its context, the open
    counted (once per conversation, without keeping who), and the follow-up consent asked
    when the webinar has follow-ups. None when the message did not come from a webinar link
    (or from one that is no longer valid: said, then None). Nothing about the person is
    stored before a yes."""
    payload = latest_metadata(tracker).get("start_payload")
    code = webinars.code_of_payload(payload)
    if code is None:
        return None
    language = language_of(tracker)
    with session_scope() as session:
        webinar = webinars.by_code(session, code)
        state = webinars.link_state(webinar, utcnow())
        if state in ("unknown", "cancelled", "expired"):
            dispatcher.utter_message(text=text(f"webinar_link_{state}", language))
            return None
        if not opened_before(tracker, payload):
            webinars.count_open(session, webinar)
        asked_before = webinars.attendance(session, webinar, tracker.sender_id) is not None
        regions, starts_at = regions_said(webinar.regions, language), webinar.starts_at
        days = days_to_followups(webinar)
    if state == "upcoming":
        local = starts_at.astimezone(MONTREAL)
        dispatcher.utter_message(
            text=text(
                "webinar_upcoming",
                language,
                regions=regions,
                day=day_name(local.date(), language),
                hour=hour(local, language),
            )
        )
    else:
        dispatcher.utter_message(text=text("webinar_thanks", language, regions=regions))
    if asked_before:
        dispatcher.utter_message(response="utter_help")
        return no_question_pending()
    if not days:  # no follow-up in the schedule: only the conversation's consent to ask
        if tracker.get_slot("consent") is not None:
            dispatcher.utter_message(response="utter_help")
        return ask_conversation_consent(dispatcher, tracker, language)
    dispatcher.utter_message(
        text=text("webinar_ask_followups", language, when=schedule_said(days, language)),
        buttons=[
            button(text("btn_followups_yes", language), "webinar_consent", choice="yes", webinar_code=code),
            button(text("btn_followups_no", language), "webinar_consent", choice="no", webinar_code=code),
        ],
    )
    return [*asked(FOLLOWUPS_QUESTION), SlotSet(CODE_SLOT, code)]


def ask_conversation_consent(dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> list[EventType]:
    """The conversation's own consent, asked on its own when it was not answered yet."""
    if tracker.get_slot("consent") is not None:
        return no_question_pending()
    dispatcher.utter_message(text=text("ask_consent", language), buttons=consent_buttons(language))
    return asked(CONSENT_QUESTION)


def opened_before(tracker: Tracker, payload: str) -> bool:
    """Whether an earlier message of this conversation came from the same link."""
    opens = [
        e
        for e in tracker.events
        if e.get("event") == "user" and (e.get("metadata") or {}).get("start_payload") == payload
    ]
    return len(opens) > 1


def consent_answer(tracker: Tracker) -> tuple[str, str | None]:
    """The follow-up consent's answer ("yes", "no" or "") and the webinar it is about: from
    the button, or a typed yes/no to the question just asked (the webinar kept in a slot)."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in TYPED_CHOICES:
        return TYPED_CHOICES[intent], tracker.get_slot(CODE_SLOT)
    codes = latest_entities(tracker, "webinar_code")
    return (latest_entities(tracker, "choice") or [""])[0], (codes[0] if codes else None)


def followups_answered(choice: str, days: list[int] | None, language: str) -> str:
    if choice == "no":
        return text("webinar_followups_no", language)
    if not days:
        return text("webinar_followups_yes_none_planned", language)
    return text("webinar_followups_yes", language, first=when_said(days[0], language))


class ActionWebinarConsent(Action):
    """The follow-up consent, by button or a typed yes/no; then, if not given yet, the
    conversation's own consent, asked on its own. The attendee is recorded only on a yes (a
    no keeps nothing, or ends what a yes planned)."""

    def name(self) -> str:
        return "action_webinar_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        choice, code = consent_answer(tracker)
        with session_scope() as session:
            webinar = webinars.by_code(session, code) if code else None
            open_link = webinar is not None and webinars.link_state(webinar, utcnow()) not in ("cancelled", "expired")
            if not open_link or choice not in ("yes", "no"):
                dispatcher.utter_message(response="utter_help")
                return no_question_pending()
            attendee = webinars.attendance(session, webinar, tracker.sender_id)
            if choice == "yes" and attendee is None:
                attendee, _ = webinars.join(session, webinar, tracker.sender_id)
            days = None
            if attendee is not None:
                webinars.set_followup_consent(session, attendee, choice == "yes", quiet_hours())
                days = webinars.days_from_today(webinars.planned_times(session, attendee), utcnow())
        dispatcher.utter_message(text=followups_answered(choice, days, language))
        return ask_conversation_consent(dispatcher, tracker, language)


def followup_buttons(step: str, regions: list[str], language: str) -> list[dict[str, Any]]:
    if step == "day_after":
        return [
            *(button(r, "ask_region_info", region=r) for r in regions),
            button(text("btn_other_region", language), "recommend_region"),
        ]
    buttons = [
        button(text("btn_start_questionnaire", language), "start_preparation"),
        button(text("btn_meet_counsellor", language), "request_counsellor"),
    ]
    if step == "month_after":
        buttons.append(button(text("btn_all_good", language), "thank"))
    return buttons


class ActionWebinarFollowup(Action):
    """One follow-up (the bridge triggers it on schedule): what did you think and which
    region (next day), prepare or meet a counsellor (a week), a check-in (a month)."""

    def name(self) -> str:
        return "action_webinar_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        step = FOLLOWUP_OF_INTENT.get((tracker.latest_message.get("intent") or {}).get("name") or "")
        codes = latest_entities(tracker, "webinar_code")
        with session_scope() as session:
            webinar = webinars.by_code(session, codes[0]) if codes else None
            regions = list(webinar.regions) if webinar else []
            language = webinar.language if webinar and tracker.get_slot("language") is None else language_of(tracker)
        if step is None:
            return []
        said = text(f"webinar_{step}", language, regions=regions_said(regions, language))
        dispatcher.utter_message(
            text=f"{said}\n{text('webinar_stop_hint', language)}", buttons=followup_buttons(step, regions, language)
        )
        return []


class ActionStopFollowups(Action):
    def name(self) -> str:
        return "action_stop_followups"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        with session_scope() as session:
            webinars.stop(session, tracker.sender_id)
        dispatcher.utter_message(text=text("webinar_stopped", language_of(tracker)))
        return []
