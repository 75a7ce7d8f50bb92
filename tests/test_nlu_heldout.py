"""Understanding measured on tests/nlu/heldout.yml, written apart from the training data
(FR and EN, typos, missing accents, Québécois phrasings). The reports are written to
var/test-results/nlu-heldout/ (ignored by git: `make bench` owns results/)."""

from __future__ import annotations

import json
import subprocess

import pytest
import requests
from rasa.shared.nlu.training_data.loading import load_data

from app.places import load_gazetteer
from tests.conftest import MODEL, PYTHON, ROOT, TEST_RESULTS

HELDOUT = ROOT / "tests" / "nlu"  # heldout.yml and heldout_checklist.yml
REPORT = TEST_RESULTS / "nlu-heldout"
PLACES = ("region", "city")
# Gates against regressions; the product target (0.92 intent accuracy) is tracked by `make bench`.
MIN_INTENT_ACCURACY = 0.85
MIN_PLACE_ENTITY_F1 = 0.85


def test_heldout_intent_accuracy():
    """Rasa's own evaluation: per-intent report, confusion matrix and errors."""
    result = subprocess.run(
        [PYTHON, "-m", "rasa", "test", "nlu", "--model", str(MODEL), "--nlu", str(HELDOUT), "--out", str(REPORT)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    intents = json.loads((REPORT / "intent_report.json").read_text())
    assert intents["accuracy"] >= MIN_INTENT_ACCURACY, f"intent accuracy {intents['accuracy']:.3f}"


def place_scores(gold: list[set], predicted: list[set]) -> dict[str, float]:
    """Precision, recall and F1 of (entity, value) pairs, message by message: what the
    actions receive, after synonyms and de-duplication, whatever the exact span."""
    true_positives = sum(len(g & p) for g, p in zip(gold, predicted, strict=True))
    n_predicted, n_gold = sum(map(len, predicted)), sum(map(len, gold))
    precision = true_positives / n_predicted if n_predicted else 0.0
    recall = true_positives / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": n_gold}


def test_place_scores_count_pairs_per_message():
    gold = [{("city", "Rimouski")}, {("region", "Estrie")}, set()]
    predicted = [{("city", "Rimouski")}, {("region", "Mauricie")}, {("city", "Hope")}]
    scores = place_scores(gold, predicted)
    assert (scores["precision"], scores["recall"]) == (1 / 3, 1 / 2)


def resolved(kind: str, value: str) -> tuple[str, str]:
    """The place an entity value leads the actions to (app/places.py), or the raw value."""
    place = load_gazetteer().resolve(value, prefer=kind)
    return (place.kind, place.name) if place else (kind, value)


@pytest.mark.servers
def test_heldout_place_entities_as_the_actions_see_them(servers):
    messages = load_data(str(HELDOUT)).intent_examples
    gold, predicted = [], []
    for message in messages:
        gold.append({(e["entity"], e["value"]) for e in message.get("entities", []) if e["entity"] in PLACES})
        parsed = requests.post(
            f"{servers.rasa_url}/model/parse", params={"token": servers.token}, json={"text": message.get("text")}
        ).json()
        predicted.append({resolved(e["entity"], e["value"]) for e in parsed["entities"] if e["entity"] in PLACES})
    scores = {place: place_scores(
        [{p for p in g if p[0] == place} for g in gold], [{p for p in q if p[0] == place} for q in predicted]
    ) for place in PLACES}  # fmt: skip
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / "place_entities.json").write_text(json.dumps(scores, indent=2) + "\n")
    for place, score in scores.items():
        assert score["f1"] >= MIN_PLACE_ENTITY_F1, f"{place}: {score}"
