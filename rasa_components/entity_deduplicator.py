"""One entity per span of words, and no city of Québec where the province is meant.

RegexEntityExtractor finds every region and municipality by name; DIET finds the
spellings the lookup tables miss. They often tag the same words, or nested words
("au Saguenay" the region, "Saguenay" the city; "Centre-du-Québec" and "Québec").
Kept: the longest span; for the same span, the lookup table's entity (its value is an
official name) and the city rather than the region (the city says more, and gives its
region). "Québec" after "au", "in", "Revenu"… is the province or a body: dropped."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from app.places import quebec_means_province
from app.text import fold
from rasa_components.stateless import StatelessComponent

PREFERRED_EXTRACTOR = "RegexEntityExtractor"
MORE_SPECIFIC = {"city": 0, "region": 1}


def _span(entity: dict[str, Any]) -> tuple[int, int]:
    return entity.get("start", 0), entity.get("end", 0)


def _names_the_province(entity: dict[str, Any], text: str) -> bool:
    if entity.get("entity") != "city" or fold(str(entity.get("value", ""))) != "quebec":
        return False
    before = text[: _span(entity)[0]].split()
    return quebec_means_province(before[-1] if before else "")


def resolve_overlaps(entities: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    ranked = sorted(
        (e for e in entities if not _names_the_province(e, text)),
        key=lambda e: (
            -(_span(e)[1] - _span(e)[0]),
            e.get("extractor") != PREFERRED_EXTRACTOR,
            MORE_SPECIFIC.get(e.get("entity"), 2),
        ),
    )
    kept: list[dict[str, Any]] = []
    for entity in ranked:
        start, end = _span(entity)
        if not any(k_start < end and start < k_end for k_start, k_end in map(_span, kept)):
            kept.append(entity)
    return sorted(kept, key=lambda e: _span(e)[0])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EntityDeduplicator(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get(ENTITIES)
            if entities:
                message.set(ENTITIES, resolve_overlaps(entities, message.get(TEXT) or ""), add_to_output=True)
        return messages
