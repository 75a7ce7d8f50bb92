"""Messages without a single letter (empty, emoji only, "???") carry no intent: the
classifier would still pick one (often `affirm`) with high confidence. They are sent to
the fallback action instead, which says that only text is understood."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from app.text import has_words
from rasa_components.stateless import StatelessComponent

FALLBACK_INTENT = {"name": "nlu_fallback", "confidence": 1.0}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NoTextGuard(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not has_words(message.get(TEXT)):
                message.data[INTENT] = dict(FALLBACK_INTENT)
                message.data[INTENT_RANKING_KEY] = [dict(FALLBACK_INTENT)]
        return messages
