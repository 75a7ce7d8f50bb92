"""From the inbox to Rasa and back: messages of a chat go to Rasa one at a time, in
the order they came; if Rasa does not answer they wait in the database and are tried
again with back-off, and the person is told once that the answer is delayed."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from app import candidates, inbox
from app.db import session_scope
from app.models import InboundMessage
from bot.rasa import RasaClient, RasaUnavailable
from bot.rendering import Outgoing, render
from bot.texts import say

logger = logging.getLogger(__name__)


class Delivery:
    def __init__(self, rasa: RasaClient) -> None:
        self._rasa = rasa
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def receive(self, bot: Bot, chat_id: str, text: str, metadata: dict[str, Any]) -> None:
        """Keep the message first, then try to deliver everything pending for the chat."""
        with session_scope() as session:
            inbox.enqueue(session, chat_id, text, metadata)
        await self.deliver(bot, chat_id)

    async def deliver(self, bot: Bot, chat_id: str) -> None:
        async with self._locks[chat_id]:
            with session_scope() as session:
                waiting = [(m.id, m.text, inbox.metadata(m)) for m in inbox.pending(session, chat_id)]
            for message_id, text, metadata in waiting:
                try:
                    replies = await self._rasa.send(chat_id, text, metadata)
                except RasaUnavailable as error:
                    logger.warning("Rasa unavailable for chat %s: %s", chat_id, error)
                    await self._postpone(bot, chat_id, message_id, metadata)
                    return
                with session_scope() as session:
                    message = session.get(InboundMessage, message_id)
                    if message is not None:  # None: the person's data was just erased
                        inbox.mark_delivered(message, keep=candidates.has_consented(session, chat_id))
                await self.send_replies(bot, chat_id, replies)

    async def retry_due(self, bot: Bot) -> None:
        with session_scope() as session:
            chats = inbox.chats_due(session)
        for chat_id in chats:
            await self.deliver(bot, chat_id)

    async def send_replies(self, bot: Bot, chat_id: str, replies: list[dict[str, Any]]) -> None:
        with session_scope() as session:
            outgoing = [o for reply in replies for o in render(reply, lambda p: inbox.payload_key(session, p))]
        for message in outgoing:
            await send(bot, chat_id, message)

    async def _postpone(self, bot: Bot, chat_id: str, message_id: int, metadata: dict[str, Any]) -> None:
        with session_scope() as session:
            message = session.get(InboundMessage, message_id)
            inbox.mark_failed(message)
            tell = not message.delay_notified
            message.delay_notified = True
        if tell:
            await bot.send_message(chat_id, say("delayed", metadata.get("language_code")))


async def send(bot: Bot, chat_id: str, message: Outgoing) -> None:
    markup = (
        InlineKeyboardMarkup(
            [[InlineKeyboardButton(title, callback_data=key) for title, key in row] for row in message.keyboard]
        )
        if message.keyboard
        else None
    )
    if message.photo:
        await bot.send_photo(chat_id, message.photo, caption=message.text, reply_markup=markup)
    else:
        await bot.send_message(chat_id, message.text or "…", reply_markup=markup)
