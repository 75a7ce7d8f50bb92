"""The background rounds' mechanism (app/rounds.py) on the database itself: two bridges
taking the same items at the same moment each get different ones, a lease that expires
is taken over, a crash mid-send is resent or given up as the queue chose, and failures
are counted, backed off and given up with their reason."""

from __future__ import annotations

import itertools
import threading
from datetime import timedelta

from sqlalchemy import select

from app import handoffs, rounds, webinars
from app.db import session_scope
from app.models import CounsellorReply, FollowupDelivery, Handoff, utcnow

_ids = itertools.count(1)


def replies(count: int) -> list[int]:
    """Counsellor replies waiting to be sent (an at-least-once queue)."""
    with session_scope() as s:
        handoff = handoffs.open_handoff(s, f"rounds-{next(_ids)}", "asked", "allo?", "fr")
        for n in range(count):
            handoffs.queue_reply(s, handoff, "julie@example.org", f"réponse {n}")
        s.flush()
        return list(s.scalars(select(CounsellorReply.id).where(CounsellorReply.handoff_id == handoff.id)))


def take(queue: rounds.Queue, keys: list[int], now=None) -> rounds.Held:
    with session_scope() as s:
        return rounds.take(s, queue, keys, now or utcnow())


def row(model: type, key: int):
    with session_scope() as s:
        found = s.get(model, key)
        s.expunge(found)
        return found


def test_two_bridges_taking_the_same_items_at_once_each_get_different_ones(database_url):
    keys = replies(60)
    start = threading.Barrier(2)
    got: list[list[int]] = [[], []]

    def bridge(index: int) -> None:
        start.wait()
        for chunk in (keys[n : n + 5] for n in range(0, len(keys), 5)):
            got[index] += take(handoffs.REPLIES, chunk).keys

    threads = [threading.Thread(target=bridge, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got[0] + got[1]) == sorted(keys)  # each item once: none twice, none left
    assert not set(got[0]) & set(got[1])


def test_an_item_held_by_another_bridge_is_not_taken_until_its_lease_expires(database_url):
    [key] = replies(1)
    first = take(handoffs.REPLIES, [key])
    assert first.keys == [key] and take(handoffs.REPLIES, [key]).keys == []
    later = utcnow() + rounds.LEASE + timedelta(seconds=1)  # the first bridge died before sending
    second = take(handoffs.REPLIES, [key], now=later)
    assert second.keys == [key] and row(CounsellorReply, key).taken_by == second.token
    with session_scope() as s:  # the first bridge, back, no longer holds it
        assert not rounds.begin(s, handoffs.REPLIES, key, first.token, utcnow())


def test_a_crash_mid_send_is_resent_once_more_by_an_at_least_once_queue(database_url):
    [key] = replies(1)
    held = take(handoffs.REPLIES, [key])
    with session_scope() as s:
        assert rounds.begin(s, handoffs.REPLIES, key, held.token, utcnow())
    later = utcnow() + rounds.LEASE + timedelta(seconds=1)
    assert take(handoffs.REPLIES, [key], now=later).keys == [key]
    assert row(CounsellorReply, key).attempts == 1 and row(CounsellorReply, key).failed_at is None


def test_a_crash_mid_send_is_given_up_by_an_at_most_once_queue(database_url):
    from tests.bot.test_webinar_followups import attendees

    attendees(1)
    with session_scope() as s:
        key = s.scalars(select(FollowupDelivery.id).order_by(FollowupDelivery.id.desc()).limit(1)).one()
    held = take(webinars.FOLLOWUPS, [key])
    with session_scope() as s:
        assert rounds.begin(s, webinars.FOLLOWUPS, key, held.token, utcnow())
    later = utcnow() + rounds.LEASE + timedelta(seconds=1)
    assert take(webinars.FOLLOWUPS, [key], now=later).keys == []  # may have arrived: not sent again
    given_up = row(FollowupDelivery, key)
    assert given_up.failed_at is not None and given_up.failure_reason == rounds.INTERRUPTED
    with session_scope() as s:
        assert key not in [d.delivery_id for d in webinars.due_followups(s, later)]


def test_an_item_that_crashes_its_bridge_every_time_is_given_up(database_url):
    [key] = replies(1)
    moment = utcnow()
    for _ in range(handoffs.MAX_REPLY_ATTEMPTS):
        held = take(handoffs.REPLIES, [key], now=moment)
        if not held.keys:
            break
        with session_scope() as s:
            rounds.begin(s, handoffs.REPLIES, key, held.token, moment)
        moment += rounds.LEASE + timedelta(seconds=1)
    assert take(handoffs.REPLIES, [key], now=moment).keys == []
    assert row(CounsellorReply, key).failure_reason == rounds.INTERRUPTED


def test_failures_back_off_then_give_up_with_the_reason(database_url):
    with session_scope() as s:
        handoff = handoffs.open_handoff(s, f"rounds-{next(_ids)}", "asked", "allo?", "fr")
        s.flush()
        moment = utcnow()
        for attempt in range(1, handoffs.MAX_CARD_ATTEMPTS):
            assert not rounds.failed(handoff, handoffs.CARDS, "Forbidden: bot was kicked", moment)
            assert handoff.attempts == attempt and handoff.next_attempt_at > moment
            assert handoff not in handoffs.unannounced(s, moment)  # backing off
        assert rounds.failed(handoff, handoffs.CARDS, "Forbidden: bot was kicked", moment)
        assert handoff.failed_at == moment and handoff.failure_reason == "Forbidden: bot was kicked"
        s.flush()
        assert handoff not in handoffs.unannounced(s, moment + timedelta(days=1))
        assert s.get(Handoff, handoff.id).card_message_id is None
