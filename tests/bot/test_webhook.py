"""The bridge's webhook server (production mode, behind the front): only Telegram, which
knows the secret, gets an update in; an update is answered once handled; /healthz tells the
load balancer whether this bridge can work."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from aiohttp.test_utils import TestClient, TestServer

from bot.webhook import SECRET_HEADER, webhook_routes, webhook_secret

PATH = "/telegram/updates"
PERSON = {"id": 42, "is_bot": False, "first_name": "A"}
UPDATE = {"update_id": 7, "message": {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"},
                                      "from": PERSON, "text": "bonjour"}}  # fmt: skip


def serve(requests_to_make, running: bool = True):
    handled = []

    async def process_update(update):
        handled.append(update.update_id)

    application = SimpleNamespace(bot=None, running=running, process_update=process_update)

    async def scenario():
        async with TestClient(TestServer(webhook_routes(application, PATH, webhook_secret("123:abc")))) as client:
            return [await requests_to_make(client)]

    return asyncio.run(scenario())[0], handled


def test_an_update_without_the_secret_is_refused_and_not_handled():
    async def post(client):
        missing = await client.post(PATH, json=UPDATE)
        wrong = await client.post(PATH, json=UPDATE, headers={SECRET_HEADER: "guess"})
        return missing.status, wrong.status

    statuses, handled = serve(post)
    assert statuses == (403, 403) and handled == []


def test_telegrams_update_is_handled_before_it_is_acknowledged():
    async def post(client):
        response = await client.post(PATH, json=UPDATE, headers={SECRET_HEADER: webhook_secret("123:abc")})
        not_json = await client.post(PATH, data="{", headers={SECRET_HEADER: webhook_secret("123:abc")})
        return response.status, not_json.status

    statuses, handled = serve(post)
    assert statuses == (200, 400) and handled == [7]


def test_health_says_ready_only_when_the_bridge_runs_and_reaches_its_database(database_url):
    async def health(client):
        response = await client.get("/healthz")
        return response.status

    assert serve(health)[0] == 200
    assert serve(health, running=False)[0] == 503
