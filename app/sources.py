"""How reliable and how recent a hand-sourced row is (growth sectors, organisations):
each carries a confidence and a free-text date such as "c. 2017-2019 (cites 2015 GDP)"."""

from __future__ import annotations

import re

CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}
_YEAR = re.compile(r"(?:19|20)\d{2}")


def confidence_rank(confidence: str) -> int:
    """0 for the most reliable; unknown confidences last."""
    return CONFIDENCE_ORDER.get(confidence, len(CONFIDENCE_ORDER))


def latest_year(label: str) -> int | None:
    """The most recent year a source's date mentions, if any."""
    years = [int(y) for y in _YEAR.findall(label)]
    return max(years) if years else None
