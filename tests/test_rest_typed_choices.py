"""Typed menus over the REST channel, with the real servers: a person who never taps a
button goes from consent through a whole questionnaire theme, typing titles ("Préparer mon
départ", "l'emploi") and numbers; digits alone answer questions; an ambiguous start is asked
back; the transcript and the person's copy of their data show what they typed."""

from __future__ import annotations

import json

import pytest

from actions.messages import text
from app import candidates, questionnaire
from app.choices import TYPED_CHOICE
from app.db import session_scope
from console.transcripts import turns
from tests.test_rest_conversations import new_sender, texts
from tests.test_rest_questionnaire import ANSWERS, asked

pytestmark = pytest.mark.servers


def theme_number(key: str) -> str:
    """The theme's number in the menu, as the person counts the buttons."""
    return str([t.key for t in questionnaire.load_themes()].index(key) + 1)


def typed_answer(path: str, by_number: bool) -> tuple[str, object]:
    """What the person types for a question (an option's title or number, or words) and the
    value the form should keep."""
    theme_key, key = path.split(".")
    question = questionnaire.theme(theme_key).question(key)
    value = ANSWERS[path]
    if value not in question.options:
        return value, None
    if by_number:
        return str(list(question.options).index(value) + 1), value
    return question.options[value]["fr"], value


def typed_until_consent_and_menu(servers, sender: str) -> None:
    assert "assistant virtuel" in texts(servers.say(sender, "bonjour"))
    assert "Merci" in texts(servers.say(sender, "oui"))  # "Oui, j'accepte" / "Non merci"
    assert servers.tracker(sender)["slots"]["consent"] is True
    assert text("q_menu", "fr") in texts(servers.say(sender, "Préparer mon départ"))


def answer_theme_typing(servers, sender: str, theme_key: str, numbers_only: bool) -> str:
    """Every question of the theme answered by typing; returns the last replies."""
    replies = ""
    for turn in range(12):
        path = asked(servers, sender)
        if path is None:
            return replies
        assert path.startswith(f"{theme_key}."), (path, replies)
        said, expected = typed_answer(path, by_number=numbers_only or turn % 2 == 1)
        replies = texts(servers.say(sender, said))
        slot = questionnaire.theme(theme_key).question(path.split(".")[1]).slot
        if expected is not None:
            assert servers.tracker(sender)["slots"][slot] == expected, (path, said, replies)
    raise AssertionError(f"{theme_key} never ended")


def user_events(servers, sender: str) -> list[dict]:
    return [e for e in servers.tracker(sender)["events"] if e["event"] == "user"]


def test_a_whole_theme_typed_without_a_single_tap(servers):
    sender = new_sender()
    typed_until_consent_and_menu(servers, sender)

    first = texts(servers.say(sender, "l'emploi"))
    assert asked(servers, sender) == "employment.job_found", first
    done = answer_theme_typing(servers, sender, "employment", numbers_only=False)
    assert "« Emploi » est terminé" in done, done

    # The menu again, then a theme by its number, answered with digits only.
    assert text("q_menu", "fr") in texts(servers.say(sender, "les thèmes"))
    servers.say(sender, theme_number("moving"))
    assert asked(servers, sender) == "moving.date"
    done = answer_theme_typing(servers, sender, "moving", numbers_only=True)
    assert "« Déménagement » est terminé" in done, done

    with session_scope() as session:
        stored = questionnaire.stored_answers(session, sender)
    assert stored["employment.job_found"] == ANSWERS["employment.job_found"]
    assert stored["moving.help"] == ANSWERS["moving.help"]

    # Handled as taps, kept as typed.
    events = user_events(servers, sender)
    emploi = next(e for e in events if (e.get("metadata") or {}).get(TYPED_CHOICE) == "l'emploi")
    assert emploi["text"] == '/choose_theme{"theme": "employment"}'
    assert emploi["parse_data"]["intent"]["name"] == "choose_theme"
    with session_scope() as session:
        said = [t.text for t in turns(session, sender) if t.speaker == "user"]
        copy = candidates.export_about(session, sender)
    assert said[:3] == ["bonjour", "oui", "Préparer mon départ"] and "l'emploi" in said
    assert "l'emploi" in [m["text"] for m in copy["conversation"] if m["from"] == "you"]
    assert not any(s.startswith("/") for s in said), said


def test_a_form_question_answered_with_a_digit_or_a_number_past_its_answers(servers):
    sender = new_sender()
    typed_until_consent_and_menu(servers, sender)
    servers.say(sender, theme_number("eligibility"))
    assert asked(servers, sender) == "eligibility.status"
    servers.say(sender, "1")
    status = questionnaire.theme("eligibility").question("status")
    assert servers.tracker(sender)["slots"][status.slot] == next(iter(status.options))
    assert asked(servers, sender) == "eligibility.arrival_year"
    servers.say(sender, "2023")  # a year, not a button
    assert asked(servers, sender) == "eligibility.french"
    assert "Choisissez une réponse" in texts(servers.say(sender, "7"))  # past the answers, as before
    servers.say(sender, "Avancé")
    assert servers.tracker(sender)["slots"]["q_eligibility_french"] == "advanced"


def test_an_ambiguous_start_is_asked_back_then_a_number_picks(servers):
    sender = new_sender()
    typed_until_consent_and_menu(servers, sender)
    which = servers.say(sender, "res")
    assert len(which) == 1 and text("which_choice", "fr") in which[0]["text"]
    assert [json.loads(b["payload"][len("/choose_theme") :])["theme"] for b in which[0]["buttons"]] == [
        "network",
        "resources",
    ]
    assert not any(e["text"] == "res" for e in user_events(servers, sender))  # nothing kept of it
    servers.say(sender, theme_number("resources"))
    assert asked(servers, sender) == "resources.financial"


def test_digits_alone_without_choices_still_get_the_words_only_answer(servers):
    sender = new_sender()
    assert text("empty_message", "fr") in texts(servers.say(sender, "2"))
