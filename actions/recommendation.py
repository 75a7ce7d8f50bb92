"""Which region suits me? The matcher of app/recommendation/ in the conversation: it uses
the questionnaire's answers when there are some, and what the first message already says
("une petite ville pas trop loin"); if the ranking still hangs on something it does not
know, `recommendation_form` asks only the questions that change it most (at most
questions.max_questions), answered with a button or typed ("à la campagne", "2", "pas plus
de 200 km", "je ne sais pas"). Then it shows the top regions with their reasons and sources,
says what it did not know, and offers the region cards, a mentor and a counsellor. It never
decides.

A question about something else during the form leaves it: Rasa rejects the form, the rules
answer, then the form comes back to the same question (as the questionnaire's forms do).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import button, language_of, latest_entities
from actions.messages import text
from actions.questionnaire import REQUESTED_SLOT, intent_of, just_answered, leave_any_form, leaves_the_question
from app.db import session_scope
from app.questionnaire import UNKNOWN, answers_from_slots
from app.recommendation import (
    QUESTION_KEYS,
    Facts,
    Profile,
    Recommendation,
    Rules,
    answers_in_message,
    load_facts,
    load_rules,
    place_region,
    profile_from_answers,
    question_for_reading,
    questions_left,
    read_typed_answer,
    recommend,
    with_answers,
)

FORM = "recommendation_form"
ANSWER_ENTITY = "rec_answer"  # "setting=city", sent by the question's buttons
ASKING_SLOT = "rec_asking"  # whether the form has questions to ask (the rules branch on it)
REASONS_SHOWN = 3
AGAINST_SHOWN = 1


def answer_slot(key: str) -> str:
    return f"rec_{key}"


def question_of_slot(slot: str | None) -> str | None:
    return next((k for k in QUESTION_KEYS if answer_slot(k) == slot), None)


def given_answers(tracker: Tracker) -> dict[str, str]:
    """The answers to the matcher's questions so far, {question: option}."""
    return {k: v for k in QUESTION_KEYS if (v := tracker.get_slot(answer_slot(k))) is not None}


def button_answers(tracker: Tracker) -> dict[str, str]:
    """The answers the question buttons of this message send ("setting=city")."""
    pairs = (value.partition("=") for value in latest_entities(tracker, ANSWER_ENTITY))
    return {key: option for key, _, option in pairs if key in QUESTION_KEYS and option}


def answer_events(answers: dict[str, str]) -> list[EventType]:
    return [SlotSet(answer_slot(k), v) for k, v in answers.items()]


def build_profile(tracker: Tracker, answers: dict[str, str], rules: Rules) -> Profile:
    """The questionnaire's answers, the trade named in the conversation, then the answers
    given here (they win: they are the latest)."""
    profile = profile_from_answers(answers_from_slots(tracker.current_slot_values()), place_region)
    trade = (latest_entities(tracker, "profession") or [tracker.get_slot("profession")])[0]
    if profile.field is None and trade:
        profile = replace(profile, field=trade)
    return with_answers(profile, answers, rules)


def current_facts(rules: Rules) -> Facts:
    with session_scope() as session:
        return load_facts(session, rules)


def still_to_ask(tracker: Tracker, answers: dict[str, str], rules: Rules) -> list[str]:
    return questions_left(current_facts(rules), build_profile(tracker, answers, rules), answers, rules)


def question_buttons(key: str, rules: Rules, language: str) -> list[dict[str, Any]]:
    question = question_for_reading(key, rules)
    options = [(labels[language], f"{key}={value}") for value, labels in question.options.items()]
    options.append((text("rec_question_dont_know", language), f"{key}={UNKNOWN}"))
    return [button(title, "recommend_region", **{ANSWER_ENTITY: value}) for title, value in options]


def ask(dispatcher: CollectingDispatcher, key: str, rules: Rules, language: str) -> None:
    ask_text = rules.questions[key]["ask"][language]
    dispatcher.utter_message(text=ask_text, buttons=question_buttons(key, rules, language))


def ranking_lines(recommendation: Recommendation, language: str) -> list[str]:
    lines = [text("rec_intro", language)]
    for rank, match in enumerate(recommendation.top, start=1):
        lines.append(text("rec_region", language, rank=rank, region=match.name))
        towns = [text("rec_town", language, town=t.name, km=t.km_from_montreal) for t in match.towns]
        lines.append(text("rec_towns", language, towns=", ".join(towns)) if towns else text("rec_no_town", language))
        lines += [text("rec_reason", language, reason=r.text) for r in match.reasons[:REASONS_SHOWN]]
        lines += [text("rec_against", language, reason=r.text) for r in match.against[:AGAINST_SHOWN]]
    return lines


def unknown_line(recommendation: Recommendation, language: str) -> str | None:
    if not recommendation.unknown:
        return None
    said = ", ".join(text(f"rec_unknown_{k}", language) for k in recommendation.unknown)
    return text("rec_unknown", language, unknown=said)


def next_buttons(recommendation: Recommendation, language: str) -> list[dict[str, Any]]:
    cards = [
        button(text("btn_rec_region_card", language, region=m.name), "ask_region_info", region=m.name)
        for m in recommendation.top
    ]
    mentor = [button(text("btn_rec_mentor", language), "find_mentor", region=m.name) for m in recommendation.top[:1]]
    return [*cards, *mentor, button(text("btn_counsellor", language), "request_counsellor")]


def show_ranking(dispatcher: CollectingDispatcher, recommendation: Recommendation, language: str) -> None:
    if recommendation.top:
        dispatcher.utter_message(text="\n".join(ranking_lines(recommendation, language)))
    else:
        dispatcher.utter_message(text=text("rec_nothing", language))
    closing = [line for line in (unknown_line(recommendation, language), text("rec_next", language)) if line]
    dispatcher.utter_message(text="\n".join(closing), buttons=next_buttons(recommendation, language))


class ActionRecommendRegion(Action):
    """Asked for a region, and after the form's last answer: keeps what the message says,
    then either leaves the questions to the form (ASKING_SLOT) or shows the ranking."""

    def name(self) -> str:
        return "action_recommend_region"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        rules = load_rules()
        new: dict[str, str] = {}
        if intent_of(tracker) == "recommend_region":  # not after the form: its answers are kept already
            new = button_answers(tracker) or answers_in_message(tracker.latest_message.get("text") or "", rules)
        answers = {**given_answers(tracker), **new}
        facts = current_facts(rules)
        profile = build_profile(tracker, answers, rules)
        events = answer_events(new)
        if questions_left(facts, profile, answers, rules):
            room = rules.questions["max_questions"] - len(answers)  # later answers may make others worth asking
            dispatcher.utter_message(text=text("rec_a_few_questions", language, count=room))
            return [*events, SlotSet(ASKING_SLOT, True)]
        show_ranking(dispatcher, recommend(facts, profile, rules, language), language)
        # Asked again in the middle of the questions, with nothing left to ask: they end here.
        ending = leave_any_form() if (tracker.active_loop or {}).get("name") == FORM else []
        return [*events, *ending, SlotSet(ASKING_SLOT, False)]


def reply_events(
    dispatcher: CollectingDispatcher, tracker: Tracker, key: str, rules: Rules, language: str
) -> list[EventType] | None:
    """The slots the reply to question `key` sets; None when it is about something else."""
    pressed = button_answers(tracker)
    if pressed:
        return answer_events(pressed)
    text_said = tracker.latest_message.get("text") or ""
    reading = read_typed_answer(key, text_said, rules, intent_of(tracker))
    if leaves_the_question(tracker, question_for_reading(key, rules), reading):
        return None
    if reading.ok:
        return answer_events({key: reading.value})
    dispatcher.utter_message(text=text(reading.problem or "choose_an_option", language))
    return [SlotSet(answer_slot(key), None)]  # set to nothing, or Rasa would reject the form


class ValidateRecommendationForm(FormValidationAction):
    """Reads the answer to the question just asked (a button or typed words), then asks
    the next question that still moves the ranking, or ends the form."""

    def name(self) -> str:
        return f"validate_{FORM}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        rules = load_rules()
        requested = question_of_slot(tracker.get_slot(REQUESTED_SLOT))
        events: list[EventType] = []
        if requested is not None and just_answered(tracker, FORM):
            replied = reply_events(dispatcher, tracker, requested, rules, language)
            if replied is None:
                return []  # Rasa rejects the form; the rules answer, then come back here
            events = replied
        answers = {**given_answers(tracker), **{question_of_slot(e["name"]): e["value"] for e in events}}
        answers = {k: v for k, v in answers.items() if v is not None}
        left = still_to_ask(tracker, answers, rules)
        if not left:
            return [*events, SlotSet(REQUESTED_SLOT, None)]
        key = requested if requested in left and requested not in answers else left[0]
        ask(dispatcher, key, rules, language)
        return [*events, SlotSet(REQUESTED_SLOT, answer_slot(key))]
