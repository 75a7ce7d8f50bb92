"""Understanding measured on tests/nlu/heldout.yml, written apart from the training data
(FR and EN, typos, missing accents, Québécois phrasings). The report is kept in
results/nlu-heldout/ and its figures are in the README."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import MODEL, PYTHON, ROOT

REPORT = ROOT / "results" / "nlu-heldout"
# A gate against regressions; the product target (0.92) is tracked by `make bench`.
MIN_INTENT_ACCURACY = 0.85
MIN_PLACE_ENTITY_F1 = 0.80


def test_heldout_intent_accuracy_and_place_entities():
    result = subprocess.run(
        [PYTHON, "-m", "rasa", "test", "nlu", "--model", str(MODEL), "--nlu", "tests/nlu/heldout.yml",
         "--out", str(REPORT)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    intents = json.loads((REPORT / "intent_report.json").read_text())
    assert intents["accuracy"] >= MIN_INTENT_ACCURACY, f"intent accuracy {intents['accuracy']:.3f}"
    entities = json.loads((REPORT / "RegexEntityExtractor_report.json").read_text())
    for place in ("region", "city"):
        assert entities[place]["f1-score"] >= MIN_PLACE_ENTITY_F1, f"{place}: {entities[place]}"
