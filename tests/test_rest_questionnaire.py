"""The preparation questionnaire over the REST channel, with the real servers: every
theme filled in a scripted conversation (buttons and typed answers, bad input, a question
about something else, a pause), then the decision report as JSON and as a picture."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from PIL import Image

from app import mindmap, questionnaire
from app.db import session_scope
from tests.test_rest_conversations import consent, new_sender, texts

pytestmark = pytest.mark.servers

SOON = (date.today() + timedelta(days=40)).strftime("%d/%m/%Y")
# What this candidate answers, by question: an option key (sent with its button) or typed words.
ANSWERS = {
    "project.activator": "job",
    "project.regions": "Rimouski ou le Bas-Saint-Laurent",
    "project.why": "un emploi d'infirmière m'attend",
    "project.knowledge": "a_little",
    "project.visited": "no",  # -> yellow
    "project.setting": "rural",
    "employment.job_found": "yes",
    "employment.field": "soins infirmiers",
    "employment.credentials": "recognised",
    "employment.target_employers": "yes",
    "employment.cv_adapted": "yes",
    "employment.interview_ready": "yes",
    "family.household": "couple",
    "family.spouse_view": "against",  # -> red
    "family.spouse_job": "searching",
    "housing.lease_end": "/dont_know",  # with a move in 40 days -> yellow
    "housing.lease_transfer": "yes",
    "housing.rental_rules": "yes",
    "housing.temporary_housing": "employer",
    "housing.local_help": "yes",
    "mobility.licence": "none",  # rural without a licence -> yellow
    "mobility.car": "planned",
    "mobility.transit": "no",
    "services.health": "yes",
    "services.training": "no",
    "services.job_help": "no",
    "services.francisation": "no",
    "network.contacts": "few",
    "network.activities": "le soccer et le bénévolat",
    "network.community": "no_preference",
    "network.mentor": "yes",
    "moving.date": SOON,
    "moving.help": "yes",
    "moving.family_moves": "together",
    "resources.financial": "enough",
    "resources.material": "solid",
    "resources.family_support": "enough",
    "resources.personal": "solid",
    "eligibility.status": "permanent_resident",
    "eligibility.arrival_year": "2023",
    "eligibility.french": "advanced",
    "eligibility.evaluation": "done",
}
EXPECTED = {
    "project": "yellow", "employment": "green", "family": "red", "housing": "yellow", "mobility": "yellow",
    "services": "green", "network": "green", "moving": "green", "resources": "green", "eligibility": "green",
}  # fmt: skip


def message_for(path: str) -> str:
    theme_key, key = path.split(".")
    value = ANSWERS[path]
    if value in questionnaire.theme(theme_key).question(key).options:
        return f'/inform{{"choice": "{value}"}}'
    return value


def asked(servers, sender: str) -> str | None:
    """The question the assistant is waiting for, as "theme.question"."""
    slot = servers.tracker(sender)["slots"].get("requested_slot")
    found = [q.path for t in questionnaire.all_forms() for q in t.questions if q.slot == slot]
    return found[0] if found else None


def answer_theme(servers, sender: str, theme_key: str) -> str:
    replies = texts(servers.say(sender, f'/choose_theme{{"theme": "{theme_key}"}}'))
    for _ in range(10):
        path = asked(servers, sender)
        if path is None:
            return replies
        assert path.startswith(f"{theme_key}."), (path, replies)
        replies = texts(servers.say(sender, message_for(path)))
    raise AssertionError(f"{theme_key} never ended")


def test_every_theme_answered_then_the_report_in_json_and_png(servers):
    sender = new_sender()
    consent(servers, sender)
    menu = texts(servers.say(sender, "je veux préparer mon déménagement en région"))
    assert "Choisissez un thème" in menu
    for theme in questionnaire.load_themes():
        done = answer_theme(servers, sender, theme.key)
        assert f"« {theme.title['fr']} » est terminé" in done, done

    replies = servers.say(sender, "/show_report")
    report = next(r["custom"]["decision_report"] for r in replies if r.get("custom"))
    assert {t["key"]: t["status"] for t in report["themes"]} == EXPECTED
    assert report["overall"]["status"] == "red"
    assert "🔴 Votre bilan de préparation" in texts(replies)
    json.dumps(report)  # JSON as it is

    dpi = 60
    picture = Image.open(io.BytesIO(mindmap.render(report, "png", dpi=dpi))).convert("RGB")
    for entry, centre in zip(report["themes"], mindmap.branch_centres(len(report["themes"])), strict=True):
        colour = mindmap.COLOURS[EXPECTED[entry["key"]]]
        expected_rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert picture.getpixel(mindmap.to_pixels(mindmap.swatch_point(centre), dpi)) == expected_rgb, entry["key"]

    with session_scope() as session:
        stored = questionnaire.stored_answers(session, sender)
    assert stored["family.spouse_view"] == "against" and stored["project.regions"] == ["Rimouski", "Bas-Saint-Laurent"]
    assert len(stored) == len(ANSWERS)


def test_bad_answers_are_explained_and_nothing_invalid_is_kept(servers):
    sender = new_sender()
    servers.say(sender, '/choose_theme{"theme": "eligibility"}')
    servers.say(sender, '/inform{"choice": "permanent_resident"}')
    assert "entre 1950 et" in texts(servers.say(sender, "2031"))
    assert asked(servers, sender) == "eligibility.arrival_year"
    assert servers.tracker(sender)["slots"]["q_eligibility_arrival_year"] is None
    assert "Comment est votre français?" in texts(servers.say(sender, "je suis arrivé il y a 2 ans"))
    assert "Choisissez une réponse" in texts(servers.say(sender, "7"))
    assert asked(servers, sender) == "eligibility.french"


def test_a_question_about_something_else_then_back_to_the_same_question(servers):
    sender = new_sender()
    first = texts(servers.say(sender, '/choose_theme{"theme": "mobility"}'))
    assert "permis de conduire valide" in first
    detour = servers.say(sender, "comment échanger mon permis de conduire étranger?")
    assert "permis de conduire valide au Québec?" in texts(detour[-1:])  # the same question, last
    assert len(detour) >= 2
    assert asked(servers, sender) == "mobility.licence"
    servers.say(sender, '/inform{"choice": "quebec"}')
    assert asked(servers, sender) == "mobility.car"


def test_pause_and_resume_keep_every_answer(servers):
    sender = new_sender()
    servers.say(sender, '/choose_theme{"theme": "network"}')
    servers.say(sender, '/inform{"choice": "none"}')
    paused = texts(servers.say(sender, "/pause_questionnaire"))
    assert "Vos réponses sont gardées" in paused
    assert servers.tracker(sender)["active_loop"] in ({}, None) or not servers.tracker(sender)["active_loop"].get(
        "name"
    )
    assert "Sherbrooke" in texts(servers.say(sender, "parle-moi de l'Estrie"))  # the region card, no question
    resumed = texts(servers.say(sender, "/resume_questionnaire"))
    assert "Quelles activités aimeriez-vous faire" in resumed
    assert servers.tracker(sender)["slots"]["q_network_contacts"] == "none"


def test_the_self_assessment_ends_with_a_kind_summary(servers):
    sender = new_sender()
    intro = texts(servers.say(sender, "/start_self_assessment"))
    assert "facultative" in intro and "moment important" in intro
    servers.say(
        sender, "Mon premier hiver à Montréal : j'ai demandé de l'aide à un organisme et je me suis fait des amis."
    )
    said = ""
    for _ in range(10):
        said = texts(servers.say(sender, '/inform{"choice": "4"}'))
    assert "Merci d'avoir pris ce temps" in said and "💪" in said
    assert servers.tracker(sender)["slots"]["competency_scores"]["initiative"] == 4.0
