"""Short answers about the procedures of a move, with their sources and what is not
confirmed (knowledge/procedures.yml)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import button, language_of
from actions.messages import text
from app.procedures import procedure

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
    answer = procedure(topic)
    lines = [answer.text[language]]
    if answer.unconfirmed:
        lines.append(text("unconfirmed", language, note=answer.unconfirmed[language]))
    lines.append(text("sources", language))
    lines += [f"• {s.label}" + (f" — {s.url}" if s.url else "") for s in answer.sources]
    return "\n".join(lines)


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
        dispatcher.utter_message(
            text=procedure_message(topic, language),
            buttons=[button(text("btn_counsellor", language), "request_counsellor")],
        )
        return []
