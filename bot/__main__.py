"""`python -m bot`: the Telegram bridge. Long polling, or a webhook server (bot/webhook.py)
on WEBHOOK_LISTEN when TELEGRAM_WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import logging
import sys

from telegram import Update

from app.settings import get_settings
from bot.application import build_application
from bot.webhook import serve_webhook


def main() -> int:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Every run of a round would be logged, and a round still busy at its next turn is skipped
    # on purpose; a round's errors reach the Application's error handler (bot/jobs.py).
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    settings = get_settings()
    if not settings.telegram_token:
        print("TELEGRAM_TOKEN is not set: the Telegram bridge has nothing to connect to.", file=sys.stderr)
        return 2
    application = build_application(settings)
    if settings.telegram_webhook_url:
        asyncio.run(serve_webhook(application, settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
