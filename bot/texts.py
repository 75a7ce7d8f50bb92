"""How the bridge speaks: its own sentences from the catalogue (app/catalogue/bridge.py),
in the person's Telegram language."""

from __future__ import annotations

from app.catalogue import language_of
from app.catalogue import say as catalogue_say


def say(key: str, code: str | None, **values: object) -> str:
    return catalogue_say(f"bridge.{key}", code, **values)


def stored_lines(stored: dict[str, object], code: str | None) -> str:
    """What /mesdonnees lists: one line per kind of data kept (app.candidates.summary)."""
    language = language_of(code)
    return "\n".join(f"• {catalogue_say(f'stored.{name}', language)} : {value}" for name, value in stored.items())
