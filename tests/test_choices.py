"""Typed choices among the buttons offered (app/choices.py): titles as people type them,
numbers, starts, typos, yes/no, ambiguity, and sentences that are not a choice; and the
same answers as the questionnaire's own reading of a typed answer."""

from __future__ import annotations

import json

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.questionnaire import ask, theme_buttons
from actions.recommendation import question_buttons as recommendation_question_buttons
from app import questionnaire
from app.choices import Ambiguous, Choice, edit_distance, normalise, offered, pick, written
from app.recommendation import QUESTION_KEYS, load_rules, question_for_reading, read_typed_answer

THEMES = ["Projet et région", "Emploi", "Conjoint et famille", "Logement", "Transport", "Services",
          "Réseau et vie sociale", "Déménagement", "Ressources", "Admissibilité"]  # fmt: skip
MARKS = "☐◐✅☐☐☐☐☐☐☐"  # not started, started, done
THEME_MENU = offered(
    [{"title": f"{m} {t}", "payload": f'/choose_theme{{"theme": "{t}"}}'} for m, t in zip(MARKS, THEMES, strict=True)]
    + [
        {"title": "Auto-évaluation (facultatif)", "payload": "/start_self_assessment"},
        {"title": "Voir mon bilan", "payload": "/show_report"},
    ]
)
MAIN_MENU = offered(
    [
        {"title": "Découvrir une région", "payload": "/ask_region_info"},
        {"title": "Trouver un organisme", "payload": "/find_organisation"},
        {"title": "Préparer mon départ", "payload": "/start_preparation"},
        {"title": "Je pars dans quelques jours", "payload": "/urgent_departure"},
        {"title": "Parler à une personne de l'équipe", "payload": "/request_counsellor"},
    ]
)
CONSENT = offered(
    [{"title": "Oui, j'accepte", "payload": "/give_consent"}, {"title": "Non merci", "payload": "/refuse_consent"}]
)
QUESTION = offered(
    [
        {"title": "Oui", "payload": '/inform{"choice": "yes"}'},
        {"title": "Non", "payload": '/inform{"choice": "no"}'},
        {"title": "Pas encore", "payload": '/inform{"choice": "not_yet"}'},
        {"title": "Je ne sais pas", "payload": "/dont_know"},
        {"title": "Passer", "payload": "/skip_question"},
        {"title": "Continuer plus tard", "payload": "/pause_questionnaire"},
    ]
)
FREE_QUESTION = QUESTION[3:]  # a question answered in words (a date, children's ages): only the aside buttons


def title(found: Choice | Ambiguous | None) -> str | None:
    assert isinstance(found, Choice), found
    return found.title


@pytest.mark.parametrize(
    "typed",
    ["Emploi", "emploi", "EMPLOI", "l'emploi", "L’emploi", "l'Emploi!", "☐ Emploi", "emploi 🙂", "  emploi.  ",
     "2", "2.", "n° 2", "no 2", "#2", "numéro 2", "option 2", "le 2", "2e", "le deuxième", "deuxieme", "deux",
     "empl", "emplo", "emploie", "emplio", "enploi"],
)  # fmt: skip
def test_the_theme_menu_takes_emploi_as_people_type_it(typed):
    assert pick(typed, THEME_MENU) == THEME_MENU[1]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Admissibilite", "Admissibilité"),
        ("réseau", "Réseau et vie sociale"),
        ("famille", "Conjoint et famille"),  # a whole word of the title
        ("resources", "Ressources"),  # English spelling, one letter off
        ("demenagment", "Déménagement"),
        ("1", "Projet et région"),
        ("premier", "Projet et région"),
        ("✅ projet et region", "Projet et région"),
        ("10", "Admissibilité"),
        ("12", "Voir mon bilan"),
        ("bilan", "Voir mon bilan"),
        ("auto-évaluation", "Auto-évaluation (facultatif)"),
    ],
)
def test_other_themes_by_title_word_number_or_typo(typed, expected):
    assert title(pick(typed, THEME_MENU)).endswith(expected)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Préparer mon départ", "/start_preparation"),
        ("preparer mon depart", "/start_preparation"),
        ("préparer", "/start_preparation"),
        ("préparer mon dépar", "/start_preparation"),
        ("3", "/start_preparation"),
        ("parler à une personne", "/request_counsellor"),
        ("5", "/request_counsellor"),
        ("organisme", "/find_organisation"),
    ],
)
def test_the_main_menu(typed, expected):
    found = pick(typed, MAIN_MENU)
    assert isinstance(found, Choice) and found.payload == expected


def test_a_start_shared_by_several_titles_is_ambiguous_with_its_numbers():
    found = pick("res", THEME_MENU)
    assert isinstance(found, Ambiguous)
    assert found.lines() == ["7. ☐ Réseau et vie sociale", "9. ☐ Ressources"]  # their numbers in the menu
    assert [b["payload"] for b in found.buttons()] == [
        '/choose_theme{"theme": "Réseau et vie sociale"}',
        '/choose_theme{"theme": "Ressources"}',
    ]


def test_a_word_in_several_titles_is_ambiguous():
    mentors = offered(
        [
            {"title": "Parler avec Marie", "payload": '/request_mentor{"mentor_id": "1"}'},
            {"title": "Parler avec Marie", "payload": '/request_mentor{"mentor_id": "2"}'},
            {"title": "Parler avec Ahmed", "payload": '/request_mentor{"mentor_id": "3"}'},
        ]
    )
    assert title(pick("Ahmed", mentors)) == "Parler avec Ahmed"
    assert isinstance(pick("marie", mentors), Ambiguous)
    assert isinstance(pick("Parler avec Marie", mentors), Ambiguous)  # the same title, two people


def test_the_same_button_twice_in_a_turn_is_one_choice():
    twice = offered([{"title": "Les thèmes", "payload": "/start_preparation"}] * 2)
    found = pick("thèmes", twice)
    assert isinstance(found, Choice) and found.payload == "/start_preparation"


def test_a_typo_close_to_two_titles_is_ambiguous():
    pair = offered([{"title": "Estrie", "payload": "/a"}, {"title": "Estris", "payload": "/b"}])
    assert isinstance(pick("Estrix", pair), Ambiguous)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("oui", "/give_consent"), ("Ouais", "/give_consent"), ("ok", "/give_consent"), ("yes", "/give_consent"),
        ("d'accord", "/give_consent"), ("oui merci", "/give_consent"), ("OK!", "/give_consent"),
        ("non", "/refuse_consent"), ("nope", "/refuse_consent"), ("no", "/refuse_consent"),
        ("non merci", "/refuse_consent"), ("Non, merci.", "/refuse_consent"), ("1", "/give_consent"),
        ("2", "/refuse_consent"),
    ],
)  # fmt: skip
def test_yes_and_no_pick_the_right_consent_button(typed, expected):
    found = pick(typed, CONSENT)
    assert isinstance(found, Choice) and found.payload == expected


def test_yes_and_no_pick_the_right_answer_when_the_no_comes_first():
    reversed_pair = offered([{"title": "No", "payload": "/deny"}, {"title": "Yes, send it", "payload": "/affirm"}])
    assert title(pick("yeah", reversed_pair)) == "Yes, send it"
    assert title(pick("nope", reversed_pair)) == "No"
    assert title(pick("oui", QUESTION)) == "Oui" and title(pick("non", QUESTION)) == "Non"


def test_a_thanks_alone_picks_nothing():
    assert pick("merci", CONSENT) is None
    assert pick("merci beaucoup", offered([{"title": "Ça va, merci", "payload": "/thank"}])) is None


def test_a_yes_or_no_means_nothing_else_without_a_yes_no_pair():
    assert pick("oui", THEME_MENU) is None
    invitation = offered([{"title": "Oui, j'aimerais aider", "payload": "/become_mentor"}])
    assert title(pick("oui", invitation)) == "Oui, j'aimerais aider"  # the start of its title
    assert pick("non", invitation) is None
    two_yes = offered([{"title": "Oui", "payload": "/a"}, {"title": "Oui, plus tard", "payload": "/b"}])
    assert pick("ouais", two_yes) is None


@pytest.mark.parametrize(
    "typed",
    [
        "est-ce que l'emploi est facile à trouver?",
        "je cherche un emploi en région avec ma famille",
        "c'est quoi le logement?",
        "bonjour",
        "Rimouski",
        "je veux un conseiller",
        "13",  # past the list
        "0",
        "em",  # too short to say which
        "",
        "???",
        "🙂",
        '/choose_theme{"theme": "employment"}',  # a tap is already a payload
        "le",
        "Québec",  # in titles ("Nord-du-Québec") but names none of them
    ],
)
def test_what_is_not_a_choice(typed):
    regions = offered(
        [{"title": r, "payload": f"/ask_region_info{{\"region\": \"{r}\"}}"}
         for r in ("Nord-du-Québec", "Centre-du-Québec", "Capitale-Nationale")]
    )  # fmt: skip
    assert pick(typed, THEME_MENU) is None
    assert pick(typed, regions) is None


def test_nothing_offered_nothing_picked():
    assert pick("2", []) is None
    assert pick("emploi", []) is None


def test_a_whole_title_is_picked_even_when_long():
    long = offered([{"title": "Oui, mon employeur m'aide à trouver un logement", "payload": "/a"}])
    assert title(pick("oui mon employeur m'aide à trouver un logement", long)) == long[0].title


def test_buttons_that_step_aside_are_not_numbered_and_need_their_whole_title():
    assert [c.number for c in QUESTION] == [1, 2, 3, None, None, None]
    assert pick("4", QUESTION) is None  # the forms read "4" as out of range; no hidden "Je ne sais pas"
    assert title(pick("je ne sais pas", QUESTION)) == "Je ne sais pas"
    assert title(pick("Passer", QUESTION)) == "Passer"
    assert pick("pass", QUESTION) is None
    assert pick("continuer", QUESTION) is None


@pytest.mark.parametrize("typed", ["1", "2", "3", "4", "passé", "dans 2 semaines", "le 3 décembre", "continue"])
def test_a_free_answer_is_not_taken_for_a_button(typed):
    assert pick(typed, FREE_QUESTION) is None


def test_a_button_without_payload_is_no_choice():
    with_link = offered([{"title": "Le site", "url": "https://example.org"}, {"title": "Menu", "payload": "/help"}])
    assert [(c.title, c.number) for c in with_link] == [("Menu", 1)]
    assert pick("le site", with_link) is None


def test_buttons_with_plain_words_as_payload_are_not_numbered():
    date_question = offered([{"title": "Je ne sais pas encore", "payload": "je ne sais pas encore"}])
    assert pick("1", date_question) is None
    assert title(pick("je ne sais pas encore", date_question)) == "Je ne sais pas encore"


def test_normalise_and_edit_distance():
    assert normalise("☐ L'Emploi!") == "emploi"
    assert normalise("✅ Réseau et vie sociale") == "reseau et vie sociale"
    assert normalise("Parler à une personne de l'équipe") == "parler personne de equipe"
    assert normalise("Une") == "une"  # only an article: kept
    assert edit_distance("emploi", "emplio") == 1  # two letters swapped
    assert edit_distance("logment", "logement") == 1
    assert edit_distance("abc", "abc") == 0
    assert edit_distance("", "abc") == 3


def test_written_is_what_the_person_typed():
    assert written({"text": "/choose_theme", "metadata": {"typed_choice": "l'emploi"}}) == "l'emploi"
    assert written({"text": "bonjour", "metadata": None}) == "bonjour"
    assert written({"text": "/give_consent"}) == "/give_consent"


# --- the questionnaire's own reading agrees -------------------------------------------


def question_buttons(question: questionnaire.Question) -> list[Choice]:
    """The buttons the form shows with the question (actions/questionnaire.py)."""
    dispatcher = CollectingDispatcher()
    theme = questionnaire.theme(question.theme)
    ask(dispatcher, theme, question, {}, "fr")
    return offered(dispatcher.messages[-1]["buttons"])


def chosen_option(found: Choice | Ambiguous | None) -> str | None:
    if not isinstance(found, Choice) or not found.payload.startswith("/inform"):
        return None
    return json.loads(found.payload[len("/inform") :])["choice"]


ALL_QUESTIONS = [q for t in questionnaire.all_forms() for q in t.questions]
CHOICE_QUESTIONS = [q for q in ALL_QUESTIONS if q.options]


@pytest.mark.parametrize("question", CHOICE_QUESTIONS, ids=lambda q: q.path)
def test_a_typed_number_gives_the_answer_the_form_would_read(question):
    buttons = question_buttons(question)
    for number in range(1, len(buttons) + 2):
        before = questionnaire.read_choice(question, str(number))
        assert chosen_option(pick(str(number), buttons)) == (before.value if before.ok else None), number


@pytest.mark.parametrize("question", CHOICE_QUESTIONS, ids=lambda q: q.path)
def test_a_typed_label_gives_the_answer_the_form_would_read(question):
    buttons = question_buttons(question)
    for key, labels in question.options.items():
        assert questionnaire.read_choice(question, labels["fr"]).value == key
        assert chosen_option(pick(labels["fr"], buttons)) == key


@pytest.mark.parametrize("question", [q for q in ALL_QUESTIONS if not q.options], ids=lambda q: q.path)
def test_numbers_typed_to_a_question_answered_in_words_stay_words(question):
    buttons = question_buttons(question)
    assert all(pick(str(n), buttons) is None for n in range(0, 30))


def test_the_real_theme_menu_marks_are_ignored():
    buttons = offered(theme_buttons({"employment.job_found": "yes"}, "fr"))
    assert buttons[1].title.startswith("◐")
    assert chosen_theme(pick("l'emploi", buttons)) == "employment"
    assert chosen_theme(pick("2", buttons)) == "employment"


def chosen_theme(found: Choice | Ambiguous | None) -> str | None:
    assert isinstance(found, Choice), found
    return json.loads(found.payload[len("/choose_theme") :])["theme"]


@pytest.mark.parametrize("key", [k for k in QUESTION_KEYS if k != "field"])
def test_the_region_matchers_questions_read_a_number_as_before(key):
    """The matcher reads "2" as its second option (app/recommendation.read_typed_answer); its
    "Je ne sais pas" button comes last and is picked by its number too."""
    rules = load_rules()
    buttons = offered(recommendation_question_buttons(key, rules, "fr"))
    options = list(question_for_reading(key, rules).options)
    for number, option in enumerate(options, start=1):
        assert read_typed_answer(key, str(number), rules).value == option
        found = pick(str(number), buttons)
        assert isinstance(found, Choice) and found.payload.endswith(f'"{key}={option}"}}'), (number, found)
    last = pick(str(len(options) + 1), buttons)
    assert isinstance(last, Choice) and last.title == "Je ne sais pas" and last.payload.endswith('=unknown"}')
