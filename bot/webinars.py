"""Webinar follow-ups, sent by the bridge's background rounds: each due step is a Rasa
external event (trigger_intent) whose messages go to the attendee through the rate
limiter; the step is taken before it is sent (two bridges never send it both), marked sent
once Telegram took it, retried with back-off after any error and given up after a limit
(app/rounds.py), and never sent during the quiet hours."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session
from telegram import Bot

from app import rounds, webinars
from app.db import session_scope
from app.models import utcnow
from app.rasa_client import RasaClient
from app.webinars import QuietHours
from bot.delivery import Delivery


async def send_followups(
    bot: Bot, rasa: RasaClient, delivery: Delivery, quiet: QuietHours, now: datetime | None = None
) -> int:
    now = now or utcnow()
    if quiet.next_allowed(now) != now:  # the night: everything waits for the morning
        return 0
    with session_scope() as session:
        due = webinars.due_followups(session, now)

    async def send(followup: webinars.DueFollowup) -> None:
        messages = await rasa.trigger(followup.sender_id, followup.intent, {"webinar_code": followup.webinar_code})
        await delivery.send_replies(bot, followup.sender_id, messages)

    def failed(session: Session, followup: webinars.DueFollowup, error: Exception) -> None:
        webinars.mark_failed(session, followup.delivery_id, utcnow(), quiet, rounds.describe(error))

    # Taken before sending, so that two bridges never send the same step (app/rounds.py).
    return await rounds.work_through(
        webinars.FOLLOWUPS,
        due,
        lambda followup: followup.delivery_id,
        send,
        lambda session, followup, _: webinars.mark_sent(session, followup.delivery_id, utcnow()),
        failed,
    )


def record_reply(chat_id: str, message: str) -> None:
    """What an attendee writes or chooses after a follow-up counts in the webinar's funnel;
    a consent button or a command does not."""
    if not webinars.answers_a_followup(message):
        return
    with session_scope() as session:
        webinars.record_answer(session, chat_id, utcnow())
