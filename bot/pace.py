"""Telegram's pace, kept by every bridge of one bot together.

Telegram counts a bot's messages whichever process sends them (about 30 a second in all).
PTB's AIORateLimiter counts them in one process, as a leaky bucket that lets a full second's
worth go at once: two bridges with one each sent 64 messages in one second when 200 webinar
follow-ups were due together. With REDIS_URL set (production mode), the bridges draw from
one sliding window kept in Redis: at most `per_second` messages to chats in any second,
whichever bridge sends them. Without Redis (one bridge), or while Redis cannot be reached,
a window in this process does the same for this bridge.

Only requests to a chat are paced, as AIORateLimiter does; its per-group limit and its
handling of Telegram's RetryAfter are kept, by sending every request through it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter, BaseRateLimiter

logger = logging.getLogger(__name__)

KEY = "telegram:sent"
WINDOW_SECONDS = 1.0
WINDOW_MICROSECONDS = int(WINDOW_SECONDS * 1_000_000)

# Redis's own clock, so that bridges on several hosts agree. Returns 0 when the message may
# go now (and counts it), else the microseconds until the oldest message leaves the window.
_TAKE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) * 1000000 + tonumber(now[2])
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], t, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
return math.max(1, oldest + window - t)
"""


class LocalWindow:
    """At most `per_second` grants in any second, in this process."""

    def __init__(self, per_second: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second, self._clock = per_second, clock
        self._granted: deque[float] = deque()

    async def wait_seconds(self) -> float:
        return self.take()

    def take(self) -> float:
        """0 and the grant counted, or how long to wait before asking again."""
        now = self._clock()
        while self._granted and self._granted[0] <= now - WINDOW_SECONDS:
            self._granted.popleft()
        if len(self._granted) < self.per_second:
            self._granted.append(now)
            return 0.0
        return self._granted[0] + WINDOW_SECONDS - now


class SharedWindow:
    """The same window, shared through Redis by every bridge of the bot; this process's own
    window stands in while Redis cannot be reached."""

    def __init__(self, redis_url: str, per_second: int) -> None:
        import redis.asyncio  # only production mode needs it

        self.per_second = per_second
        self._redis = redis.asyncio.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        self._take = self._redis.register_script(_TAKE)
        self._local = LocalWindow(per_second)
        self._redis_down = False

    async def wait_seconds(self) -> float:
        from redis.exceptions import RedisError

        try:
            wait_us = await self._take(keys=[KEY], args=[WINDOW_MICROSECONDS, self.per_second, uuid.uuid4().hex])
        except RedisError as error:
            if not self._redis_down:
                logger.warning("Telegram's pace kept by this bridge alone while Redis is unreachable: %s", error)
            self._redis_down = True
            return self._local.take()
        if self._redis_down:
            logger.info("Telegram's pace shared through Redis again")
            self._redis_down = False
        return int(wait_us) / 1_000_000

    async def close(self) -> None:
        await self._redis.close()


class PacedRateLimiter(BaseRateLimiter[int]):
    """Every request to a chat waits for its turn in the window, then goes through PTB's
    AIORateLimiter for the per-group limit and RetryAfter (its overall limit is the window's)."""

    def __init__(self, window: LocalWindow | SharedWindow) -> None:
        self.window = window
        self._inner = AIORateLimiter(overall_max_rate=0)

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()
        if isinstance(self.window, SharedWindow):
            await self.window.close()

    async def wait_turn(self) -> None:
        while True:
            wait = await self.window.wait_seconds()
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        paced = callback
        if data.get("chat_id") is not None:

            async def paced(*call_args: Any, **call_kwargs: Any) -> Any:
                await self.wait_turn()
                return await callback(*call_args, **call_kwargs)

        return await self._inner.process_request(paced, args, kwargs, endpoint, data, rate_limit_args)


def rate_limiter(redis_url: str, per_second: int) -> PacedRateLimiter:
    window = SharedWindow(redis_url, per_second) if redis_url else LocalWindow(per_second)
    return PacedRateLimiter(window)
