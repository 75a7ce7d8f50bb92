"""Concurrent conversations over the REST channel, as a webinar's attendees would write."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from app.settings import SEND_AGAIN_STATUSES, channel_headers

# Realistic multi-turn scripts: a region question, the emergency form and checklist, procedures.
SCRIPTS: tuple[tuple[str, ...], ...] = (
    ("bonjour", "/give_consent", "c'est comment la vie à Rimouski?",
     '/find_organisation{"region": "Bas-Saint-Laurent"}', "merci"),
    ("j'ai trouvé un emploi à Sherbrooke, je commence dans 2 semaines",
     '/checklist_mark{"checklist_item": "lease", "checklist_status": "done"}', "qu'est-ce qu'il me reste à faire?"),
    ("est-ce que je peux casser mon bail pour partir en région?", "mon permis de conduire est-il valide au Québec?",
     "tell me about the Eastern Townships", "what jobs are there?"),
)  # fmt: skip


SEND_AGAIN_EVERY_SECONDS = 0.5


@dataclass
class LoadResult:
    concurrency: int
    latencies_s: list[float]
    seconds: float
    errors: int
    retries: int = 0


async def say(client: httpx.AsyncClient, url: str, sender: str, text: str, give_up_after: float = 120.0
              ) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """One message as the bridge sends it: named, and sent again as a retry while it was not
    handled (a replica restarting, the action server or a store down); the answer and the
    number of retries. The channel never handles a retried message twice."""
    message_id = uuid.uuid4().hex
    deadline = time.monotonic() + give_up_after
    retries = 0
    while True:
        body = {"sender": sender, "message": text, "message_id": message_id}
        try:
            response = await client.post(url, json=body)
            if response.status_code not in SEND_AGAIN_STATUSES:
                response.raise_for_status()
                return response.json(), retries
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{text!r} from {sender} not handled after {give_up_after}s")
        retries += 1
        await asyncio.sleep(SEND_AGAIN_EVERY_SECONDS)


async def _conversation(client: httpx.AsyncClient, url: str, sender: str, script: tuple[str, ...],
                        latencies: list[float], errors: list[int], retries: list[int]) -> None:  # fmt: skip
    for message in script:
        started = time.perf_counter()
        try:
            _, sent_again = await say(client, url, sender, message)
        except (httpx.HTTPError, TimeoutError):
            errors.append(1)
            continue
        retries.append(sent_again)
        latencies.append(time.perf_counter() - started)


async def run_load(rasa_url: str, concurrency: int, rounds: int, tag: str, token: str = "") -> LoadResult:
    """`concurrency` conversations at once, `rounds` times each, every one a fresh sender."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    latencies: list[float] = []
    errors: list[int] = []
    retries: list[int] = []
    senders = (f"bench-{tag}-{concurrency}-{n}" for n in itertools.count())
    scripts = itertools.cycle(SCRIPTS)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=120, limits=limits, headers=channel_headers(token)) as client:
        started = time.perf_counter()
        for _ in range(rounds):
            await asyncio.gather(
                *(
                    _conversation(client, url, next(senders), next(scripts), latencies, errors, retries)
                    for _ in range(concurrency)
                )
            )
        seconds = time.perf_counter() - started
    return LoadResult(concurrency, latencies, seconds, len(errors), sum(retries))
