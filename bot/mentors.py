"""Mentor pairing through Telegram, run by the bridge's background rounds: ask mentors who
chose Telegram about new requests, tell candidates the outcome (the contact only after the
mentor's yes), expire requests left unanswered for a week, and invite people who moved six
months ago to become mentors. Each send is recorded only once it went through, so a
failed round is simply done again by the next one."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError

from app import inbox, mentors
from app.db import session_scope
from app.models import Candidate, MentorRequest, utcnow
from bot.texts import say

logger = logging.getLogger(__name__)


def _payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


def _keyboard(buttons: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    with session_scope() as session:
        keys = [(title, inbox.payload_key(session, payload)) for title, payload in buttons]
    return InlineKeyboardMarkup([[InlineKeyboardButton(title, callback_data=key)] for title, key in keys])


def _language(session, sender_id: str) -> str:
    candidate = session.get(Candidate, sender_id)
    return candidate.language if candidate and candidate.language else "fr"


async def _send(bot: Bot, chat_id: str, text: str, buttons: list[tuple[str, str]] | None = None) -> bool:
    try:
        await bot.send_message(chat_id, text, reply_markup=_keyboard(buttons) if buttons else None)
        return True
    except TelegramError:
        logger.warning("not delivered to %s yet", chat_id)
        return False


Message = tuple[int, str, str, list[tuple[str, str]] | None]  # request id, chat, text, buttons


async def _send_and_record(bot: Bot, messages: list[Message], sent_column: str) -> int:
    """Send each message; record the time in the request's `sent_column` only once it went."""
    sent = 0
    for request_id, chat_id, text, buttons in messages:
        if await _send(bot, chat_id, text, buttons):
            with session_scope() as session:
                setattr(session.get(MentorRequest, request_id), sent_column, utcnow())
            sent += 1
    return sent


async def ask_mentors(bot: Bot) -> int:
    with session_scope() as session:
        asks = []
        for request in mentors.requests_to_ask(session):
            mentor = request.mentor
            language = "en" if mentor.languages and mentor.languages[0] == "en" else "fr"
            labels = ", ".join(mentors.TOPIC_LABELS[t][language] for t in request.topics)
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
                (say("btn_mentor_yes", language), _payload("mentor_answer", choice="yes", **answer)),
                (say("btn_mentor_no", language), _payload("mentor_answer", choice="no", **answer)),
            ]
            asks.append((request.id, mentor.sender_id, text, buttons))
    return await _send_and_record(bot, asks, "mentor_asked_at")


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
                buttons = [(say("btn_other_mentors", language), _payload("find_mentor"))]
            outcomes.append((request.id, request.candidate_sender_id, text, buttons))
    return await _send_and_record(bot, outcomes, "candidate_told_at")


async def invite_settled_people(bot: Bot, now: datetime | None = None) -> int:
    """Six months after a recorded departure: would you like to help the next ones?"""
    with session_scope() as session:
        due = mentors.due_for_invitation(session, now)
    sent = 0
    for invitation in due:
        language = invitation.language or "fr"
        place = say("mentor_invitation_place", language, place=invitation.destination) if invitation.destination else ""
        buttons = [
            (say("btn_become_mentor", language), _payload("become_mentor")),
            (say("btn_no_thanks", language), _payload("deny")),
        ]
        if await _send(bot, invitation.sender_id, say("mentor_invitation", language, destination=place), buttons):
            with session_scope() as session:
                mentors.record_invitation(session, invitation.sender_id, now)
            sent += 1
    return sent


async def mentor_round(bot: Bot) -> None:
    await ask_mentors(bot)
    await tell_candidates(bot)
    await invite_settled_people(bot)
