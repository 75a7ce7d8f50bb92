"""The Telegram Application, built in one place."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from app.rasa_client import RasaClient
from app.settings import Settings
from app.webinars import QuietHours
from bot import counsellors, handlers, mentors, webinars
from bot.delivery import Delivery
from bot.pace import rate_limiter

logger = logging.getLogger(__name__)

# How often the inbox is checked for messages waiting for Rasa.
RETRY_EVERY_SECONDS = 2.0


def build_application(settings: Settings, retry_every: float = RETRY_EVERY_SECONDS) -> Application:
    pace = rate_limiter(settings.redis_url, settings.telegram_messages_per_second)
    builder = ApplicationBuilder().token(settings.telegram_token).rate_limiter(pace)
    if settings.telegram_base_url:
        base = settings.telegram_base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    rasa = RasaClient(settings.rasa_url, settings.rasa_token)

    async def start_background(application: Application) -> None:
        application.bot_data["rasa"] = rasa
        application.bot_data["delivery"] = Delivery(rasa)
        application.bot_data["background"] = asyncio.create_task(
            background_rounds(
                application, settings.counsellor_chat_id, retry_every, QuietHours.parse(settings.quiet_hours)
            )
        )

    async def stop_background(application: Application) -> None:
        task = application.bot_data.pop("background", None)
        if task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await rasa.close()

    application = builder.post_init(start_background).post_shutdown(stop_background).build()
    # Only this group's members act on handoff cards (bot/counsellors.py).
    application.bot_data["counsellor_chat_id"] = settings.counsellor_chat_id
    add_handlers(application, settings.counsellor_chat_id)
    return application


def add_handlers(application: Application, counsellor_chat_id: str) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("start", handlers.on_start, filters=private))
    application.add_handler(CommandHandler(list(handlers.COMMAND_INTENTS), handlers.on_command, filters=private))
    application.add_handler(CommandHandler("mesdonnees", handlers.on_my_data, filters=private))
    application.add_handler(CommandHandler("reprendre", counsellors.on_person_resume, filters=private))
    application.add_handler(CallbackQueryHandler(counsellors.on_card_button, pattern=r"^(claim|resume):\d+$"))
    application.add_handler(CallbackQueryHandler(handlers.on_button))
    if counsellor_chat_id:
        group = filters.Chat(chat_id=int(counsellor_chat_id))
        application.add_handler(MessageHandler(group & filters.REPLY & filters.TEXT, counsellors.on_group_reply))
    application.add_handler(MessageHandler(private & filters.UpdateType.EDITED, handlers.on_edited))
    application.add_handler(MessageHandler(private & filters.LOCATION, handlers.on_location))
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, handlers.on_text))
    application.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.COMMAND, handlers.on_not_text))


async def background_rounds(application: Application, counsellor_chat_id: str, every: float, quiet: QuietHours) -> None:
    """Retry the inbox, send what counsellors typed in the console, move mentor requests
    along (bot/mentors.py), send the webinar follow-ups that are due (bot/webinars.py), and
    announce new handoffs to the counsellors' group. Each item is taken before it is sent,
    so two bridges can run these rounds side by side (app/rounds.py); each round on its own,
    so one that fails never keeps the others from running."""
    delivery: Delivery = application.bot_data["delivery"]
    bot = application.bot
    rounds = [
        lambda: delivery.retry_due(bot),
        lambda: counsellors.deliver_console_replies(bot),
        lambda: mentors.mentor_round(bot),
        lambda: webinars.send_followups(bot, application.bot_data["rasa"], delivery, quiet),
    ]
    if counsellor_chat_id:
        rounds += [
            lambda: counsellors.announce_new(bot, counsellor_chat_id),
            lambda: counsellors.delete_erased_messages(bot, counsellor_chat_id),
        ]
    while True:
        await asyncio.sleep(every)
        for one_round in rounds:
            try:
                await one_round()
            except Exception:  # a failed round must not stop the next ones
                logger.exception("background round failed")
