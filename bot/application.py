"""The Telegram Application, built in one place."""

from __future__ import annotations

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
from bot import counsellors, handlers, jobs
from bot.delivery import Delivery
from bot.pace import rate_limiter


def build_application(settings: Settings, round_every: float = jobs.EVERY_SECONDS) -> Application:
    pace = rate_limiter(settings.redis_url, settings.telegram_messages_per_second)
    builder = ApplicationBuilder().token(settings.telegram_token).rate_limiter(pace)
    if settings.telegram_base_url:
        base = settings.telegram_base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    rasa = RasaClient(settings.rasa_url, settings.rasa_token)

    async def start_background(application: Application) -> None:
        application.bot_data["rasa"] = rasa
        application.bot_data["delivery"] = Delivery(rasa)
        quiet = QuietHours.parse(settings.quiet_hours)
        jobs.schedule_rounds(application.job_queue, settings.counsellor_chat_id, quiet, round_every)

    async def stop_background(application: Application) -> None:
        await rasa.close()

    application = builder.post_init(start_background).post_shutdown(stop_background).build()
    # Only this group's members act on handoff cards (bot/counsellors.py).
    application.bot_data["counsellor_chat_id"] = settings.counsellor_chat_id
    add_handlers(application, settings.counsellor_chat_id)
    application.add_error_handler(jobs.log_error)
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
