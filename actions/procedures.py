"""Short answers about the procedures of a move, with their sources and what is not
confirmed (knowledge/procedures.yml)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import button, language_of
from actions.messages import text
from app.procedures import Source, procedure

TOPIC_OF_INTENT = {
    "ask_eligibility": "eligibility",
    "ask_financial_help": "financial_help",
    "ask_lease": "lease",
    "ask_driving_licence": "driving_licence",
    "ask_francisation": "francisation",
    "ask_health_insurance": "health_insurance",
    "ask_school": "school",
    "ask_change_address": "change_address",
    "ask_credentials": "credentials",
}


def procedure_message(topic: str, language: str) -> str:
    """The essentials of an answer, what is not confirmed, and their sources."""
    answer = procedure(topic)
    lines = [answer.essentials.text[language]]
    if answer.unconfirmed:
        lines.append(text("unconfirmed", language, note=answer.unconfirmed[language]))
    return "\n".join(lines + source_lines(answer.essentials.sources, language))


def details_message(topic: str, language: str) -> str | None:
    """The rest of a long answer, with the sources the essentials did not cite; None when it has no details."""
    details = procedure(topic).details
    if details is None:
        return None
    return "\n".join([text("more_details", language), details.text[language], *source_lines(details.sources, language)])


def source_lines(sources: tuple[Source, ...], language: str) -> list[str]:
    """Short labels with their links, grouped after the text they support."""
    if not sources:
        return []
    return [text("sources", language)] + [f"• {s.shown}" + (f" — {s.url}" if s.url else "") for s in sources]


class ActionAnswerProcedure(Action):
    def name(self) -> str:
        return "action_answer_procedure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = TOPIC_OF_INTENT.get(intent or "")
        if topic is None:
            dispatcher.utter_message(response="utter_help")
            return []
        messages = [procedure_message(topic, language), details_message(topic, language)]
        *first, last = [m for m in messages if m]
        for message in first:
            dispatcher.utter_message(text=message)
        dispatcher.utter_message(text=last, buttons=[button(text("btn_counsellor", language), "request_counsellor")])
        return []
