"""Intents as the assistant acts on them: each held-out message parsed by the whole pipeline,
fallback included. `rasa test nlu` undoes the FallbackClassifier's verdict before it scores
(rasa/nlu/test.py), so its errors never count a fallback; this module is what does.

Run in its own process (`python -m bench.intents MODEL NLU_DIR OUT`) so the bench that drives
the load tests does not carry TensorFlow."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any

FALLBACK = "nlu_fallback"


def tally(readings: list[dict[str, Any]]) -> dict[str, Any]:
    """Messages read right, sent to the fallback (the assistant says it is unsure and offers a
    counsellor) or read as another intent (it answers the wrong question)."""
    correct = sum(r["predicted"] == r["intent"] for r in readings)
    to_fallback = sum(r["predicted"] == FALLBACK != r["intent"] for r in readings)
    messages = len(readings)
    return {
        "messages": messages,
        "intent_accuracy": round(correct / messages, 4) if messages else 0.0,
        "errors": messages - correct,
        "errors_to_fallback": to_fallback,
    }


async def read_all(model: Path, nlu: Path) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)  # the processor logs every parse at debug level
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    readings = []
    for example in load_data(str(nlu)).intent_examples:
        parsed = await agent.parse_message(example.get("text"))
        intent = parsed.get("intent") or {}
        readings.append({
            "text": example.get("text"),
            "intent": example.get("intent"),
            "predicted": intent.get("name"),
            "confidence": intent.get("confidence"),
        })  # fmt: skip
    return readings


def main(argv: list[str]) -> int:
    model, nlu, out = map(Path, argv)
    out.write_text(json.dumps(asyncio.run(read_all(model, nlu)), indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
