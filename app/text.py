"""Text normalisation shared by place matching and language detection."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/'’`.,;:!?()\[\]{}\"«»]+")
# What people type for the saints and mounts of Québec's place names.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mont", "n d": "notre dame"}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def fold(text: str) -> str:
    """Lower case, no accents, words separated by one space, abbreviations expanded:
    "St-Jérôme", "saint jerome" and "Saint-Jérôme" all fold to "saint jerome"."""
    words = _SEPARATORS.sub(" ", strip_accents(text).lower()).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def words(text: str) -> list[str]:
    return fold(text).split()


def split_words(text: str) -> list[str]:
    """The words of a message as written (for quoting them back)."""
    return [w for w in _SEPARATORS.split(text) if w]


def has_words(text: str | None) -> bool:
    """Whether a message has at least one letter (not empty, not only emoji or signs)."""
    return any(c.isalpha() for c in text or "")
