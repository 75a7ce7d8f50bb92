"""The preparation questionnaire (Tool 1) in chat: one form per theme, in any order,
paused and resumed across days; the optional self-assessment; the decision report.

Each form's validation action reads the answer to the question just asked
(app/questionnaire.py), keeps it (slot, and database for people who consented), and asks
the next question itself, with its buttons. A message that is not an answer (a question
about a region, "je veux un conseiller") leaves the form: Rasa rejects it, the rules answer
it, then come back to the same question (data/rules/questionnaire_forms.yml). A form starts when an action
names its theme in the `questionnaire_theme` slot; the generated rules do the rest.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import button, language_of, latest_entities
from actions.messages import text
from app import questionnaire
from app.catalogue import day_name
from app.db import session_scope
from app.places import load_gazetteer
from app.questionnaire import MENTOR_SIGNUP, SELF_ASSESSMENT, Answers, Question, Reading, Theme
from app.report import build_report

REQUESTED_SLOT = "requested_slot"
# Intents that mean "here is my answer" (typed words are then read as one) ...
ANSWER_INTENTS = frozenset({"inform", "affirm", "deny", "dont_know", "skip_question", "nlu_fallback", "thank"})
# ... and the ones that always leave the question, whatever the question.
CONTROL_INTENTS = frozenset(
    {
        "request_counsellor", "distress", "pause_questionnaire", "goodbye", "delete_my_data", "help",
        "choose_theme", "show_report", "start_preparation", "resume_questionnaire", "start_self_assessment",
        "urgent_departure", "change_language", "stop_followups",
    }
)  # fmt: skip
STATUS_ICONS = {"green": "🟢", "yellow": "🟡", "red": "🔴", "not_covered": "⚪"}
PROGRESS_ICONS = {"done": "✅", "started": "◐", "new": "☐"}
STRONG, TO_BUILD = 4.0, 2.5


def today() -> date:
    return date.today()


def answers_of(tracker: Tracker) -> Answers:
    return questionnaire.answers_from_slots(tracker.current_slot_values())


def consented(tracker: Tracker) -> bool:
    return tracker.get_slot("consent") is True


def intent_of(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def leaves_the_question(tracker: Tracker, question: Question, reading: Reading) -> bool:
    """Whether the message is something else than an answer to `question`.

    Control intents always leave. Other questions (about a lease, a region) leave a
    question with fixed answers when no answer was recognised; a free-text question
    takes any words as the answer unless they are asked as a question."""
    intent = intent_of(tracker)
    if intent in CONTROL_INTENTS:
        return True
    if intent in ANSWER_INTENTS or intent is None:
        return False
    if question.kind in ("text", "places"):
        return "?" in (tracker.latest_message.get("text") or "")
    return not reading.ok


# Events that say nothing about who spoke last.
_NEUTRAL_EVENTS = frozenset({"slot", "bot", "user_featurization", "active_loop"})


def just_answered(tracker: Tracker, form: str) -> bool:
    """Whether the person spoke since the form last asked: the form also runs when it
    starts and when it comes back after another answer, and then reads nothing.

    Rasa runs the validation on a copy of the conversation that ends with the form's own
    run; the last thing before it is the person's message, or another action."""
    own_run_seen = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind in _NEUTRAL_EVENTS:
            continue
        if kind == "action" and event.get("name") == form and not own_run_seen:
            own_run_seen = True
            continue
        return kind == "user"
    return False


def places_in_message(tracker: Tracker) -> list[str]:
    """The regions and towns of the message, in the order they are written."""
    gazetteer = load_gazetteer()
    names = []
    entities = sorted(tracker.latest_message.get("entities") or [], key=lambda e: e.get("start") or 0)
    for found in entities:
        kind, value = found.get("entity"), found.get("value")
        if kind in ("region", "city") and isinstance(value, str):
            place = gazetteer.resolve(value, prefer=kind)
            if place and place.name not in names:
                names.append(place.name)
    for place in gazetteer.find_in_text(tracker.latest_message.get("text") or ""):
        if place.name not in names:
            names.append(place.name)
    return names


def read(tracker: Tracker, question: Question) -> Reading:
    choices = latest_entities(tracker, "choice")
    return questionnaire.read_answer(
        question,
        tracker.latest_message.get("text") or "",
        today(),
        intent=intent_of(tracker),
        choice=choices[0] if choices else None,
        places=places_in_message(tracker) if question.kind == "places" else None,
    )


def problem_text(reading: Reading, language: str) -> str:
    details = dict(reading.details)
    key = reading.problem or ""
    if key in ("date_not_understood", "date_in_past"):
        key = f"q_{key}"
    if "day" in details:
        details["day"] = day_name(details["day"], language)
    return text(key, language, **details)


def meta_buttons(language: str) -> list[dict[str, Any]]:
    return [
        button(text("btn_dont_know", language), "dont_know"),
        button(text("btn_skip", language), "skip_question"),
        button(text("btn_pause", language), "pause_questionnaire"),
    ]


def ask(dispatcher: CollectingDispatcher, theme: Theme, question: Question, answers: Answers, language: str) -> None:
    to_ask = theme.to_ask(answers)
    number = next(i for i, q in enumerate(to_ask, start=1) if q.key == question.key)
    progress = text("q_progress", language, theme=theme.title[language], number=number, total=len(to_ask))
    lines = [progress, question.ask[language]]
    if question.kind == "scale":
        lines.append(text("sa_rate", language))
    options = [button(labels[language], "inform", choice=key) for key, labels in question.options.items()]
    dispatcher.utter_message(text="\n".join(lines), buttons=options + meta_buttons(language))


class ThemeFormValidation(FormValidationAction):
    """Validation of one theme's form; one subclass per theme is made below."""

    @property
    @abstractmethod
    def theme_key(self) -> str: ...

    def name(self) -> str:
        return f"validate_{questionnaire.form_name(self.theme_key)}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        theme = questionnaire.theme(self.theme_key)
        language = language_of(tracker)
        answers = answers_of(tracker)
        events: list[EventType] = []
        requested = tracker.get_slot(REQUESTED_SLOT)
        question = next((q for q in theme.questions if q.slot == requested), None)
        if question is not None and just_answered(tracker, theme.form):
            reading = read(tracker, question)
            if leaves_the_question(tracker, question, reading):
                return []  # Rasa rejects the form; the rules answer, then come back here
            if reading.ok:
                events.append(SlotSet(question.slot, reading.value))
                answers[question.path] = reading.value
                # Becoming a mentor has a consent of its own, asked last (actions/mentors.py).
                if consented(tracker) and theme.key != MENTOR_SIGNUP:
                    with session_scope() as session:
                        questionnaire.save_answer(session, tracker.sender_id, question, reading.value)
            else:
                dispatcher.utter_message(text=problem_text(reading, language))
                events.append(SlotSet(question.slot, None))
        following = theme.next_question(answers)
        if following is None:
            return [*events, SlotSet(REQUESTED_SLOT, None)]
        ask(dispatcher, theme, following, answers, language)
        return [*events, SlotSet(REQUESTED_SLOT, following.slot)]


def _validation_class(theme_key: str) -> type[ThemeFormValidation]:
    name = "Validate" + "".join(part.title() for part in theme_key.split("_")) + "Form"
    return type(name, (ThemeFormValidation,), {"theme_key": theme_key, "__module__": __name__})


# One validation action per form, registered with the action server by subclassing.
THEME_VALIDATIONS = [_validation_class(t.key) for t in questionnaire.all_forms()]


def progress(theme: Theme, answers: Answers) -> str:
    if theme.next_question(answers) is None:
        return "done"
    return "started" if theme.answered(answers) else "new"


def theme_buttons(answers: Answers, language: str) -> list[dict[str, Any]]:
    return [
        button(f"{PROGRESS_ICONS[progress(t, answers)]} {t.title[language]}", "choose_theme", theme=t.key)
        for t in questionnaire.load_themes()
    ]


def next_theme(answers: Answers) -> Theme | None:
    """The theme to continue: one already started, else the first not started."""
    themes = questionnaire.load_themes()
    started = [t for t in themes if progress(t, answers) == "started"]
    return (started or [t for t in themes if progress(t, answers) == "new"] or [None])[0]


def leave_any_form() -> list[EventType]:
    return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]


THEME_SLOT = "questionnaire_theme"


def start_form(theme: Theme) -> list[EventType]:
    """The rules start the form of the theme this slot names."""
    return [SlotSet(THEME_SLOT, theme.key)]


def show_menu(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    language = language_of(tracker)
    answers = answers_of(tracker)
    if not any(t.answered(answers) for t in questionnaire.load_themes()):
        dispatcher.utter_message(text=text("q_intro", language))
    buttons = [
        *theme_buttons(answers, language),
        button(text("btn_self_assessment", language), "start_self_assessment"),
        button(text("btn_report", language), "show_report"),
    ]
    dispatcher.utter_message(text=text("q_menu", language), buttons=buttons)
    return [*leave_any_form(), SlotSet(THEME_SLOT, None)]


class ActionQuestionnaireMenu(Action):
    """The themes with how far the person got, the self-assessment and the report."""

    def name(self) -> str:
        return "action_questionnaire_menu"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return show_menu(dispatcher, tracker)


class ActionStartTheme(Action):
    """A theme chosen with its button (or named): its form starts at the first question
    not answered; a theme already done starts again."""

    def name(self) -> str:
        return "action_start_theme"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        keys = latest_entities(tracker, "theme")
        theme = questionnaire.theme(keys[0]) if keys else None
        if theme is None or theme.key == SELF_ASSESSMENT:
            return show_menu(dispatcher, tracker)
        answers = answers_of(tracker)
        events: list[EventType] = []
        if theme.next_question(answers) is None:
            dispatcher.utter_message(text=text("q_restart_theme", language_of(tracker)))
            events = [SlotSet(q.slot, None) for q in theme.questions]
            if consented(tracker):
                with session_scope() as session:
                    questionnaire.forget_theme(session, tracker.sender_id, theme.key)
        return [*events, *start_form(theme)]


class ActionResumeQuestionnaire(Action):
    def name(self) -> str:
        return "action_resume_questionnaire"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        theme = next_theme(answers_of(tracker))
        if theme is None:
            return [*show_report(dispatcher, tracker), SlotSet(THEME_SLOT, None)]
        return start_form(theme)


class ActionThemeDone(Action):
    """After a theme's last question: its colour and reasons, and what comes next."""

    def name(self) -> str:
        return "action_theme_done"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        answers = answers_of(tracker)
        theme = questionnaire.theme(tracker.get_slot("questionnaire_theme") or "")
        lines = [text("q_theme_done", language, theme=theme.title[language])] if theme else []
        if theme is not None:
            entry = next(t for t in build_report(answers, today(), language)["themes"] if t["key"] == theme.key)
            lines += report_lines([entry], language)
        following = next_theme(answers)
        buttons = []
        if following is not None:
            title = following.title[language]
            buttons.append(button(text("q_next_theme", language, theme=title), "choose_theme", theme=following.key))
        else:
            lines.append(text("q_all_done", language))
        buttons += [
            button(text("btn_themes", language), "start_preparation"),
            button(text("btn_report", language), "show_report"),
        ]
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return []


class ActionQuestionnairePaused(Action):
    def name(self) -> str:
        return "action_questionnaire_paused"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        lines = [text("q_paused", language)]
        if not consented(tracker):
            lines.append(text("q_paused_no_consent", language))
        dispatcher.utter_message(
            text="\n".join(lines), buttons=[button(text("btn_continue", language), "resume_questionnaire")]
        )
        return leave_any_form()


class ActionStartSelfAssessment(Action):
    def name(self) -> str:
        return "action_start_self_assessment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=text("sa_intro", language_of(tracker)))
        return start_form(questionnaire.load_self_assessment().theme)


def competency_summary(scores: dict[str, float], language: str) -> list[str]:
    """Strengths first, then what to build, in kind words; nothing is a verdict."""
    assessment = questionnaire.load_self_assessment()
    strengths = [c for c in assessment.competencies if scores.get(c.key, 0) >= STRONG]
    to_build = [c for c in assessment.competencies if c.key in scores and scores[c.key] <= TO_BUILD]
    lines = [text("sa_summary", language)]
    lines += [text("sa_strength", language, title=c.title[language], text=c.strength[language]) for c in strengths]
    lines += [text("sa_to_build", language, title=c.title[language], text=c.to_build[language]) for c in to_build]
    if not strengths and not to_build:
        lines.append(text("sa_balanced", language))
    lines.append(text("sa_counsellor", language))
    return lines


class ActionSelfAssessmentSummary(Action):
    def name(self) -> str:
        return "action_self_assessment_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        scores = questionnaire.load_self_assessment().scores(answers_of(tracker))
        if consented(tracker):
            with session_scope() as session:
                questionnaire.save_scores(session, tracker.sender_id, scores)
        dispatcher.utter_message(
            text="\n".join(competency_summary(scores, language)),
            buttons=[button(text("btn_themes", language), "start_preparation")],
        )
        return [SlotSet("competency_scores", scores)]


def report_lines(themes: list[dict[str, Any]], language: str) -> list[str]:
    lines = []
    for entry in themes:
        lines.append(text("report_line", language, icon=STATUS_ICONS[entry["status"]], theme=entry["title"]))
        lines += [text("report_reason", language, reason=r) for r in entry["reasons"]]
    return lines


def show_report(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The candidate's view of the decision report: each theme's colour with its reasons,
    and the report itself as data, which the bridge draws as the mind map."""
    language = language_of(tracker)
    report = build_report(answers_of(tracker), today(), language)
    back = [button(text("btn_themes", language), "start_preparation")]
    if report["overall"]["status"] == "not_covered":
        dispatcher.utter_message(text=text("report_empty", language), buttons=back)
        return leave_any_form()
    overall = report["overall"]
    lines = [
        text("report_headline", language, icon=STATUS_ICONS[overall["status"]], summary=overall["summary"]),
        *report_lines(report["themes"], language),
        text("report_counsellor", language),
    ]
    dispatcher.utter_message(text="\n".join(lines), buttons=back)
    dispatcher.utter_message(json_message={"decision_report": report})
    return leave_any_form()


class ActionShowReport(Action):
    def name(self) -> str:
        return "action_show_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return show_report(dispatcher, tracker)
