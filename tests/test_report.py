"""The decision report's rules (knowledge/report_rules.yml through app/report.py) and
the mind-map picture (app/mindmap.py)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from PIL import Image

from app import mindmap, questionnaire
from app.report import GREEN, NOT_COVERED, RED, YELLOW, Rule, build_report, check_rules, load_rules

TODAY = date(2026, 11, 24)
# A candidate who went through every theme and for whom nothing is a concern.
READY = {
    "project.activator": "job", "project.regions": ["Rimouski"], "project.why": "un emploi",
    "project.knowledge": "a_little", "project.visited": "yes", "project.setting": "city",
    "employment.job_found": "yes", "employment.field": "soins infirmiers", "employment.credentials": "recognised",
    "employment.target_employers": "yes", "employment.cv_adapted": "yes", "employment.interview_ready": "yes",
    "family.household": "couple", "family.spouse_view": "on_board", "family.spouse_job": "searching",
    "housing.lease_end": "2027-06-30", "housing.lease_transfer": "yes", "housing.rental_rules": "yes",
    "housing.temporary_housing": "employer", "housing.local_help": "yes",
    "mobility.licence": "quebec", "mobility.car": "yes", "mobility.transit": "yes",
    "services.health": "yes", "services.training": "no", "services.job_help": "yes", "services.francisation": "no",
    "network.contacts": "few", "network.activities": "soccer", "network.community": "no_preference",
    "network.mentor": "yes",
    "moving.date": "2027-06-01", "moving.help": "yes", "moving.family_moves": "together",
    "resources.financial": "enough", "resources.material": "solid", "resources.family_support": "solid",
    "resources.personal": "solid",
    "eligibility.status": "permanent_resident", "eligibility.arrival_year": 2023, "eligibility.french": "advanced",
    "eligibility.evaluation": "done",
}  # fmt: skip


def statuses(answers: dict) -> dict[str, str]:
    return {t["key"]: t["status"] for t in build_report(answers, TODAY)["themes"]}


def reasons(answers: dict, theme: str) -> str:
    return " ".join(next(t for t in build_report(answers, TODAY)["themes"] if t["key"] == theme)["reasons"])


def test_the_rules_file_is_consistent_with_the_questionnaire():
    assert check_rules(load_rules(), questionnaire.load_themes()) == []


def test_a_typo_in_the_rules_file_is_caught():
    rules = (
        Rule("family", "red", ({"family.spouse_veiw": "against"},), {"fr": "x", "en": "x"}),
        Rule("housing", "orange", ({"housing.lease_end": "unkown"},), {"fr": "x"}),
    )
    problems = check_rules(rules, questionnaire.load_themes())
    assert "rule 1: unknown question family.spouse_veiw" in problems
    assert "rule 2: colour must be yellow or red, not orange" in problems
    assert "rule 2: housing.lease_end has no option unkown" in problems
    assert "rule 2: reason needs fr and en" in problems


def test_a_prepared_candidate_is_green_everywhere():
    report = build_report(READY, TODAY)
    assert set(statuses(READY).values()) == {GREEN}
    assert report["overall"]["status"] == GREEN
    assert all(t["answered"] == t["questions"] for t in report["themes"])


def test_nothing_answered_is_not_covered():
    report = build_report({}, TODAY)
    assert report["overall"]["status"] == NOT_COVERED
    assert set(statuses({}).values()) == {NOT_COVERED}


def test_unanswered_themes_show_as_not_covered_and_keep_overall_from_green():
    answers = {k: v for k, v in READY.items() if not k.startswith(("network.", "moving."))}
    report = build_report(answers, TODAY)
    assert statuses(answers)["network"] == NOT_COVERED and statuses(answers)["moving"] == NOT_COVERED
    assert report["overall"]["status"] == YELLOW
    assert "2 thème(s) pas encore abordé(s)" in report["overall"]["summary"]


def test_spouse_not_on_board_is_red_and_red_wins_overall():
    answers = {**READY, "family.spouse_view": "against"}
    assert statuses(answers)["family"] == RED
    assert "n'est pas d'accord" in reasons(answers, "family")
    assert build_report(answers, TODAY)["overall"]["status"] == RED


def test_rural_destination_without_licence_or_car_is_yellow():
    rural = {**READY, "project.setting": "rural"}
    assert statuses(rural)["mobility"] == GREEN
    assert statuses({**rural, "mobility.licence": "none"})["mobility"] == YELLOW
    assert statuses({**rural, "mobility.car": "no"})["mobility"] == YELLOW
    # A regional city without a car is not flagged.
    assert statuses({**READY, "mobility.car": "no"})["mobility"] == GREEN


def test_no_social_network_plan_is_yellow():
    lonely = {**READY, "network.contacts": "none", "network.activities": "skipped"}
    assert statuses(lonely)["network"] == YELLOW
    assert statuses({**READY, "network.contacts": "none"})["network"] == GREEN  # activities planned
    assert statuses({**READY, "network.contacts": "none", "network.mentor": "no"})["network"] == YELLOW


def test_lease_end_unknown_is_yellow_only_when_leaving_within_two_months():
    unknown_lease = {**READY, "housing.lease_end": "unknown"}
    assert statuses({**unknown_lease, "moving.date": "2027-01-10"})["housing"] == YELLOW
    assert "moins de deux mois" in reasons({**unknown_lease, "moving.date": "2027-01-10"}, "housing")
    assert statuses({**unknown_lease, "moving.date": "2027-06-01"})["housing"] == GREEN
    assert statuses({**unknown_lease, "moving.date": "unknown"})["housing"] == GREEN


def test_not_eligible_is_red():
    assert statuses({**READY, "eligibility.status": "other"})["eligibility"] == RED
    assert statuses({**READY, "eligibility.arrival_year": 2019})["eligibility"] == RED
    assert statuses({**READY, "eligibility.arrival_year": 2022})["eligibility"] == GREEN


def test_region_never_visited_is_yellow():
    answers = {**READY, "project.visited": "no"}
    assert statuses(answers)["project"] == YELLOW
    assert "visite exploratoire" in reasons(answers, "project")


def test_a_question_not_asked_yet_does_not_count_as_unanswered():
    # Only the first employment answer so far: "no list of target companies" must wait.
    assert statuses({"employment.job_found": "no"})["employment"] == GREEN
    assert statuses({"employment.job_found": "no", "employment.target_employers": "no"})["employment"] == YELLOW


def test_reasons_come_in_the_language_of_the_report():
    answers = {**READY, "family.spouse_view": "against"}
    english = build_report(answers, TODAY, "en")
    family = next(t for t in english["themes"] if t["key"] == "family")
    assert family["title"] == "Spouse and family" and "does not agree" in family["reasons"][0]


@pytest.fixture(scope="module")
def mixed_report() -> dict:
    answers = {**READY, "family.spouse_view": "against", "project.visited": "no"}
    answers = {k: v for k, v in answers.items() if not k.startswith("moving.")}
    return build_report(answers, TODAY)


def test_the_png_shows_each_branch_in_its_colour(mixed_report):
    dpi = 80
    image = Image.open(io.BytesIO(mindmap.render(mixed_report, "png", dpi=dpi))).convert("RGB")
    assert image.size == (int(mindmap.SIZE_INCHES[0] * dpi), int(mindmap.SIZE_INCHES[1] * dpi))
    themes = mixed_report["themes"]
    expected = {"project": YELLOW, "family": RED, "moving": NOT_COVERED, "employment": GREEN}
    for entry, centre in zip(themes, mindmap.branch_centres(len(themes)), strict=True):
        assert entry["status"] == expected.get(entry["key"], entry["status"])
        pixel = image.getpixel(mindmap.to_pixels(mindmap.swatch_point(centre), dpi))
        assert pixel == hex_to_rgb(mindmap.COLOURS[entry["status"]]), entry["key"]
    assert image.getpixel(mindmap.to_pixels(mindmap.swatch_point((0, 0)), dpi)) == hex_to_rgb(mindmap.COLOURS[RED])


def test_the_svg_names_every_theme_with_its_colour(mixed_report):
    svg = mindmap.render(mixed_report, "svg").decode()
    assert svg.startswith("<?xml") and "<svg" in svg
    colours = set(re.findall(r"fill:\s*(#[0-9a-f]{6})", svg))
    assert {mindmap.COLOURS[s] for s in (GREEN, YELLOW, RED, NOT_COVERED)} <= colours
    for title in ("Emploi", "Conjoint et", "Déménagement", "Admissibilité"):
        assert title in svg


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
