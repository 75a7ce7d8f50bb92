"""The dossier's suggested regions (console/views/dossiers.py): the matcher on the stored
answers with its reasons and sources, and how it moves when a counsellor tries another
answer (GET parameters, nothing stored)."""

from __future__ import annotations

import html
import re

import pytest

from app import questionnaire
from app.db import session_scope

SENDER = "tg-dossier-rec"
ANSWERS = {
    "employment.field": "infirmière",
    "project.setting": "rural",
    "mobility.licence": "quebec",
    "mobility.car": "yes",
    "services.francisation": "no",
}


@pytest.fixture(scope="module", autouse=True)
def _answers(console_app) -> None:
    with session_scope() as s:
        for path, value in ANSWERS.items():
            theme_key, key = path.split(".")
            questionnaire.save_answer(s, SENDER, questionnaire.theme(theme_key).question(key), value)


def section(page: str, title: str) -> str:
    """The HTML from a heading to the next heading of the same level or higher."""
    start = page.index(title)
    end = re.search(r"<h[23]>", page[start + len(title) :])
    return page[start : start + len(title) + end.start()] if end else page[start:]


def suggested(block: str) -> list[str]:
    return re.findall(r"<li><strong>([^<]+)</strong>", block)


def test_the_dossier_shows_the_ranking_with_reasons_and_sources(counsellor) -> None:
    page = html.unescape(counsellor.get(f"/dossiers/{SENDER}").get_data(as_text=True))
    block = section(page, "Régions suggérées")
    regions = suggested(block)
    assert len(regions) == 3 and "Gaspésie–Îles-de-la-Madeleine" in regions
    assert "✔ Santé : « " in block
    assert 'href="https://' in block and "Statistique Canada, recensement 2021" in block
    assert "Pas su : distance de Montréal" in block
    assert page.index("Régions suggérées") > page.index("Bilan")  # next to the decision report


def test_a_changed_answer_reranks_without_storing(counsellor) -> None:
    page = html.unescape(counsellor.get(f"/dossiers/{SENDER}?setting=city&max_km=150").get_data(as_text=True))
    before = suggested(section(page, "Régions suggérées"))
    after_block = section(page, "Avec ces réponses")
    after = suggested(after_block)
    assert after and after != before
    assert "▲" in after_block  # how a region moved
    assert '<option value="city" selected>' in page
    with session_scope() as s:
        assert questionnaire.stored_answers(s, SENDER)["project.setting"] == "rural"


def test_an_unknown_option_is_ignored(counsellor) -> None:
    page = counsellor.get(f"/dossiers/{SENDER}?setting=<script>").get_data(as_text=True)
    assert "Avec ces réponses" not in page and "<script>" not in page


def test_in_english(counsellor) -> None:
    page = html.unescape(counsellor.get(f"/dossiers/{SENDER}?lang=en&field=soudeur").get_data(as_text=True))
    assert "Suggested regions" in page and "Health: " in page
    assert "Manufacturing and metals: " in section(page, "With these answers")
