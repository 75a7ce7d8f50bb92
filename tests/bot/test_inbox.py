from datetime import timedelta

from app import inbox
from app.inbox import FIRST_RETRY_SECONDS, INBOX, MAX_MESSAGE_WAIT_SECONDS, MAX_RETRY_SECONDS, retry_delay
from app.models import utcnow


def test_pending_messages_stay_in_order_until_delivered(session):
    first = inbox.enqueue(session, "chat-order", "un", {"language_code": "fr"})
    second = inbox.enqueue(session, "chat-order", "deux", {})
    assert [m.text for m in inbox.pending(session, "chat-order")] == ["un", "deux"]
    assert inbox.metadata(first) == {"language_code": "fr"}
    inbox.mark_delivered(first, keep=True)
    assert inbox.pending(session, "chat-order") == [second]
    inbox.mark_delivered(second, keep=False)  # no consent: not kept once answered
    session.flush()
    assert session.get(type(second), second.id) is None


def test_back_off_doubles_and_is_capped():
    assert retry_delay(1) == timedelta(seconds=FIRST_RETRY_SECONDS)
    assert retry_delay(3) == timedelta(seconds=4 * FIRST_RETRY_SECONDS)
    assert retry_delay(50) == timedelta(seconds=MAX_RETRY_SECONDS)


def test_a_persons_message_is_tried_again_often_enough_to_be_answered_soon_after_rasa_is_back():
    assert INBOX.retry_after(1) == timedelta(seconds=FIRST_RETRY_SECONDS)
    assert INBOX.retry_after(50) == timedelta(seconds=MAX_MESSAGE_WAIT_SECONDS) < retry_delay(50)


def test_a_failed_chat_is_due_only_after_its_delay(session):
    message = inbox.enqueue(session, "chat-due", "bonjour", {})
    assert "chat-due" in inbox.chats_due(session)
    inbox.mark_failed(message)
    session.flush()
    assert "chat-due" not in inbox.chats_due(session)
    assert "chat-due" in inbox.chats_due(session, at=utcnow() + timedelta(seconds=FIRST_RETRY_SECONDS + 1))


def test_button_payloads_get_short_stable_keys(session):
    payload = '/checklist_mark{"checklist_item": "temporary_housing", "checklist_status": "not_applicable"}'
    key = inbox.payload_key(session, payload)
    assert len(key.encode()) <= 64 < len(payload.encode())
    assert inbox.payload_key(session, payload) == key
    session.flush()
    assert inbox.payload_for(session, key) == payload
    assert inbox.payload_for(session, "unknown") is None
