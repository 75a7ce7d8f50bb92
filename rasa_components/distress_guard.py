"""Words of distress (despair, violence, losing one's home today) always reach a person:
whatever the classifier thinks, the intent becomes `distress` and the assistant hands
the conversation over (app/handoffs.py keeps the words)."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from app.handoffs import shows_distress
from rasa_components.stateless import StatelessComponent

DISTRESS_INTENT = {"name": "distress", "confidence": 1.0}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DistressGuard(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.startswith("/") and shows_distress(text):
                message.data[INTENT] = dict(DISTRESS_INTENT)
                message.data[INTENT_RANKING_KEY] = [dict(DISTRESS_INTENT)]
        return messages
