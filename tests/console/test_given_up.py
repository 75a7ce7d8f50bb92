"""What the bridge's rounds gave up is visible to counsellors, with the reason: a webinar's
follow-ups on the webinar's page, a reply or a card on the handoff."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import handoffs, rounds, webinars
from app.db import session_scope
from app.models import CounsellorReply, FollowupDelivery, Handoff, utcnow
from tests.bot.test_webinar_followups import NO_QUIET


def test_given_up_follow_ups_are_listed_on_the_webinar_page_with_their_reason(counsellor):
    with session_scope() as s:
        webinar = webinars.create(s, "Vivre en Estrie", ["Estrie"], utcnow() - timedelta(days=40), "fr", "J", "j@x.org")
        attendee, _ = webinars.join(s, webinar, "given-up-attendee")
        webinars.set_followup_consent(s, attendee, True, NO_QUIET)
        s.flush()
        delivery = s.scalars(select(FollowupDelivery).where(FollowupDelivery.attendee_id == attendee.id)).first()
        delivery.attempts = webinars.MAX_ATTEMPTS - 1
        webinars.mark_failed(s, delivery.id, utcnow(), NO_QUIET, "HTTPStatusError: 400 Bad Request")
        webinar_id = webinar.id
    page = counsellor.get(f"/webinars/{webinar_id}").get_data(as_text=True)
    assert 'id="followups-given-up"' in page and "given-up-attendee" in page and "400 Bad Request" in page


def test_a_reply_given_up_shows_on_its_handoff_with_the_reason(counsellor):
    with session_scope() as s:
        handoff = handoffs.open_handoff(s, "given-up-reply", "asked", "allo?", "fr")
        handoffs.queue_reply(s, handoff, "julie@example.org", "Bonjour")
        s.flush()
        reply = s.scalars(select(CounsellorReply).where(CounsellorReply.handoff_id == handoff.id)).one()
        handoffs.reply_failed(reply, utcnow(), True, "Forbidden: bot was blocked by the user")
        rounds.failed(s.get(Handoff, handoff.id), handoffs.CARDS, "BadRequest: chat not found", utcnow(), give_up=True)
    page = counsellor.get("/?status=open").get_data(as_text=True)
    assert "bot was blocked by the user" in page and "chat not found" in page


def test_nothing_given_up_nothing_shown(counsellor):
    with session_scope() as s:
        webinar = webinars.create(s, "Vivre en Gaspésie", ["Gaspésie"], utcnow(), "fr", "J", "j@x.org")
        webinars.join(s, webinar, "fine-attendee")
        webinar_id = webinar.id
    page = counsellor.get(f"/webinars/{webinar_id}").get_data(as_text=True)
    assert "Vivre en Gaspésie" in page and 'id="followups-given-up"' not in page
