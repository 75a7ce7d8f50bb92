"""The bridge's background rounds, item by item and exactly once, also when two bridges
share one database (production runs two).

Every queue the bridge works through (webinar follow-ups, counsellors' replies from the
console, mentor messages, handoff cards, the inbox) has the same columns and goes
through the same steps:

1. `take`: of the items found due, the ones no other bridge holds are leased to this
   one (`taken_by`, `taken_until`) in one statement, committed before anything is sent.
   PostgreSQL: rows locked by another bridge's take are skipped (FOR UPDATE SKIP LOCKED);
   SQLite has a single writer, so the conditional UPDATE is atomic there.
2. `begin`: just before sending one item, `sending_since` is set, only if the lease is
   still this bridge's (a lease that expired may have been taken over meanwhile).
3. The send, then `done` with the queue's own "sent" column in the same transaction.
   Any error is that item's alone: `failed` counts the attempt, sets the next one with
   back-off, or gives up after the queue's limit with the reason (`failed_at`,
   `failure_reason`, shown in the console). An error *after* the send went through
   (recording it failed) gives the item up as sent-but-unrecorded: never sent again.

A lease that expires (the bridge died, or hangs) lets another bridge take the item over.
Items that were taken but not begun were never sent: taken over, simply sent. An item
begun but not finished may or may not have reached the person; each queue chooses:
- at-most-once (`resend_after_crash=False`): webinar follow-ups and mentor messages. A
  second copy of "how was the webinar?" or of a mentor's contact is worse than one lost
  message in the seconds a bridge dies; such an item is given up as "interrupted" and
  shown in the console for a counsellor to follow.
- at-least-once (`resend_after_crash=True`): the inbox (a person's question must be
  answered), counsellors' replies (a human's answer lost is worse than read twice) and
  handoff cards (a missed request, possibly a distress one, is worse than two cards);
  the crash counts as an attempt, so an item that kills its bridge is still given up.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.db import session_scope
from app.models import utcnow

logger = logging.getLogger(__name__)

# Long enough for a batch through Telegram's rate limiter and a slow Rasa (30 s timeout).
LEASE = timedelta(minutes=2)
TAKE_AT_ONCE = 20  # items leased per take: two bridges share a big round between them
REASON_CHARS = 500
BRIDGE = f"{socket.gethostname()}:{os.getpid()}"
INTERRUPTED = "interrupted: the bridge stopped while sending; it may or may not have arrived"
UNRECORDED = "sent, but recording it failed (not sent again)"

Item = TypeVar("Item")


@dataclass(frozen=True)
class Queue:
    """One kind of background item: its table (with the round columns), the column set
    once it is sent (None until then), how many attempts before giving up, the wait after
    the n-th failure, and what a crash mid-send means."""

    model: type
    sent_column: str
    max_attempts: int
    retry_after: Callable[[int], timedelta]
    resend_after_crash: bool

    @property
    def key(self) -> Any:
        return next(iter(self.model.__table__.primary_key.columns))

    def unsent(self, table: Any) -> Any:
        return table.c[self.sent_column].is_(None)


@dataclass(frozen=True)
class Held:
    """The items one take leased, under a token of their own."""

    token: str
    keys: list[Any]

    def __contains__(self, key: Any) -> bool:
        return key in self.keys


def available(model: type, now: datetime) -> list[Any]:
    """The conditions for an item any bridge may take now: not given up, not held."""
    return [model.failed_at.is_(None), or_(model.taken_until.is_(None), model.taken_until < now)]


def take(session: Session, queue: Queue, due: Sequence[Any], now: datetime, lease: timedelta = LEASE) -> Held:
    """Lease the due items (keys, in their order) that no other bridge holds; the caller
    commits (session_scope) before sending anything."""
    token = f"{BRIDGE}:{secrets.token_hex(4)}"
    if not due:
        return Held(token, [])
    table, key = queue.model.__table__, queue.key
    _after_crash(session, queue, due, now)
    inner = table.alias()
    free = select(inner.c[key.name]).where(
        inner.c[key.name].in_(due),
        queue.unsent(inner),
        inner.c.failed_at.is_(None),
        or_(inner.c.taken_until.is_(None), inner.c.taken_until < now),
    )
    if session.get_bind().dialect.name == "postgresql":
        free = free.with_for_update(skip_locked=True)
    leased = update(table).where(key.in_(free.scalar_subquery()))
    session.execute(leased.values(taken_by=token, taken_until=now + lease))
    mine = set(session.scalars(select(key).where(key.in_(due), table.c.taken_by == token)))
    return Held(token, [k for k in due if k in mine])


def _after_crash(session: Session, queue: Queue, due: Collection[Any], now: datetime) -> None:
    """Items begun under a lease that expired: counted as an attempt (at-least-once) or
    given up as interrupted (at-most-once)."""
    table = queue.model.__table__
    crashed = [
        queue.key.in_(due),
        queue.unsent(table),
        table.c.sending_since.is_not(None),
        table.c.taken_until < now,
        table.c.failed_at.is_(None),
    ]
    # At-most-once: all of them are given up; at-least-once: only those out of attempts.
    out_of_attempts = [table.c.attempts + 1 >= queue.max_attempts] if queue.resend_after_crash else []
    session.execute(
        update(table)
        .where(*crashed, *out_of_attempts)
        .values(failed_at=now, failure_reason=INTERRUPTED, attempts=table.c.attempts + 1, sending_since=None)
    )
    if queue.resend_after_crash:
        session.execute(update(table).where(*crashed).values(attempts=table.c.attempts + 1, sending_since=None))


def begin(session: Session, queue: Queue, key: Any, token: str, now: datetime) -> bool:
    """Mark one held item as being sent; False if this bridge no longer holds it."""
    table = queue.model.__table__
    result = session.execute(
        update(table)
        .where(queue.key == key, table.c.taken_by == token, queue.unsent(table), table.c.failed_at.is_(None))
        .values(sending_since=now)
    )
    return result.rowcount == 1


def done(row: Any) -> None:
    """Sent and recorded: the lease and the attempts of this step are over (`taken_by`
    stays, to tell which bridge sent it)."""
    row.taken_until = row.sending_since = None
    row.attempts = 0


def failed(row: Any, queue: Queue, reason: str, now: datetime, give_up: bool | None = None) -> bool:
    """Count a failed attempt; retry after the queue's back-off, or give up (after the
    limit, or at once with give_up=True; never with give_up=False). True when given up."""
    row.taken_by = row.taken_until = row.sending_since = None
    row.attempts = (row.attempts or 0) + 1
    row.failure_reason = reason[:REASON_CHARS]
    if give_up or (give_up is None and row.attempts >= queue.max_attempts):
        row.failed_at = now
        return True
    row.next_attempt_at = now + queue.retry_after(row.attempts)
    return False


def unrecorded(session: Session, queue: Queue, key: Any, error: Exception) -> None:
    """It went out, but recording it failed: given up, so that it is never sent again."""
    row = session.get(queue.model, key)
    if row is not None:  # None: erased meanwhile
        row.taken_by = row.taken_until = row.sending_since = None
        row.failed_at, row.failure_reason = utcnow(), f"{UNRECORDED}: {describe(error)}"[:REASON_CHARS]


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


async def work_through(
    queue: Queue,
    items: Sequence[Item],
    key: Callable[[Item], Any],
    send: Callable[[Item], Awaitable[Any]],
    record: Callable[[Session, Item, Any], None],
    on_failure: Callable[[Session, Item, Exception], None] | None = None,
) -> int:
    """Take the due items TAKE_AT_ONCE at a time and send the ones this bridge got, one by
    one: each error is that item's alone and never stops the round. `record` marks one
    sent (with `done`; it gets what `send` returned), `on_failure` applies the queue's own rules (default: `failed`,
    by count). Returns how many were sent."""
    sent = 0
    for start in range(0, len(items), TAKE_AT_ONCE):
        chunk = items[start : start + TAKE_AT_ONCE]
        with session_scope() as session:
            held = take(session, queue, [key(item) for item in chunk], utcnow())
        for item in chunk:
            if key(item) in held:
                sent += await _send_one(queue, held.token, item, key, send, record, on_failure)
    return sent


async def _send_one(
    queue: Queue,
    token: str,
    item: Item,
    key: Callable[[Item], Any],
    send: Callable[[Item], Awaitable[Any]],
    record: Callable[[Session, Item, Any], None],
    on_failure: Callable[[Session, Item, Exception], None] | None,
) -> int:
    with session_scope() as session:
        if not begin(session, queue, key(item), token, utcnow()):
            return 0  # the lease expired and another bridge has it now
    try:
        result = await send(item)
    except Exception as error:  # any error: this item waits or is given up, the others go on
        logger.warning("%s %s not sent: %s", queue.model.__tablename__, key(item), describe(error))
        handle = on_failure or _count_failure(queue, key)
        safely(queue, key(item), lambda session, failure=error: handle(session, item, failure))
        return 0
    try:
        with session_scope() as session:
            record(session, item, result)
    except Exception as error:
        logger.exception("%s %s sent, but recording it failed", queue.model.__tablename__, key(item))
        safely(queue, key(item), lambda session, failure=error: unrecorded(session, queue, key(item), failure))
    return 1


def _count_failure(queue: Queue, key: Callable[[Any], Any]) -> Callable[[Session, Any, Exception], None]:
    def count(session: Session, item: Any, error: Exception) -> None:
        row = session.get(queue.model, key(item))
        if row is not None:  # None: erased meanwhile
            failed(row, queue, describe(error), utcnow())

    return count


def safely(queue: Queue, key: Any, write: Callable[[Session], None]) -> None:
    """Record a failure; if even that fails (database down), the lease expiring does the rest."""
    try:
        with session_scope() as session:
            write(session)
    except Exception:
        logger.exception("%s %s: the failure could not be recorded", queue.model.__tablename__, key)
