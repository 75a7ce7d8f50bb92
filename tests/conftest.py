"""Shared fixtures: a real database (a temporary SQLite file, migrated and seeded from
knowledge/), rasa_sdk trackers, and the running Rasa and action servers."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from app.settings import channel_headers
from bench.stack import RasaStack, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent


def _reset_caches() -> None:
    from app import db, places, procedures, settings

    settings.get_settings.cache_clear()
    db._sessionmaker.cache_clear()
    places.load_gazetteer.cache_clear()
    procedures.load_procedures.cache_clear()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated and seeded database for the whole run: a temporary SQLite file, or
    the database TEST_DATABASE_URL names (tests/test_postgres.py runs part of the suite
    on PostgreSQL that way)."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'assistant.db'}"
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    _reset_caches()
    from app.__main__ import main

    main(["setup"])
    yield url
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = previous
    _reset_caches()


@pytest.fixture()
def redis(tmp_path: Path):
    """A Redis server of the test's own, on loopback, keeping nothing on disk."""
    from production.services import LocalRedis

    server = LocalRedis(tmp_path / "redis", free_port()).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def session(database_url: str):
    from app.db import session_scope

    with session_scope() as s:
        yield s


def make_tracker(
    text: str = "",
    intent: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    sender_id: str = "test-sender",
    metadata: dict[str, Any] | None = None,
    confidence: float = 0.9,
    latest_action: str = "action_listen",
) -> Tracker:
    """A tracker whose latest message is `text`, as Rasa sends it to the action server."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": entities or [],
    }
    events = [{"event": "user", "text": text, "parse_data": latest, "metadata": metadata or {}}]
    if latest_action != "action_listen":  # an action ran after the message
        events.append({"event": "action", "name": latest_action})
    return Tracker.from_dict(
        {
            "sender_id": sender_id,
            "slots": {"language": "fr", "language_chosen": False, **(slots or {})},
            "latest_message": latest,
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": latest_action,
        }
    )


def entity(name: str, value: str, message: str | None = None) -> dict[str, Any]:
    """An entity as the pipeline gives it; at its real position when the message is given."""
    start = message.index(value) if message else 0
    return {"entity": name, "value": value, "start": start, "end": start + len(value)}


@pytest.fixture()
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def run_action(action: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    return asyncio.run(action.run(dispatcher, tracker, {}))


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def all_text(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


MODEL = ROOT / "models" / "assistant.tar.gz"
# What tests write (reports, logs) goes here, ignored by git; `make bench` owns results/.
TEST_RESULTS = ROOT / "var" / "test-results"
PYTHON = sys.executable


@dataclass
class Servers:
    rasa_url: str
    action_url: str
    token: str
    endpoints: Path

    def say(self, sender: str, message: str, **metadata: Any) -> list[dict[str, Any]]:
        """One message over the REST channel; the assistant's replies."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message, "metadata": metadata},
            headers=channel_headers(self.token),
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict[str, Any]:
        response = requests.get(
            f"{self.rasa_url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30
        )
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def servers(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The real action server and Rasa server (REST channel, HTTP API) on free ports."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it)")
    stack = RasaStack(MODEL, tmp_path_factory.mktemp("servers"), env={"DATABASE_URL": database_url}).start()
    try:
        yield Servers(stack.rasa_url, stack.action_url, stack.token, stack.endpoints)
    finally:
        stack.stop()


TELEGRAM_HARNESS = ROOT / "tests" / "telegram"


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if shutil.which("node") is None:
        pytest.fail("Node.js is needed for the Telegram emulator (telegram-test-api)")
    if not (TELEGRAM_HARNESS / "node_modules" / "telegram-test-api").exists():
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=TELEGRAM_HARNESS, check=True)
    port = free_port()
    log = tmp_path_factory.mktemp("emulator") / "emulator.log"
    process = subprocess.Popen(
        ["node", "emulator.js", str(port)], cwd=TELEGRAM_HARNESS, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/bot123456:probe/getMe", process, log, timeout=30)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
