"""Keep one entity per span when the lookup-table extractor and DIET both find it.

RegexEntityExtractor finds every region and municipality by name; DIET finds the
spellings the lookup tables miss. Where both tag the same words, the lookup table's
entity is kept (its value is an official name, after EntitySynonymMapper)."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

PREFERRED_EXTRACTOR = "RegexEntityExtractor"


def deduplicate(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entity per overlapping span and type, the lookup table's first."""
    ranked = sorted(entities, key=lambda e: (e.get("extractor") != PREFERRED_EXTRACTOR, e.get("start", 0)))
    kept: list[dict[str, Any]] = []
    for entity in ranked:
        overlaps = any(
            k["entity"] == entity["entity"]
            and k.get("start", 0) < entity.get("end", 0)
            and entity.get("start", 0) < k.get("end", 0)
            for k in kept
        )
        if not overlaps:
            kept.append(entity)
    return sorted(kept, key=lambda e: e.get("start", 0))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EntityDeduplicator(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EntityDeduplicator:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get("entities")
            if entities:
                message.set("entities", deduplicate(entities), add_to_output=True)
        return messages
