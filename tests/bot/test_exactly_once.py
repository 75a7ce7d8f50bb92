"""Issue #16 item 4: one bad item never blocks the others, and nothing goes out twice.
Before, a follow-up whose marking failed after the send went out again every two seconds
(117 copies to one person), and everyone behind it waited. Each round here runs with
stand-ins for Rasa and Telegram, on the real database; two bridges are two threads."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app import handoffs, inbox, webinars
from app.db import session_scope
from app.models import CounsellorReply, FollowupDelivery, Handoff, InboundMessage, WebinarAttendee, utcnow
from bot import counsellors
from bot.delivery import Delivery
from bot.webinars import send_followups
from tests.bot.test_webinar_followups import NO_QUIET, attendees

ROUNDS = 12  # more background rounds than any limit
_ids = itertools.count(1)


class Rasa:
    """Answers every follow-up and message, except for the senders in `broken`."""

    def __init__(self, broken: dict[str, Exception] | None = None) -> None:
        self.broken = broken or {}
        self.tries: list[str] = []

    async def trigger(self, sender, intent, entities):
        self.tries.append(sender)
        await asyncio.sleep(0)  # let the other bridge run in between
        if sender in self.broken:
            raise self.broken[sender]
        return [{"text": f"{intent} pour {sender}"}]

    async def send(self, sender, text, metadata, message_id=None):
        self.tries.append(text)
        if text in self.broken:
            raise self.broken[text]
        return [{"text": f"réponse à {text}"}]


class Telegram:
    """What reached people, whatever bridge sent it."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def send_message(self, chat_id, text, reply_markup=None):
        with self.lock:
            self.sent.append((str(chat_id), text))
        return type("Message", (), {"message_id": len(self.sent)})()

    def to(self, chat_id: str) -> list[str]:
        return [text for chat, text in self.sent if chat == chat_id]


def a_round_later(senders: list[str]) -> None:
    """Time passes: whatever these people wait for is due again."""
    with session_scope() as s:
        for delivery in s.scalars(
            select(FollowupDelivery)
            .join(WebinarAttendee, WebinarAttendee.id == FollowupDelivery.attendee_id)
            .where(WebinarAttendee.sender_id.in_(senders))
        ):
            delivery.next_attempt_at = utcnow() - timedelta(seconds=1)


def followup_rows(sender: str) -> list[FollowupDelivery]:
    with session_scope() as s:
        rows = list(
            s.scalars(
                select(FollowupDelivery)
                .join(WebinarAttendee, WebinarAttendee.id == FollowupDelivery.attendee_id)
                .where(WebinarAttendee.sender_id == sender)
            )
        )
        s.expunge_all()
        return rows


def run_followup_rounds(rasa: Rasa, telegram: Telegram, senders: list[str]) -> None:
    for _ in range(ROUNDS):
        asyncio.run(send_followups(telegram, rasa, Delivery(rasa), NO_QUIET))
        a_round_later(senders)


def test_a_follow_up_whose_marking_fails_after_the_send_goes_out_once(database_url, monkeypatch):
    senders = attendees(3)
    real_mark_sent = webinars.mark_sent

    def locked_for(sender_of_delivery: str):
        def mark_sent(session, delivery_id, now):
            if session.get(FollowupDelivery, delivery_id).attendee_id == sender_of_delivery:
                raise OperationalError("UPDATE followup_deliveries", {}, Exception("database is locked"))
            real_mark_sent(session, delivery_id, now)

        return mark_sent

    unlucky = followup_rows(senders[0])[0].attendee_id
    monkeypatch.setattr(webinars, "mark_sent", locked_for(unlucky))
    rasa, telegram = Rasa(), Telegram()
    asyncio.run(send_followups(telegram, rasa, Delivery(rasa), NO_QUIET))
    assert all(len(telegram.to(s)) == 3 for s in senders)  # nobody waited behind the unlucky one
    run_followup_rounds(rasa, telegram, senders)
    assert [len(telegram.to(s)) for s in senders] == [3, 3, 3]  # not 117 copies: each step once
    for delivery in followup_rows(senders[0]):
        assert delivery.sent_at is None and delivery.failed_at is not None
        assert "recording it failed" in delivery.failure_reason and "database is locked" in delivery.failure_reason


@pytest.mark.parametrize(
    "error",
    [
        json.JSONDecodeError("Expecting value", "<html>", 0),  # an answer the bridge cannot read
        httpx.HTTPStatusError(
            "400 Bad Request", request=httpx.Request("POST", "http://rasa"), response=httpx.Response(400)
        ),
        ValueError("anything else"),
    ],
    ids=["unreadable", "rasa-4xx", "other"],
)
def test_a_follow_up_that_keeps_failing_is_counted_then_given_up_without_delaying_the_others(database_url, error):
    broken, *others = attendees(3)
    rasa, telegram = Rasa(broken={broken: error}), Telegram()
    asyncio.run(send_followups(telegram, rasa, Delivery(rasa), NO_QUIET))
    assert [len(telegram.to(s)) for s in others] == [3, 3]  # the others, in the same round
    assert {d.attempts for d in followup_rows(broken)} == {1}
    run_followup_rounds(rasa, telegram, [broken])
    assert telegram.to(broken) == []
    assert rasa.tries.count(broken) == 3 * webinars.MAX_ATTEMPTS  # three steps, each to its limit, no more
    for delivery in followup_rows(broken):
        assert delivery.failed_at is not None and delivery.skipped == "failed"
        assert delivery.failure_reason.startswith(type(error).__name__)


def test_two_bridges_send_each_follow_up_once(database_url):
    senders = attendees(40)
    rasa, telegram = Rasa(), Telegram()
    start = threading.Barrier(2)

    def bridge() -> None:
        start.wait()
        asyncio.run(send_followups(telegram, rasa, Delivery(rasa), NO_QUIET))

    threads = [threading.Thread(target=bridge) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(sorted(telegram.to(s)) == sorted(set(telegram.to(s))) and len(telegram.to(s)) == 3 for s in senders)


def test_a_console_reply_whose_marking_fails_is_sent_once(database_url, monkeypatch):
    sender = f"once-reply-{next(_ids)}"
    with session_scope() as s:
        handoff = handoffs.open_handoff(s, sender, "asked", "allo?", "fr")
        handoffs.queue_reply(s, handoff, "julie@example.org", "Bonjour, ici Julie.")

    def locked(reply, now):
        raise OperationalError("UPDATE counsellor_replies", {}, Exception("database is locked"))

    monkeypatch.setattr(handoffs, "reply_sent", locked)
    telegram = Telegram()
    for _ in range(ROUNDS):
        asyncio.run(counsellors.deliver_console_replies(telegram))
        with session_scope() as s:
            for reply in s.scalars(select(CounsellorReply).where(CounsellorReply.sender_id == sender)):
                reply.next_attempt_at = utcnow() - timedelta(seconds=1)
    assert telegram.to(sender) == ["👤 Bonjour, ici Julie."]
    with session_scope() as s:
        reply = s.scalars(select(CounsellorReply).where(CounsellorReply.sender_id == sender)).one()
        assert reply.failed_at is not None and "recording it failed" in reply.failure_reason


def test_two_bridges_post_one_card_per_handoff(database_url):
    senders = [f"once-card-{next(_ids)}" for _ in range(15)]
    with session_scope() as s:
        for sender in senders:
            handoffs.open_handoff(s, sender, "asked", "allo?", "fr")
    telegram, start = Telegram(), threading.Barrier(2)

    def bridge() -> None:
        start.wait()
        asyncio.run(counsellors.announce_new(telegram, "-100"))

    threads = [threading.Thread(target=bridge) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cards = [text for _, text in telegram.sent if "(conversation once-card-" in text]
    assert sorted(cards) == sorted(set(cards)) and len(cards) == len(senders)
    with session_scope() as s:
        posted = s.scalars(select(Handoff.card_message_id).where(Handoff.sender_id.in_(senders))).all()
        assert None not in posted


def test_an_inbound_message_rasa_refuses_is_given_up_and_the_chat_goes_on_in_order(database_url):
    chat, other = f"once-chat-{next(_ids)}", f"once-chat-{next(_ids)}"
    refused = httpx.HTTPStatusError("422", request=httpx.Request("POST", "http://rasa"), response=httpx.Response(422))
    rasa, telegram = Rasa(broken={"mauvais": refused}), Telegram()
    delivery = Delivery(rasa)

    async def scenario() -> None:
        await delivery.receive(telegram, chat, "mauvais", {})
        await delivery.receive(telegram, chat, "ensuite", {})
        await delivery.receive(telegram, other, "bonjour", {})  # another person is not delayed
        assert telegram.to(other) == ["réponse à bonjour"] and telegram.to(chat) == []
        for _ in range(ROUNDS):
            with session_scope() as s:  # time passes: the back-off is over
                for message in s.scalars(select(InboundMessage).where(InboundMessage.chat_id == chat)):
                    message.next_attempt_at = utcnow() - timedelta(seconds=1)
            await delivery.retry_due(telegram)

    asyncio.run(scenario())
    assert rasa.tries.count("mauvais") == inbox.MAX_ATTEMPTS and rasa.tries.count("ensuite") == 1
    assert telegram.to(chat) == ["réponse à ensuite"]
    with session_scope() as s:
        given_up = s.scalars(select(InboundMessage).where(InboundMessage.text == "mauvais")).one()
        assert given_up.failed_at is not None and given_up.failure_reason.startswith("HTTPStatusError")


def test_two_bridges_answer_a_chat_once_and_in_order(database_url):
    chat = f"once-two-{next(_ids)}"
    words = [f"message {n}" for n in range(20)]
    with session_scope() as s:
        for word in words:
            inbox.enqueue(s, chat, word, {})
    rasa, telegram, start = Rasa(), Telegram(), threading.Barrier(2)

    def bridge() -> None:
        start.wait()
        asyncio.run(Delivery(rasa).deliver(telegram, chat))

    threads = [threading.Thread(target=bridge) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert rasa.tries == words and telegram.to(chat) == [f"réponse à {w}" for w in words]
