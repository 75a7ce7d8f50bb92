"""From the inbox to Rasa and back: messages of a chat go to Rasa one at a time, in
the order they came; if Rasa does not answer they wait in the database and are tried
again with back-off, and the person is told once that the answer is delayed.

Across bridges (production runs two, and a load balancer may give messages of one chat to
both), a chat is answered by the bridge that holds its oldest waiting message (a lease,
app/rounds.py); the other leaves it, and the holder goes on with the next one. A message
Rasa refuses or answers unreadably is tried a few times, then given up: the chat goes on."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any

from telegram import Bot

from app import candidates, inbox, rounds
from app.db import session_scope
from app.models import InboundMessage, utcnow
from app.rasa_client import RasaClient, RasaUnavailable
from bot.rendering import Outgoing, inline_keyboard, render
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
        # The lock keeps this bridge's own tasks apart; the lease (_take_next) other bridges.
        async with self._locks[chat_id]:
            while (message := _take_next(chat_id)) is not None:
                if not await self._answer(bot, chat_id, *message):
                    return

    async def _answer(
        self, bot: Bot, chat_id: str, message_id: int, name: str, text: str, metadata: dict[str, Any]
    ) -> bool:
        """One message to Rasa and its replies to the person; False when the chat must wait.
        Sent under its name (app/inbox.name): a message tried before is answered once."""
        try:
            replies = await self._rasa.send(chat_id, text, metadata, message_id=name)
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for chat %s: %s", chat_id, error)
            await self._postpone(bot, chat_id, message_id, metadata)
            return False
        except Exception as error:  # refused (4xx), unreadable answer…: counted, then given up
            logger.warning("message %s of chat %s not answered: %s", message_id, chat_id, rounds.describe(error))
            return _rejected(message_id, error)
        try:
            with session_scope() as session:
                message = session.get(InboundMessage, message_id)
                if message is not None:  # None: the person's data was just erased
                    inbox.mark_delivered(message, keep=candidates.has_consented(session, chat_id))
        except Exception as error:  # Rasa has it: never sent to Rasa again
            logger.exception("message %s answered, but recording it failed", message_id)
            rounds.safely(
                inbox.INBOX, message_id, lambda s, failure=error: rounds.unrecorded(s, inbox.INBOX, message_id, failure)
            )
        await self.send_replies(bot, chat_id, replies)
        return True

    async def retry_due(self, bot: Bot) -> None:
        with session_scope() as session:
            chats = inbox.chats_due(session)
        for chat_id in chats:
            try:
                await self.deliver(bot, chat_id)
            except Exception:  # one chat's trouble (Telegram refusing a reply…) never stops the others
                logger.exception("chat %s: delivery failed", chat_id)

    async def send_replies(self, bot: Bot, chat_id: str, replies: list[dict[str, Any]]) -> None:
        with session_scope() as session:
            outgoing = [o for reply in replies for o in render(reply, lambda p: inbox.payload_key(session, p))]
        for message in outgoing:
            await send(bot, chat_id, message)

    async def _postpone(self, bot: Bot, chat_id: str, message_id: int, metadata: dict[str, Any]) -> None:
        with session_scope() as session:
            message = session.get(InboundMessage, message_id)
            if message is None:  # the person's data was just erased
                return
            inbox.mark_failed(message)
            tell = not message.delay_notified
            message.delay_notified = True
        if tell:
            await bot.send_message(chat_id, say("delayed", metadata.get("language_code")))


def _take_next(chat_id: str) -> tuple[int, str, str, dict[str, Any]] | None:
    """The chat's oldest waiting message, leased to this bridge and marked as being sent;
    None when there is none, or when another bridge is answering this chat."""
    moment = utcnow()
    with session_scope() as session:
        message = inbox.head(session, chat_id)
        if message is None:
            return None
        held = rounds.take(session, inbox.INBOX, [message.id], moment)
        if message.id not in held or not rounds.begin(session, inbox.INBOX, message.id, held.token, moment):
            return None
        return message.id, inbox.name(message), message.text, inbox.metadata(message)


def _rejected(message_id: int, error: Exception) -> bool:
    """Count the failure; True when the message is given up and the chat may go on."""
    with session_scope() as session:
        message = session.get(InboundMessage, message_id)
        return message is None or inbox.mark_rejected(message, rounds.describe(error))


async def send(bot: Bot, chat_id: str, message: Outgoing) -> None:
    markup = inline_keyboard(message.keyboard) if message.keyboard else None
    if message.photo:
        await bot.send_photo(chat_id, message.photo, caption=message.text, reply_markup=markup)
    else:
        await bot.send_message(chat_id, message.text or "…", reply_markup=markup)
