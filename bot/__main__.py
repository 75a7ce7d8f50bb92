"""`python -m bot`: the Telegram bridge. Long polling, or a webhook checked with
Telegram's secret token when TELEGRAM_WEBHOOK_URL is set."""

from __future__ import annotations

import hashlib
import logging
import sys
from urllib.parse import urlparse

from telegram import Update

from app.settings import get_settings
from bot.application import build_application


def main() -> int:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = get_settings()
    if not settings.telegram_token:
        print("TELEGRAM_TOKEN is not set: the Telegram bridge has nothing to connect to.", file=sys.stderr)
        return 2
    application = build_application(settings)
    if settings.telegram_webhook_url:
        url = urlparse(settings.telegram_webhook_url)
        # Derived from the token: stable across restarts, unknown to anyone without it.
        secret = hashlib.sha256(f"webhook:{settings.telegram_token}".encode()).hexdigest()[:32]
        application.run_webhook(
            listen="0.0.0.0",
            port=url.port or 8443,
            url_path=url.path.lstrip("/"),
            webhook_url=settings.telegram_webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
