"""A message whose meaning is only a place is about that place, whatever the classifier
thinks: "Waterville c'est dans quelle région?" (the word "région" pulled it to
recommend_region), "c'est comment aux Îles-de-la-Madeleine" (read as become_mentor).

Here rather than in the actions: the intent decides which rule runs, so only the NLU can
send such a message to the place's card; and here rather than in the training data alone,
because a classifier is never sure of a shape it has seen with other names, while these
shapes with a whole place name are certain (app/places.py `place_asked_about`).

A question about a place becomes `ask_region_info`; a place named alone becomes `inform`,
which outside a form asks for its card ("a bare place is a question about it") and inside
a form answers its question. The places come from knowledge/'s files, not the database,
so that training and `rasa test nlu` run this component as the server does."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from app.places import Gazetteer, knowledge_gazetteer
from rasa_components.stateless import StatelessComponent

PLACE_QUESTION = "ask_region_info"
PLACE_ALONE = "inform"


def place_intent(text: str, gazetteer: Gazetteer) -> str | None:
    """The intent a message made only of a place, or of a question about one, has; None
    for any other message (a button's payload included)."""
    if text.startswith("/") or gazetteer.place_asked_about(text) is None:
        return None
    return PLACE_ALONE if gazetteer.place_named_alone(text) else PLACE_QUESTION


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PlaceQuestionGuard(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = place_intent(message.get(TEXT) or "", knowledge_gazetteer())
            if intent:
                chosen = {"name": intent, "confidence": 1.0}
                message.data[INTENT] = dict(chosen)
                message.data[INTENT_RANKING_KEY] = [dict(chosen)]
        return messages
