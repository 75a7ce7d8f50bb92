"""The bridge's mentor rounds (bot/mentors.py): mentors who chose Telegram are asked once,
candidates hear the outcome once (the contact only after a yes), a week without answer
expires the request, and people who moved six months ago are invited once."""

from __future__ import annotations

import asyncio
import itertools
from datetime import date, datetime, timedelta, timezone

from telegram.error import NetworkError

from app import candidates, mentors
from app.db import session_scope
from app.mentors import MentorAnswers
from app.models import ButtonPayload, Checklist, MentorRequest
from bot import mentors as rounds

_ids = itertools.count(1)


class Bot:
    def __init__(self, failing: bool = False) -> None:
        self.failing = failing
        self.sent: list[tuple[str, str, list[str]]] = []

    async def send_message(self, chat_id, text, reply_markup=None):
        if self.failing:
            raise NetworkError("unreachable")
        keys = [b.callback_data for row in reply_markup.inline_keyboard for b in row] if reply_markup else []
        with session_scope() as session:
            payloads = [session.get(ButtonPayload, k).payload for k in keys]
        self.sent.append((chat_id, text, payloads))

    def to(self, chat_id: str) -> list[tuple[str, list[str]]]:
        return [(text, payloads) for chat, text, payloads in self.sent if chat == chat_id]


def mentor_and_request(channel: str = "telegram", asked_days_ago: int = 0) -> tuple[str, str, int]:
    n = next(_ids)
    mentor_chat, candidate = f"round-mentor-{n}", f"round-candidate-{n}"
    answers = MentorAnswers("Lina", "Sherbrooke", "05", date(2022, 3, 1), ["fr"], ["housing"], channel,
                            "@lina_estrie" if channel == "telegram" else "lina@example.org")  # fmt: skip
    asked = datetime.now(timezone.utc) - timedelta(days=asked_days_ago)
    with session_scope() as session:
        candidates.record_consent(session, candidate, "fr")
        mentor = mentors.become_mentor(session, mentor_chat, answers, consent=True)
        request = mentors.request_contact(session, candidate, mentor.id, "Sherbrooke", ["housing"], now=asked)
        return mentor_chat, candidate, request.id


def test_a_telegram_mentor_is_asked_once_with_yes_and_no_buttons(database_url):
    mentor_chat, _, request_id = mentor_and_request()
    down = Bot(failing=True)
    asyncio.run(rounds.ask_mentors(down))
    bot = Bot()
    asyncio.run(rounds.ask_mentors(bot))
    asyncio.run(rounds.ask_mentors(bot))
    [(text, payloads)] = bot.to(mentor_chat)
    assert "Bonjour Lina! Une personne qui prépare son installation à Sherbrooke" in text and "le logement" in text
    assert payloads == [
        f'/mentor_answer{{"choice": "yes", "request_id": "{request_id}"}}',
        f'/mentor_answer{{"choice": "no", "request_id": "{request_id}"}}',
    ]


def test_a_mentor_reached_by_email_is_not_messaged_here(database_url):
    mentor_chat, _, _ = mentor_and_request(channel="email")
    bot = Bot()
    asyncio.run(rounds.ask_mentors(bot))
    assert bot.to(mentor_chat) == []


def test_the_candidate_gets_the_contact_only_after_the_yes(database_url):
    mentor_chat, candidate, request_id = mentor_and_request()
    bot = Bot()
    asyncio.run(rounds.tell_candidates(bot))
    assert bot.to(candidate) == []  # still waiting: nothing, and certainly no contact
    with session_scope() as session:
        mentors.answer_request(session, request_id, True, mentor_sender_id=mentor_chat)
    asyncio.run(rounds.tell_candidates(bot))
    asyncio.run(rounds.tell_candidates(bot))
    [(text, _)] = bot.to(candidate)
    assert "Lina accepte de vous parler" in text and "@lina_estrie" in text


def test_a_no_is_told_kindly_with_other_people_offered(database_url):
    mentor_chat, candidate, request_id = mentor_and_request()
    with session_scope() as session:
        mentors.answer_request(session, request_id, False, mentor_sender_id=mentor_chat)
    bot = Bot()
    asyncio.run(rounds.tell_candidates(bot))
    [(text, payloads)] = bot.to(candidate)
    assert "Lina n'est pas disponible" in text and "@lina" not in text and payloads == ["/find_mentor"]


def test_a_week_without_answer_expires_and_the_candidate_is_offered_another(database_url):
    _, candidate, request_id = mentor_and_request(asked_days_ago=8)
    bot = Bot()
    asyncio.run(rounds.tell_candidates(bot))
    [(text, payloads)] = bot.to(candidate)
    assert "n'a pas répondu depuis une semaine" in text and payloads == ["/find_mentor"]
    with session_scope() as session:
        assert session.get(MentorRequest, request_id).status == "expired"


def test_six_months_after_leaving_the_person_is_invited_once(database_url):
    sender = f"moved-{next(_ids)}"
    with session_scope() as session:
        candidates.record_consent(session, sender, "en")
        session.add(Checklist(sender_id=sender, start_date=date.today() - timedelta(days=200), start_date_known=True,
                              destination="Rimouski", region="Bas-Saint-Laurent"))  # fmt: skip
    bot = Bot()
    asyncio.run(rounds.invite_settled_people(bot))
    asyncio.run(rounds.invite_settled_people(bot))
    [(text, payloads)] = bot.to(sender)
    assert "You settled in Rimouski about six months ago" in text and payloads == ["/become_mentor", "/deny"]


def test_not_invited_before_six_months(database_url):
    sender = f"recent-{next(_ids)}"
    with session_scope() as session:
        candidates.record_consent(session, sender, "fr")
        session.add(Checklist(sender_id=sender, start_date=date.today() - timedelta(days=100), start_date_known=True))
    bot = Bot()
    asyncio.run(rounds.invite_settled_people(bot))
    assert bot.to(sender) == []
