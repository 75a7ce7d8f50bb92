"""The bridge's background rounds, as jobs of PTB's JobQueue.

Each round is its own repeating job, so one that fails or runs long never holds back the
others; a round still running when its next turn comes is skipped (one instance at a time),
and its errors go to the Application's error handler. Each item is taken before it is sent
(app/rounds.py), so two bridges can run the same rounds side by side.
"""

from __future__ import annotations

import logging

from telegram.ext import ContextTypes, JobQueue

from app.webinars import QuietHours
from bot import counsellors, mentors, webinars
from bot.delivery import Delivery

logger = logging.getLogger(__name__)

# How often each round runs.
EVERY_SECONDS = 2.0


async def retry_inbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Messages that wait for Rasa, sent again when due."""
    delivery: Delivery = context.bot_data["delivery"]
    await delivery.retry_due(context.bot)


async def console_replies(context: ContextTypes.DEFAULT_TYPE) -> None:
    await counsellors.deliver_console_replies(context.bot)


async def mentor_requests(context: ContextTypes.DEFAULT_TYPE) -> None:
    await mentors.mentor_round(context.bot)


async def webinar_followups(context: ContextTypes.DEFAULT_TYPE) -> None:
    quiet: QuietHours = context.job.data
    await webinars.send_followups(context.bot, context.bot_data["rasa"], context.bot_data["delivery"], quiet)


async def handoff_cards(context: ContextTypes.DEFAULT_TYPE) -> None:
    await counsellors.announce_new(context.bot, context.job.data)


async def group_deletions(context: ContextTypes.DEFAULT_TYPE) -> None:
    await counsellors.delete_erased_messages(context.bot, context.job.data)


def schedule_rounds(job_queue: JobQueue, counsellor_chat_id: str, quiet: QuietHours, every: float) -> list[str]:
    """Every round, every `every` seconds from `every` seconds on; the names of the jobs."""
    rounds = [(retry_inbox, None), (console_replies, None), (mentor_requests, None), (webinar_followups, quiet)]
    if counsellor_chat_id:
        rounds += [(handoff_cards, counsellor_chat_id), (group_deletions, counsellor_chat_id)]
    for callback, data in rounds:
        job_queue.run_repeating(
            callback, interval=every, first=every, data=data, name=callback.__name__,
            job_kwargs={"max_instances": 1, "coalesce": True},
        )  # fmt: skip
    return [callback.__name__ for callback, _ in rounds]


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The Application's error handler: a failed round or update is logged with its cause;
    the round runs again at its next turn, the next update is handled as usual."""
    where = f"background round {context.job.name}" if context.job else f"update {getattr(update, 'update_id', '?')}"
    logger.error("%s failed", where, exc_info=context.error)
