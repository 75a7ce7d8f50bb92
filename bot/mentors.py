"""Mentor pairing through Telegram, run by the bridge's background rounds: ask mentors who
chose Telegram about new requests, tell candidates the outcome (the contact only after the
mentor's yes), expire requests left unanswered for a week, and invite people who moved six
months ago to become mentors. Each message is taken before it is sent (two bridges never
send it both), recorded once it went through, retried with back-off after any error and
given up after a limit, with the reason shown in the console (app/rounds.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session
from telegram import Bot, InlineKeyboardMarkup

from app import inbox, mentors, rounds
from app.choices import payload
from app.db import session_scope
from app.models import Candidate, MentorRequest, utcnow
from bot.rendering import inline_keyboard
from bot.texts import say


def _keyboard(buttons: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    with session_scope() as session:
        keys = [(title, inbox.payload_key(session, payload)) for title, payload in buttons]
    return inline_keyboard([[key] for key in keys])


def _language(session, sender_id: str) -> str:
    candidate = session.get(Candidate, sender_id)
    return candidate.language if candidate and candidate.language else "fr"


Message = tuple[int | str, str, str, list[tuple[str, str]] | None]  # its row's key, chat, text, buttons


async def _send_all(bot: Bot, queue: rounds.Queue, messages: list[Message], record) -> int:
    """Send each message once (app/rounds.py); `record(session, key)` marks one sent."""

    async def send(message: Message) -> None:
        _, chat_id, text, buttons = message
        await bot.send_message(chat_id, text, reply_markup=_keyboard(buttons) if buttons else None)

    return await rounds.work_through(queue, messages, lambda m: m[0], send, lambda s, m, _: record(s, m[0]))


async def _send_and_record(bot: Bot, messages: list[Message], queue: rounds.Queue) -> int:
    """Send each message; record the time in the request's column for it once it went."""

    def record(session: Session, request_id: int) -> None:
        request = session.get(MentorRequest, request_id)
        setattr(request, queue.sent_column, utcnow())
        rounds.done(request)

    return await _send_all(bot, queue, messages, record)


async def ask_mentors(bot: Bot) -> int:
    with session_scope() as session:
        asks = []
        for request in mentors.requests_to_ask(session):
            mentor = request.mentor
            language = "en" if mentor.languages and mentor.languages[0] == "en" else "fr"
            labels = ", ".join(mentors.topic_label(t, language) for t in request.topics)
            topics = say("mentor_topics", language, topics=labels) if labels else ""
            text = say(
                "mentor_asked",
                language,
                first_name=mentor.first_name,
                destination=request.destination or "?",
                topics=topics,
            )
            answer = {"request_id": str(request.id)}
            buttons = [
                (say("btn_mentor_yes", language), payload("mentor_answer", choice="yes", **answer)),
                (say("btn_mentor_no", language), payload("mentor_answer", choice="no", **answer)),
            ]
            asks.append((request.id, mentor.sender_id, text, buttons))
    return await _send_and_record(bot, asks, mentors.MENTOR_ASKS)


async def tell_candidates(bot: Bot, now: datetime | None = None) -> int:
    with session_scope() as session:
        mentors.expire_unanswered(session, now)
    with session_scope() as session:
        outcomes = []
        for request in mentors.outcomes_to_tell(session):
            language = _language(session, request.candidate_sender_id)
            first_name = request.mentor.first_name
            buttons = None
            if request.status == mentors.ACCEPTED:
                contact = mentors.contact_details_for_candidate(session, request.id, now=now)
                if contact is None:  # withdrawn since: nothing to give
                    continue
                channel = say(f"channel_{contact.channel}", language)
                text = say("mentor_accepted", language, first_name=first_name, channel=channel, value=contact.value)
            else:
                text = say(f"mentor_{request.status}", language, first_name=first_name)
                buttons = [(say("btn_other_mentors", language), payload("find_mentor"))]
            outcomes.append((request.id, request.candidate_sender_id, text, buttons))
    return await _send_and_record(bot, outcomes, mentors.OUTCOMES)


async def invite_settled_people(bot: Bot, now: datetime | None = None) -> int:
    """Six months after a recorded departure: would you like to help the next ones?"""
    with session_scope() as session:
        due = mentors.due_for_invitation(session, now)
    invitations = []
    for invitation in due:
        language = invitation.language or "fr"
        place = say("mentor_invitation_place", language, place=invitation.destination) if invitation.destination else ""
        buttons = [
            (say("btn_become_mentor", language), payload("become_mentor")),
            (say("btn_no_thanks", language), payload("deny")),
        ]
        text = say("mentor_invitation", language, destination=place)
        invitations.append((invitation.sender_id, invitation.sender_id, text, buttons))

    def record(session: Session, sender_id: str) -> None:
        mentors.record_invitation(session, sender_id, now)

    return await _send_all(bot, mentors.INVITATIONS, invitations, record)


async def mentor_round(bot: Bot) -> None:
    await ask_mentors(bot)
    await tell_candidates(bot)
    await invite_settled_people(bot)
