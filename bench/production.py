"""Production mode in `make bench`: the same conversations through the front with one and
with two Rasa replicas (PostgreSQL, Redis, HAProxy, two action servers), and a soak at a
steady load: errors, p95 minute by minute, and each process's memory at the start and end."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.load import LoadResult, run_load
from bench.stack import PYTHON, ROOT, memory_mb
from bench.stats import percentile, summary_ms
from production.services import LocalPostgres, LocalRedis, free_port
from production.stack import Addresses, ProductionStack, production_env

TOKEN = "bench-token"
ONE_REPLICA = ("actions1", "actions2", "rasa1", "front")
TWO_REPLICAS = ("actions1", "actions2", "rasa1", "rasa2", "front")


@contextmanager
def stores() -> Iterator[tuple[str, str]]:
    """PostgreSQL and Redis on loopback, migrated and loaded: their URLs."""
    folder = Path(tempfile.mkdtemp(prefix="bench-prod-"))
    folder.chmod(0o755)  # the postgres user must reach its data folder
    postgres = LocalPostgres(folder / "postgres", free_port()).start()
    redis = LocalRedis(folder / "redis", free_port()).start()
    try:
        env = {**os.environ, "DATABASE_URL": postgres.url, "PYTHONPATH": str(ROOT)}
        subprocess.run([PYTHON, "-m", "app", "setup"], cwd=ROOT, env=env, check=True, capture_output=True)
        yield postgres.url, redis.url
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def production(database_url: str, redis_url: str, names: tuple[str, ...], logs: Path) -> Iterator[ProductionStack]:
    addresses = Addresses.free()
    stack = ProductionStack(addresses, production_env(addresses, database_url, redis_url, TOKEN), logs, names)
    try:
        yield stack.start()
    finally:
        stack.stop()


def memory(stack: ProductionStack) -> dict[str, float | None]:
    resident = {name: memory_mb(process.pid, "VmRSS") for name, process in stack.processes.items()}
    return {name: round(mb, 1) if mb is not None else None for name, mb in resident.items()}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_ms_per_message(stack: ProductionStack, load: Any) -> tuple[Any, dict[str, float]]:
    """Runs `load` (a coroutine giving a LoadResult); the result and each process's CPU
    milliseconds per message answered: what a process would need of a core of its own."""
    before = {name: cpu_seconds(p.pid) for name, p in stack.processes.items()}
    result = asyncio.run(load)
    answered = max(len(result.latencies_s), 1)
    return result, {
        name: round(1000 * (cpu_seconds(p.pid) - before[name]) / answered, 1) for name, p in stack.processes.items()
    }


def measured(result: LoadResult) -> dict[str, Any]:
    return {**summary_ms(result.latencies_s), "messages_per_second": round(len(result.latencies_s) / result.seconds, 1),
            "errors": result.errors, "sent_again": result.retries}  # fmt: skip


def speed(levels: list[int], rounds: int, logs: Path) -> dict[str, Any]:
    """Each level on one replica, then on two, against the same database and Redis."""
    found: dict[str, Any] = {}
    with stores() as (database_url, redis_url):
        for label, names in (("one_replica", ONE_REPLICA), ("two_replicas", TWO_REPLICAS)):
            with production(database_url, redis_url, names, logs / label) as stack:
                front = f"http://{stack.addresses.rasa_front}"
                found[label] = {"levels": {}}
                for level in levels:
                    load = run_load(front, level, rounds, f"{label}-{level}", TOKEN)
                    result, cpu = cpu_ms_per_message(stack, load)
                    found[label]["levels"][str(level)] = {**measured(result), "cpu_ms_per_message": cpu}
                found[label]["memory_mb"] = memory(stack)
    return found


def soak(minutes: float, concurrency: int, logs: Path) -> dict[str, Any]:
    """`concurrency` conversations at once for `minutes`, on two replicas."""
    per_minute: list[dict[str, Any]] = []
    with stores() as (database_url, redis_url), production(database_url, redis_url, TWO_REPLICAS, logs) as stack:
        front = f"http://{stack.addresses.rasa_front}"
        asyncio.run(run_load(front, concurrency, 1, "soak-warm-up", TOKEN))
        at_start = memory(stack)
        started = time.monotonic()
        minute, latencies, errors, messages = 0, [], 0, 0
        while time.monotonic() - started < minutes * 60:
            result = asyncio.run(run_load(front, concurrency, 1, f"soak-{minute}-{messages}", TOKEN))
            latencies += result.latencies_s
            errors += result.errors
            messages += len(result.latencies_s)
            if time.monotonic() - started >= (minute + 1) * 60:
                per_minute.append({"minute": minute + 1, "p95_ms": round(percentile(latencies, 95) * 1000, 1),
                                   "messages": len(latencies)})  # fmt: skip
                minute, latencies = minute + 1, []
        at_end = memory(stack)
    growth = {
        name: round(100 * (at_end[name] - at_start[name]) / at_start[name], 1)
        for name in at_start
        if at_start[name] and at_end.get(name)
    }
    return {"minutes": minutes, "concurrency": concurrency, "messages": messages, "errors": errors,
            "p95_by_minute": per_minute, "memory_start_mb": at_start, "memory_end_mb": at_end,
            "memory_growth_percent": growth}  # fmt: skip
