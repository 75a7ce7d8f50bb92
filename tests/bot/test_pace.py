"""Telegram's pace kept by all the bridges of a bot together (bot/pace.py): two bridges with
a limiter each sent 64 messages in one second in the two-bridges test; the window shared
through Redis never grants more than its rate in any second, whoever asks."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.pace import KEY, LocalWindow, PacedRateLimiter, SharedWindow


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_local_window_grants_its_rate_then_says_how_long_to_wait():
    clock = Clock()
    window = LocalWindow(3, clock)
    assert [window.take() for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.now += 0.4
    assert window.take() == pytest.approx(0.6)  # the first grant leaves the window in 0.6 s
    clock.now += 0.6
    assert window.take() == 0.0


def most_in_any_window(moments: list[float], seconds: float) -> int:
    moments = sorted(moments)
    return max(sum(1 for m in moments[i:] if m < start + seconds) for i, start in enumerate(moments))


def test_two_bridges_sharing_the_window_stay_within_its_rate_together(redis):
    granted: list[float] = []

    async def bridge(limiter: PacedRateLimiter, sends: int) -> None:
        async def send_message() -> bool:
            granted.append(time.monotonic())
            return True

        await asyncio.gather(
            *(limiter.process_request(send_message, (), {}, "sendMessage", {"chat_id": n}, None) for n in range(sends))
        )

    async def both() -> None:
        limiters = [PacedRateLimiter(SharedWindow(redis.url, 10)) for _ in range(2)]
        try:
            await asyncio.gather(*(bridge(limiter, 25) for limiter in limiters))
        finally:
            for limiter in limiters:
                await limiter.shutdown()

    asyncio.run(both())
    assert len(granted) == 50
    # Counted by Redis's clock, stamped here just after: 50 ms allowed for the event loop.
    assert most_in_any_window(granted, 0.95) <= 10


def test_requests_to_no_chat_are_not_counted(redis):
    import redis as redis_client

    calls: list[str] = []

    async def get_updates() -> list:
        calls.append("getUpdates")
        return []

    async def run() -> None:
        limiter = PacedRateLimiter(SharedWindow(redis.url, 1))
        try:
            for _ in range(5):
                await limiter.process_request(get_updates, (), {}, "getUpdates", {}, None)
        finally:
            await limiter.shutdown()

    asyncio.run(run())
    assert calls == ["getUpdates"] * 5
    assert redis_client.Redis.from_url(redis.url).zcard(KEY) == 0


def test_the_bridge_keeps_its_own_pace_while_redis_is_unreachable(redis):
    async def run() -> list[float]:
        window = SharedWindow(redis.url, 2)
        redis.stop()
        try:
            return [await window.wait_seconds() for _ in range(3)]
        finally:
            await window.close()

    waits = asyncio.run(run())
    assert waits[:2] == [0.0, 0.0] and waits[2] > 0  # this process's window stood in


def test_the_shared_count_lives_in_redis_under_one_key(redis):
    import redis as redis_client

    async def run() -> None:
        window = SharedWindow(redis.url, 5)
        try:
            for _ in range(3):
                assert await window.wait_seconds() == 0
        finally:
            await window.close()

    asyncio.run(run())
    assert redis_client.Redis.from_url(redis.url).zcard(KEY) == 3
