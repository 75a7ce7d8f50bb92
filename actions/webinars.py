"""Webinar follow-up in chat: the greeting in the webinar's context when someone opens
its link (/start webinar_<code>), the follow-up consent (apart from the conversation's),
the follow-ups themselves (external events sent by the bridge on schedule) and /stop."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import button, consent_buttons, language_of, latest_entities, latest_metadata
from actions.messages import day_name, text
from app import webinars
from app.db import session_scope, stored_utc
from app.settings import get_settings
from app.webinars import MONTREAL, QuietHours

FOLLOWUP_OF_INTENT = {intent: step for step, intent in webinars.STEPS.items()}


def now() -> datetime:
    return datetime.now(timezone.utc)


def quiet_hours() -> QuietHours:
    return QuietHours.parse(get_settings().quiet_hours)


def regions_said(regions: list[str], language: str) -> str:
    joined = " et " if language == "fr" else " and "
    return joined.join(regions) if regions else ("les régions" if language == "fr" else "the regions")


def greet_attendee(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """When the conversation starts from a webinar's link: thanks in its context, the open
    counted (once per conversation, without keeping who), and the follow-up consent asked.
    False when the message did not come from a webinar link (or from one that is no
    longer valid: said, then False). Nothing about the person is stored before a yes."""
    payload = latest_metadata(tracker).get("start_payload")
    code = webinars.code_of_payload(payload)
    if code is None:
        return False
    language = language_of(tracker)
    with session_scope() as session:
        webinar = webinars.by_code(session, code)
        state = webinars.link_state(webinar, now())
        if state in ("unknown", "cancelled", "expired"):
            dispatcher.utter_message(text=text(f"webinar_link_{state}", language))
            return False
        if not opened_before(tracker, payload):
            webinars.count_open(session, webinar)
        asked_before = webinars.attendance(session, webinar, tracker.sender_id) is not None
        regions, starts_at = regions_said(webinar.regions, language), webinar.starts_at
    if state == "upcoming":
        local = stored_utc(starts_at).astimezone(MONTREAL)
        dispatcher.utter_message(
            text=text(
                "webinar_upcoming",
                language,
                regions=regions,
                day=day_name(local.date(), language),
                hour=local.strftime("%H h %M"),
            )
        )
    else:
        dispatcher.utter_message(text=text("webinar_thanks", language, regions=regions))
    if asked_before:
        dispatcher.utter_message(response="utter_help")
    else:
        dispatcher.utter_message(
            text=text("webinar_ask_followups", language),
            buttons=[
                button(text("btn_followups_yes", language), "webinar_consent", choice="yes", webinar_code=code),
                button(text("btn_followups_no", language), "webinar_consent", choice="no", webinar_code=code),
            ],
        )
    return True


def opened_before(tracker: Tracker, payload: str) -> bool:
    """Whether an earlier message of this conversation came from the same link."""
    opens = [
        e
        for e in tracker.events
        if e.get("event") == "user" and (e.get("metadata") or {}).get("start_payload") == payload
    ]
    return len(opens) > 1


class ActionWebinarConsent(Action):
    """The follow-up consent; then, if not given yet, the conversation's own consent. The
    attendee is recorded only on a yes (a no keeps nothing, or ends what a yes planned)."""

    def name(self) -> str:
        return "action_webinar_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        choice = (latest_entities(tracker, "choice") or [""])[0]
        codes = latest_entities(tracker, "webinar_code")
        with session_scope() as session:
            webinar = webinars.by_code(session, codes[0]) if codes else None
            open_link = webinar is not None and webinars.link_state(webinar, now()) not in ("cancelled", "expired")
            if not open_link or choice not in ("yes", "no"):
                dispatcher.utter_message(response="utter_help")
                return []
            attendee = webinars.attendance(session, webinar, tracker.sender_id)
            if choice == "yes" and attendee is None:
                attendee, _ = webinars.join(session, webinar, tracker.sender_id)
            if attendee is not None:
                webinars.set_followup_consent(session, attendee, choice == "yes", quiet_hours())
        dispatcher.utter_message(
            text=text("webinar_followups_yes" if choice == "yes" else "webinar_followups_no", language)
        )
        if tracker.get_slot("consent") is None:
            dispatcher.utter_message(text=text("ask_consent", language), buttons=consent_buttons(language))
        return []


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
