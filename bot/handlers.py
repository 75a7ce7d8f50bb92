"""Telegram handlers, one responsibility each. Everything the person says goes through
the durable inbox (bot/delivery.py) to Rasa; the bridge answers by itself only what
Rasa cannot see (stickers, locations, edits, what is stored)."""

from __future__ import annotations

import json
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from app import candidates, inbox
from app.choices import payload
from app.db import session_scope
from app.places import nearest_municipality
from app.settings import get_settings
from bot.counsellors import relay_to_group
from bot.delivery import Delivery
from bot.rendering import inline_keyboard
from bot.texts import say, stored_lines
from bot.webinars import record_reply

MAX_MESSAGE_CHARS = 2000
# Telegram commands, in French as candidates see them, and the Rasa intent each one sends.
COMMAND_INTENTS = {
    "aide": "/help",
    "conseiller": "/request_counsellor",
    "urgence": "/urgent_departure",
    "langue": "/change_language",
    "supprimer": "/delete_my_data",
    "mentor": "/mentor_settings",
    "stop": "/stop_followups",
}


def delivery(context: ContextTypes.DEFAULT_TYPE) -> Delivery:
    return context.application.bot_data["delivery"]


def metadata(update: Update, **extra: Any) -> dict[str, Any]:
    user = update.effective_user
    return {
        "channel": "telegram",
        "language_code": user.language_code if user else None,
        "first_name": user.first_name if user else None,
        **extra,
    }


def language_code(update: Update) -> str | None:
    return update.effective_user.language_code if update.effective_user else None


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = update.effective_message.text or ""
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS]
        await update.effective_message.reply_text(say("too_long", language_code(update), limit=MAX_MESSAGE_CHARS))
    chat_id = str(update.effective_chat.id)
    record_reply(chat_id, text)
    await delivery(context).receive(context.bot, chat_id, text, metadata(update))
    group = get_settings().counsellor_chat_id
    if group:
        await relay_to_group(context.bot, group, chat_id, text)


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, possibly from a deep link (/start webinar_ABC): the payload goes as metadata."""
    extra = {"start_payload": context.args[0]} if context.args else {}
    await delivery(context).receive(context.bot, str(update.effective_chat.id), "/greet", metadata(update, **extra))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    command = (update.effective_message.text or "").split()[0].lstrip("/").split("@")[0].lower()
    intent = COMMAND_INTENTS[command]
    await delivery(context).receive(context.bot, str(update.effective_chat.id), intent, metadata(update))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    with session_scope() as session:
        payload = inbox.payload_for(session, query.data or "")
    if payload:
        chat_id = str(update.effective_chat.id)
        record_reply(chat_id, payload)  # a follow-up's button is an answer too
        await delivery(context).receive(context.bot, chat_id, payload, metadata(update))


async def on_my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Law 25's right of access: a short summary, then the full copy as a JSON file."""
    with session_scope() as session:
        copy = candidates.export_about(session, str(update.effective_chat.id))
    code = language_code(update)
    if not candidates.holds_anything(copy):
        await update.effective_message.reply_text(say("my_data_nothing", code))
        return
    lines = stored_lines(candidates.summary(copy), code)
    await update.effective_message.reply_text(say("my_data", code, lines=lines))
    await update.effective_message.reply_document(
        json.dumps(copy, ensure_ascii=False, indent=2).encode("utf-8"),
        filename=say("my_data_file_name", code, day=copy["header"]["generated_at"][:10]),
        caption=say("my_data_file", code),
    )


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    location = update.effective_message.location
    code = language_code(update)
    with session_scope() as session:
        near = nearest_municipality(session, location.latitude, location.longitude)
        if near is None:
            await update.effective_message.reply_text(say("far", code))
            return
        key = inbox.payload_key(session, payload("ask_region_info", city=near[0]))
    await update.effective_message.reply_text(
        say("near", code, city=near[0], region=near[1]),
        reply_markup=inline_keyboard([[(say("near_button", code), key)]]),
    )


async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(say("only_text", language_code(update)))


async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot.send_message(update.effective_chat.id, say("edited", language_code(update)))
