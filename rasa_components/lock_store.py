"""One conversation's messages handled one at a time across Rasa replicas, on Redis.

Rasa's own RedisLockStore issues a ticket by reading the conversation's lock, adding the
ticket and writing the lock back. Two replicas taking the same conversation's lock at the
same moment both read "free" and both go on: tests/production/test_replicas.py lost a
message from the tracker that way, one time in a few. Here the lock is a single Redis key,
set only if absent (atomic), holding a random token; it expires, so a replica killed while
holding it frees the conversation after `lifetime` seconds, and it is renewed while the
turn runs, so a slow turn keeps it. Waiters poll; they are not served in arrival order,
which the senders do not need: the bridge sends a person's next message only once the
previous one was answered.

production/endpoints.yml: `lock_store: {type: rasa_components.lock_store.ConversationLockStore,
url: ${REDIS_URL}}`; TICKET_LOCK_LIFETIME (seconds) is the lifetime, as for Rasa's lock stores.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

PREFIX = "lock:conversation:"
DEFAULT_LIFETIME_SECONDS = 15
POLL_SECONDS = 0.02
# How long a message waits for its conversation before the channel says "send it again".
MAX_WAIT_SECONDS = 60

# Only the holder (its token) renews or frees the lock.
_RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0"
_FREE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


class ConversationLockStore(LockStore):
    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        url: str | None = None,
        lifetime: float | None = None,
        max_wait: float = MAX_WAIT_SECONDS,
    ) -> None:
        self.url = url or (endpoint_config.url if endpoint_config else None) or "redis://127.0.0.1:6379/0"
        self.lifetime = lifetime or float(os.environ.get("TICKET_LOCK_LIFETIME") or DEFAULT_LIFETIME_SECONDS)
        self.max_wait = max_wait
        self._redis: Any = None

    def _client(self) -> Any:
        # Made on first use, inside the server's event loop.
        if self._redis is None:
            import redis.asyncio

            self._redis = redis.asyncio.Redis.from_url(self.url)
            self._renew, self._free = self._redis.register_script(_RENEW), self._redis.register_script(_FREE)
        return self._redis

    @contextlib.asynccontextmanager
    async def lock(self, conversation_id: str, *args: Any, **kwargs: Any) -> AsyncIterator[None]:
        client, key, token = self._client(), PREFIX + conversation_id, uuid.uuid4().hex
        deadline = time.monotonic() + self.max_wait
        while not await client.set(key, token, nx=True, px=int(self.lifetime * 1000)):
            if time.monotonic() > deadline:
                raise LockError(f"conversation {conversation_id} still busy after {self.max_wait}s")
            await asyncio.sleep(POLL_SECONDS)
        keeper = asyncio.create_task(self._keep(key, token))
        try:
            yield
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            await self._release(key, token)

    async def _release(self, key: str, token: str) -> None:
        """Frees the lock. A Redis gone meanwhile (restarted, so the lock is gone too, or
        unreachable, so it expires by itself) must not fail the turn: it is handled and saved,
        and a failure here would have it answered 503 and handled again."""
        from redis.exceptions import RedisError

        try:
            await self._free(keys=[key], args=[token])
        except RedisError as error:
            logger.warning("could not free the lock of %s (it expires by itself): %s", key, error)

    async def _keep(self, key: str, token: str) -> None:
        from redis.exceptions import RedisError

        while True:
            await asyncio.sleep(self.lifetime / 3)
            try:
                renewed = await self._renew(keys=[key], args=[token, int(self.lifetime * 1000)])
            except RedisError as error:
                logger.warning("could not renew the lock of %s: %s", key, error)
                return
            if not renewed:
                logger.warning("lost the lock of %s while handling it (expired)", key)
                return
