"""Rasa's replies as Telegram messages: text, buttons as an inline keyboard, images as
photos, and the decision report drawn as the mind-map picture. Pure: payloads are turned
into callback keys by the function it is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from app import mindmap

TELEGRAM_TEXT_LIMIT = 4096
# Short titles go two to a row; long ones alone, so nothing is cut on a phone.
SHORT_TITLE = 18


@dataclass(frozen=True)
class Outgoing:
    text: str | None = None
    photo: str | bytes | None = None  # a URL, or the picture itself
    keyboard: list[list[tuple[str, str]]] = field(default_factory=list)  # rows of (title, callback key)


def inline_keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Rows of (title, callback data) as Telegram's inline keyboard."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(title, callback_data=data) for title, data in row] for row in rows]
    )


def keyboard_rows(buttons: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    rows: list[list[tuple[str, str]]] = []
    for title, key in buttons:
        if rows and len(rows[-1]) == 1 and len(rows[-1][0][0]) <= SHORT_TITLE and len(title) <= SHORT_TITLE:
            rows[-1].append((title, key))
        else:
            rows.append([(title, key)])
    return rows


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Telegram refuses texts over 4,096 characters: cut between lines."""
    parts, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:
            parts.append(line[:limit])
            line = line[limit:]
        if current and len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        parts.append(current)
    return parts


def render(message: dict[str, Any], key_for: Callable[[str], str]) -> list[Outgoing]:
    """One Rasa message as one or more Telegram messages; the buttons go on the last."""
    buttons = [(b["title"], key_for(b["payload"])) for b in message.get("buttons") or []]
    rows = keyboard_rows(buttons)
    outgoing = [Outgoing(text=part) for part in split_text(message.get("text") or "")]
    if message.get("image"):
        outgoing.append(Outgoing(photo=message["image"]))
    if report := (message.get("custom") or {}).get("decision_report"):
        outgoing.append(Outgoing(photo=mindmap.render(report, "png")))
    if not outgoing and rows:
        outgoing.append(Outgoing(text="…"))
    if rows:
        last = outgoing[-1]
        outgoing[-1] = Outgoing(text=last.text, photo=last.photo, keyboard=rows)
    return outgoing
