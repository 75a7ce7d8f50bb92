"""Production mode for the tests: PostgreSQL and Redis on loopback, migrated and loaded,
then the processes of Procfile.prod that a test needs (two Rasa replicas and two action
servers behind HAProxy), started through production/stack.py as `make run-prod` does."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from app.settings import channel_headers
from bench.load import say
from production.services import LocalPostgres, LocalRedis, as_root, free_port, postgres_bin
from production.stack import Addresses, ProductionStack, production_env
from tests.conftest import MODEL, ROOT

TOKEN = "production-test-token"
RASA_AND_ACTIONS = ("actions1", "actions2", "rasa1", "rasa2", "front")


def missing_parts() -> list[str]:
    missing = [] if postgres_bin() else ["postgresql"]
    missing += [name for name in ("redis-server", "haproxy") if not shutil.which(name, path="/usr/sbin:/usr/bin")]
    if as_root() and not shutil.which("runuser"):
        missing.append("runuser")
    return missing


@dataclass
class Stores:
    postgres: LocalPostgres
    redis: LocalRedis


@pytest.fixture(scope="session")
def stores() -> Iterator[Stores]:
    if missing := missing_parts():
        pytest.fail(f"production mode needs {', '.join(missing)}: scripts/prod-deps.sh installs them")
    # Not under pytest's tmp dir: the postgres user cannot enter root's private folders.
    folder = Path(tempfile.mkdtemp(prefix="assistant-prod-"))
    folder.chmod(0o755)
    postgres = LocalPostgres(folder / "postgres", free_port()).start()
    redis = LocalRedis(folder / "redis", free_port()).start()
    env = {**os.environ, "DATABASE_URL": postgres.url, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "app", "setup"], cwd=ROOT, env=env, check=True, capture_output=True)
    try:
        yield Stores(postgres, redis)
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Production:
    stack: ProductionStack
    addresses: Addresses
    stores: Stores

    @property
    def front(self) -> str:
        return f"http://{self.addresses.rasa_front}"

    def conversations(
        self, scripts: dict[str, list[str]], meanwhile: tuple[int, Callable[[], None]] | None = None
    ) -> dict[str, Any]:
        """Every conversation at once through the front, each message after the previous one's
        answer, sent again as the bridge would until handled; `meanwhile` = (n, do): `do` runs
        once n messages were answered. The answers, and how many messages were sent again."""
        return asyncio.run(self._conversations(scripts, meanwhile))

    async def _conversations(
        self, scripts: dict[str, list[str]], meanwhile: tuple[int, Callable[[], None]] | None
    ) -> dict[str, Any]:
        url = f"{self.front}/webhooks/rest/webhook"
        answers: dict[str, list[list[dict[str, Any]]]] = {sender: [] for sender in scripts}
        retries: list[int] = []
        background: list[asyncio.Task] = []

        async def converse(client: httpx.AsyncClient, sender: str, script: list[str]) -> None:
            for text in script:
                replies, sent_again = await say(client, url, sender, text)
                answers[sender].append(replies)
                retries.append(sent_again)
                if meanwhile and len(retries) == meanwhile[0]:
                    background.append(asyncio.create_task(asyncio.to_thread(meanwhile[1])))

        limits = httpx.Limits(max_connections=len(scripts) + 5)
        async with httpx.AsyncClient(timeout=120, limits=limits, headers=channel_headers(TOKEN)) as client:
            await asyncio.gather(*(converse(client, sender, script) for sender, script in scripts.items()))
        await asyncio.gather(*background)
        return {"answers": answers, "retries": sum(retries)}

    def tracker(self, sender: str) -> dict[str, Any]:
        response = requests.get(f"{self.front}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=60)
        response.raise_for_status()
        return response.json()

    def user_turns(self, sender: str) -> list[tuple[str, int]]:
        """Each message of the person in the tracker, with the number of bot messages after it."""
        turns: list[tuple[str, int]] = []
        for event in self.tracker(sender)["events"]:
            if event["event"] == "user":
                turns.append((event["text"], 0))
            elif event["event"] == "bot" and turns:
                turns[-1] = (turns[-1][0], turns[-1][1] + 1)
        return turns


@pytest.fixture(scope="session")
def production(stores: Stores, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Production]:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it)")
    addresses = Addresses.free()
    env = production_env(addresses, stores.postgres.url, stores.redis.url, TOKEN)
    stack = ProductionStack(addresses, env, tmp_path_factory.mktemp("production-logs"), RASA_AND_ACTIONS).start()
    try:
        yield Production(stack, addresses, stores)
    finally:
        stack.stop()


@pytest.fixture()
def whole_again(production: Production) -> Iterator[Production]:
    """Production mode, started again where a test killed a process."""
    yield production
    for name, process in production.stack.processes.items():
        if process.poll() is not None:
            production.stack.restart(name)
