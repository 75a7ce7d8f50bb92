"""The bridge as a webhook server (production mode, behind the front): Telegram's updates
on the path of TELEGRAM_WEBHOOK_URL, checked with Telegram's secret token, and /healthz for
the load balancer. An update is answered 200 only once it was handled (written to the
inbox at least), so Telegram sends it again if this process dies first. On SIGTERM the
server stops taking updates and finishes the ones in hand."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import signal
from urllib.parse import urlparse

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from app.health import database_ready
from app.settings import Settings

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1024 * 1024


def webhook_secret(telegram_token: str) -> str:
    """Derived from the bot's token: stable across restarts and bridges, unknown to anyone without it."""
    return hashlib.sha256(f"webhook:{telegram_token}".encode()).hexdigest()[:32]


def webhook_routes(application: Application, path: str, secret: str) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except ValueError:
            return web.Response(status=400, text="not an update")
        await application.process_update(update)
        return web.Response(text="ok")

    async def healthz(request: web.Request) -> web.Response:
        ready = application.running and await asyncio.to_thread(database_ready)
        return web.json_response({"status": "ok" if ready else "not ready"}, status=200 if ready else 503)

    server = web.Application(client_max_size=MAX_UPDATE_BYTES)
    server.router.add_post(path, receive)
    server.router.add_get("/healthz", healthz)
    return server


async def serve_webhook(application: Application, settings: Settings) -> None:
    url = settings.telegram_webhook_url
    host, _, port = settings.webhook_listen.rpartition(":")
    secret = webhook_secret(settings.telegram_token)
    runner = web.AppRunner(webhook_routes(application, urlparse(url).path or "/", secret))
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    async with application:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        await runner.setup()
        await web.TCPSite(runner, host or "127.0.0.1", int(port)).start()
        await application.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        logger.info("webhook server on %s for %s", settings.webhook_listen, url)
        await stopping.wait()
        logger.info("stopping: finishing the updates in hand")
        await runner.cleanup()  # no new update; those being handled are awaited
        await application.stop()
    if application.post_shutdown:
        await application.post_shutdown(application)
