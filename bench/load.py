"""Concurrent conversations over the REST channel, as a webinar's attendees would write."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass

import httpx

from app.settings import channel_headers

# Realistic multi-turn scripts: a region question, the emergency form and checklist, procedures.
SCRIPTS: tuple[tuple[str, ...], ...] = (
    ("bonjour", "/give_consent", "c'est comment la vie à Rimouski?",
     '/find_organisation{"region": "Bas-Saint-Laurent"}', "merci"),
    ("j'ai trouvé un emploi à Sherbrooke, je commence dans 2 semaines",
     '/checklist_mark{"checklist_item": "lease", "checklist_status": "done"}', "qu'est-ce qu'il me reste à faire?"),
    ("est-ce que je peux casser mon bail pour partir en région?", "mon permis de conduire est-il valide au Québec?",
     "tell me about the Eastern Townships", "what jobs are there?"),
)  # fmt: skip


@dataclass
class LoadResult:
    concurrency: int
    latencies_s: list[float]
    seconds: float
    errors: int


async def _conversation(client: httpx.AsyncClient, url: str, sender: str, script: tuple[str, ...],
                        latencies: list[float], errors: list[int]) -> None:  # fmt: skip
    for message in script:
        started = time.perf_counter()
        try:
            response = await client.post(url, json={"sender": sender, "message": message})
            response.raise_for_status()
        except httpx.HTTPError:
            errors.append(1)
            continue
        latencies.append(time.perf_counter() - started)


async def run_load(rasa_url: str, concurrency: int, rounds: int, tag: str, token: str = "") -> LoadResult:
    """`concurrency` conversations at once, `rounds` times each, every one a fresh sender."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    latencies: list[float] = []
    errors: list[int] = []
    senders = (f"bench-{tag}-{concurrency}-{n}" for n in itertools.count())
    scripts = itertools.cycle(SCRIPTS)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=120, limits=limits, headers=channel_headers(token)) as client:
        started = time.perf_counter()
        for _ in range(rounds):
            await asyncio.gather(
                *(
                    _conversation(client, url, next(senders), next(scripts), latencies, errors)
                    for _ in range(concurrency)
                )
            )
        seconds = time.perf_counter() - started
    return LoadResult(concurrency, latencies, seconds, len(errors))
