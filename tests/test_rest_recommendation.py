""" "Which region suits me?" over the REST channel, with the real servers: the matcher's
questions answered by typing (and by a button), with and without a filled questionnaire
theme, in French and English, a question about something else in the middle; no region is
ever suggested without its reasons and their sources."""

from __future__ import annotations

import re

import pytest

from tests.test_rest_conversations import consent, new_sender, texts
from tests.test_rest_questionnaire import answer_theme

pytestmark = pytest.mark.servers

# Typed answers, by the question asked (the slot the form requests).
FRENCH = {
    "rec_field": "je suis soudeur",
    "rec_setting": "à la campagne",
    "rec_car": "non, pas de voiture",
    "rec_max_km": "pas plus de 200 km",
    "rec_francisation": "je ne sais pas",
}
ENGLISH = {
    "rec_field": "I am a nurse",
    "rec_setting": "in the countryside",
    "rec_car": "I have a car",
    "rec_max_km": "any distance",
    "rec_francisation": "I don't know",
}
STORED = {
    "rec_field": {"je suis soudeur", "I am a nurse"},
    "rec_setting": {"rural"},
    "rec_car": {"no", "yes"},
    "rec_max_km": {"200", "any"},
    "rec_francisation": {"unknown"},
}
REGION_LINE = re.compile(r"^\d\. (.+)$")
# A source said in the line: a web address with its year, the census, the school data, the field report.
SOURCE = re.compile(r"\([^()]*(\.ca|\.com|\.org|\.net|recensement|census|ministère|ministry|PROMIS)[^()]*\)")


def asked(servers, sender: str) -> str | None:
    """The matcher's question the assistant waits for, as its slot."""
    slot = servers.tracker(sender)["slots"].get("requested_slot")
    return slot if slot in FRENCH else None


def answer_questions(servers, sender: str, first: list[dict], typed: dict[str, str]) -> tuple[str, list[str]]:
    """Answers each question by typing until the ranking comes; what was said, and the
    questions asked in order."""
    said, questions = texts(first), []
    for _ in range(len(FRENCH) + 1):
        slot = asked(servers, sender)
        if slot is None:
            return said, questions
        questions.append(slot)
        said = texts(servers.say(sender, typed[slot]))
        assert servers.tracker(sender)["slots"][slot] in STORED[slot], (slot, said)
    raise AssertionError(f"the questions never ended: {questions}")


def suggestions(said: str) -> dict[str, list[str]]:
    """The regions suggested, each with its ✔ and ✘ lines."""
    regions: dict[str, list[str]] = {}
    current = None
    for line in said.splitlines():
        if found := REGION_LINE.match(line.strip()):
            current = found.group(1)
            regions[current] = []
        elif current and line.strip().startswith(("✔", "✘")):
            regions[current].append(line.strip())
    return regions


def assert_every_suggestion_says_why(said: str) -> dict[str, list[str]]:
    regions = suggestions(said)
    assert regions, said
    for region, lines in regions.items():
        reasons = [line for line in lines if line.startswith("✔")]
        assert reasons, (region, said)
        assert any(SOURCE.search(line) for line in reasons), (region, lines)
    return regions


def test_without_a_questionnaire_typed_answers_then_the_ranking_in_french(servers):
    sender = new_sender()
    consent(servers, sender)
    first = servers.say(sender, "quelle région pour moi?")
    assert "quelques questions d'abord" in texts(first)
    assert "Dans quel domaine travaillez-vous?" in texts(first)
    said, questions = answer_questions(servers, sender, first, FRENCH)
    assert questions[0] == "rec_field" and 1 <= len(questions) <= 3
    regions = assert_every_suggestion_says_why(said)
    assert len(regions) == 3
    assert "Fabrication et métaux : « " in said
    assert "pas une décision" in said and "Voulez-vous voir la fiche d'une région" in said
    assert servers.tracker(sender)["active_loop"].get("name") in (None, "")


def test_with_a_filled_questionnaire_theme_it_asks_only_what_is_missing(servers):
    sender = new_sender()
    consent(servers, sender)
    answer_theme(servers, sender, "employment")  # a nurse (soins infirmiers)
    answer_theme(servers, sender, "project")  # in the countryside
    first = servers.say(sender, "quelle région serait faite pour moi?")
    said, questions = answer_questions(servers, sender, first, FRENCH)
    assert "rec_field" not in questions and "rec_setting" not in questions
    assert_every_suggestion_says_why(said)
    assert "Santé : « " in said


def test_an_options_number_and_a_button_are_answers_too(servers):
    sender = new_sender()
    first = servers.say(sender, "conseille-moi une région pour un ingénieur en mécanique")
    assert "ingénieur" in servers.tracker(sender)["slots"]["rec_field"]  # the trade, read from the message
    # Which question comes first depends on what moves the ranking most, on today's data.
    slot = asked(servers, sender)
    assert slot is not None, texts(first)
    offered = [b["payload"] for b in first[-1]["buttons"] if '"rec_answer"' in b["payload"]]
    second_option = re.search(r'"rec_answer": "[a-z_]+=([^"]+)"', offered[1]).group(1)
    replies = servers.say(sender, "2")  # the second option, typed as its number
    assert servers.tracker(sender)["slots"][slot] == second_option
    if (slot := asked(servers, sender)) is not None:
        pressed = next(b["payload"] for r in replies for b in r.get("buttons") or [] if '"rec_answer"' in b["payload"])
        replies = servers.say(sender, pressed)
        assert servers.tracker(sender)["slots"][slot] not in (None, "unknown")
    said, _ = answer_questions(servers, sender, replies, FRENCH)
    assert_every_suggestion_says_why(said)
    assert "Génie : « " in said


def test_a_question_about_something_else_then_back_to_the_same_question(servers):
    sender = new_sender()
    servers.say(sender, "quelle région pour moi?")
    assert asked(servers, sender) == "rec_field"
    detour = servers.say(sender, "comment échanger mon permis de conduire étranger?")
    assert len(detour) >= 2
    assert "Dans quel domaine travaillez-vous?" in texts(detour[-1:])  # the same question, last
    assert asked(servers, sender) == "rec_field"
    servers.say(sender, "infirmière")
    assert servers.tracker(sender)["slots"]["rec_field"] == "infirmière"


def test_the_first_message_already_answers(servers):
    sender = new_sender()
    servers.say(sender, "on est une famille avec deux enfants, on veut une petite ville pas trop loin")
    slots = servers.tracker(sender)["slots"]
    assert slots["rec_setting"] == "small_town" and slots["rec_max_km"] == "150"
    said, questions = answer_questions(servers, sender, [], FRENCH)
    assert "rec_setting" not in questions and "rec_max_km" not in questions
    assert_every_suggestion_says_why(said)


def test_in_english_with_typed_answers(servers):
    sender = new_sender()
    first = servers.say(sender, "which region would be a good fit for me?")
    assert "a few questions first" in texts(first)
    said, questions = answer_questions(servers, sender, first, ENGLISH)
    assert questions
    assert_every_suggestion_says_why(said)
    assert "not a decision" in said and "Would you like to see a region's card" in said
