"""How the console speaks: its sentences from the catalogue (app/catalogue/console.py), in
the counsellor's chosen language."""

from __future__ import annotations

from app.catalogue import say


def t(key: str, language: str, **values: object) -> str:
    return say(f"console.{key}", language, **values)
