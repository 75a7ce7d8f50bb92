"""The averaged intent ranking, and the component trained, stored and loaded as Rasa does."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import coo_matrix

from rasa_components.intent_ensemble import IntentEnsemble, averaged


def test_confidences_are_averaged_and_ranked_best_first():
    diet = [{"name": "ask_jobs", "confidence": 0.6}, {"name": "ask_region_info", "confidence": 0.4}]
    regression = [{"name": "ask_jobs", "confidence": 0.1}, {"name": "ask_region_info", "confidence": 0.9}]
    ranking = averaged(diet, regression)
    assert [r["name"] for r in ranking] == ["ask_region_info", "ask_jobs"]
    assert ranking[0]["confidence"] == pytest.approx(0.65)
    assert ranking[1]["confidence"] == pytest.approx(0.35)


def test_the_weight_goes_to_the_first_ranking_and_a_missing_intent_counts_zero():
    ranking = averaged([{"name": "greet", "confidence": 1.0}], [{"name": "thank", "confidence": 1.0}], weight=0.75)
    assert ranking == [{"name": "greet", "confidence": 0.75}, {"name": "thank", "confidence": 0.25}]


def features(vector: list[float]) -> Features:
    return Features(coo_matrix(np.array([vector])), FEATURE_TYPE_SENTENCE, TEXT, "test")


def message(vector: list[float], intent: str | None = None, text: str = "x") -> Message:
    data = {TEXT: text} | ({INTENT: intent} if intent else {})
    return Message(data=data, features=[features(vector)])


@pytest.fixture
def context(tmp_path):
    storage = LocalModelStorage(tmp_path)
    return storage, Resource("ensemble"), ExecutionContext(graph_schema=None, node_name="ensemble")


def test_trained_stored_and_loaded_it_overrules_a_hesitant_diet(context):
    storage, resource, execution = context
    examples = [message([1, 0, 0], "ask_jobs", f"jobs {n}") for n in range(6)]
    examples += [message([0, 1, 0], "ask_housing", f"housing {n}") for n in range(6)]
    trained = IntentEnsemble.create({}, storage, resource, execution)
    trained.train(TrainingData(examples))
    labels = [e.get(INTENT) for e in trained.process_training_data(TrainingData(examples)).training_examples]
    assert sorted(labels) == ["ask_housing"] * 6 + ["ask_jobs"] * 6  # left as written, not predictions

    loaded = IntentEnsemble.load({}, storage, resource, execution)
    reading = message([1, 0, 0])
    reading.set(
        INTENT_RANKING_KEY, [{"name": "ask_housing", "confidence": 0.55}, {"name": "ask_jobs", "confidence": 0.45}]
    )
    loaded.process([reading])
    ranking = reading.get(INTENT_RANKING_KEY)
    assert reading.get(INTENT)["name"] == "ask_jobs"
    assert reading.get(INTENT) == ranking[0]
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def test_untrained_it_leaves_diets_reading(context):
    storage, resource, execution = context
    untrained = IntentEnsemble.create({}, storage, resource, execution)
    reading = message([1, 0, 0])
    reading.set(INTENT, {"name": "greet", "confidence": 0.9})
    untrained.process([reading])
    assert reading.get(INTENT) == {"name": "greet", "confidence": 0.9}
