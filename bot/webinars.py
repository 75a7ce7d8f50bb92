"""Webinar follow-ups, sent by the bridge's background rounds: each due step is a Rasa
external event (trigger_intent) whose messages go to the attendee through the rate
limiter; the step is marked sent only once Telegram took it, retried with back-off
otherwise, and never sent during the quiet hours."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Bot
from telegram.error import TelegramError

from app import webinars
from app.db import session_scope
from app.models import utcnow
from app.webinars import QuietHours
from bot.delivery import Delivery
from bot.rasa import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)


async def send_followups(
    bot: Bot, rasa: RasaClient, delivery: Delivery, quiet: QuietHours, now: datetime | None = None
) -> int:
    now = now or utcnow()
    if quiet.next_allowed(now) != now:  # the night: everything waits for the morning
        return 0
    with session_scope() as session:
        due = webinars.due_followups(session, now)
    sent = 0
    for followup in due:
        try:
            messages = await rasa.trigger(followup.sender_id, followup.intent, {"webinar_code": followup.webinar_code})
            await delivery.send_replies(bot, followup.sender_id, messages)
        except (RasaUnavailable, TelegramError) as error:
            logger.warning("follow-up %s to %s not sent yet: %s", followup.step, followup.sender_id, error)
            with session_scope() as session:
                webinars.mark_failed(session, followup.delivery_id, now, quiet)
            continue
        with session_scope() as session:
            webinars.mark_sent(session, followup.delivery_id, utcnow())
        sent += 1
    return sent


def record_reply(chat_id: str) -> None:
    """A message from an attendee after a follow-up counts in the webinar's funnel."""
    with session_scope() as session:
        webinars.record_answer(session, chat_id, utcnow())
