"""The console's calls to the Rasa server (the chat pages, handing a conversation back),
through the one client in app/rasa_client.py. The console's own security headers stay here."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from app.rasa_client import RasaClient, RasaUnavailable
from app.settings import Settings

# matplotlib styles its SVG shapes inline; these pictures are served with this policy.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


# A page waits this long for a message that could not be handled yet (a replica or the
# action server restarting) before saying the assistant is unavailable.
SEND_AGAIN = 3
SEND_AGAIN_AFTER_SECONDS = 1.5
# How the console reaches Rasa: the network, unless a test puts its own transport here.
TRANSPORT: httpx.AsyncBaseTransport | None = None


def client(settings: Settings, timeout: float) -> RasaClient:
    return RasaClient(settings.rasa_url, settings.rasa_token, timeout=timeout, transport=TRANSPORT)


def converse(
    settings: Settings, sender: str, message: str, metadata: dict[str, Any] | None = None
) -> list[dict] | None:
    """The assistant's replies (text and buttons only), or None when it does not answer.
    Sent again, under the same name, while Rasa says it could not handle it yet."""

    async def exchange() -> list[dict[str, Any]] | None:
        async with client(settings, timeout=30) as rasa:
            for _ in range(SEND_AGAIN + 1):
                try:
                    return await rasa.send(sender, message, metadata or {}, message_id=name)
                except RasaUnavailable as unavailable:
                    if not unavailable.send_again:
                        return None
                except httpx.HTTPError:
                    return None
                await asyncio.sleep(SEND_AGAIN_AFTER_SECONDS)
        return None

    name = uuid.uuid4().hex
    replies = asyncio.run(exchange())
    if replies is None:
        return None
    return [{"text": r.get("text") or "", "buttons": r.get("buttons") or []} for r in replies]


def hand_back(settings: Settings, sender_id: str) -> bool:
    """The assistant answers this person again (Rasa's `resume` event)."""

    async def resume() -> None:
        async with client(settings, timeout=10) as rasa:
            await rasa.resume(sender_id)

    try:
        asyncio.run(resume())
    except (RasaUnavailable, httpx.HTTPError):
        return False
    return True
