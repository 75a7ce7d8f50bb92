"""Hole 1: the counsellors' card buttons and replies act only in the counsellors' group, on
the card's own message, and a claimed request only for its claimer or a group admin; a
Telegram name never passes for a console account."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from telegram.constants import ChatMemberStatus

from app import handoffs
from app.db import session_scope
from app.models import Handoff
from bot import counsellors

GROUP = "-100777"
CARD = 9001


class FakeBot:
    def __init__(self, admins: tuple[int, ...] = ()) -> None:
        self.admins = admins
        self.sent: list[tuple[str, str]] = []

    async def get_chat_member(self, chat_id, user_id):
        status = ChatMemberStatus.ADMINISTRATOR if user_id in self.admins else ChatMemberStatus.MEMBER
        return SimpleNamespace(status=status)

    async def send_message(self, chat_id, text, **_):
        self.sent.append((str(chat_id), text))
        return SimpleNamespace(message_id=len(self.sent) + 5000)


class FakeRasa:
    def __init__(self) -> None:
        self.resumed: list[str] = []

    async def resume(self, sender_id: str) -> None:
        self.resumed.append(sender_id)


class FakeQuery:
    def __init__(self, data: str, chat_id: str, message_id: int) -> None:
        self.data = data
        self.message = SimpleNamespace(chat=SimpleNamespace(id=int(chat_id)), message_id=message_id, text="Fiche")
        self.answers: list[str] = []

    async def answer(self, text: str = "", **_) -> None:
        self.answers.append(text)

    async def edit_message_text(self, text: str, **_) -> None:
        self.message.text = text


def user(user_id: int, name: str) -> SimpleNamespace:
    return SimpleNamespace(id=user_id, full_name=name)


def context(bot: FakeBot, rasa: FakeRasa) -> SimpleNamespace:
    return SimpleNamespace(bot=bot, application=SimpleNamespace(bot_data={"counsellor_chat_id": GROUP, "rasa": rasa}))


def press(query: FakeQuery, who: SimpleNamespace, bot: FakeBot, rasa: FakeRasa) -> None:
    update = SimpleNamespace(callback_query=query, effective_user=who)
    asyncio.run(counsellors.on_card_button(update, context(bot, rasa)))


def a_handoff(sender_id: str, card: int | None = CARD, reason: str = "distress") -> int:
    with session_scope() as s:
        handoff = handoffs.open_handoff(s, sender_id, reason, "au secours", "fr")
        handoff.card_message_id = str(card) if card else None
        s.flush()
        return handoff.id


def state(handoff_id: int) -> tuple[str, str | None]:
    with session_scope() as s:
        handoff = s.get(Handoff, handoff_id)
        return handoff.status, handoff.claimed_by


@pytest.fixture(autouse=True)
def _db(database_url):
    return database_url


def test_a_private_chat_cannot_claim_or_resume_a_handoff_by_forging_callback_data():
    handoff_id = a_handoff("sec-card-1", card=CARD + 1)
    bot, rasa = FakeBot(), FakeRasa()
    stranger = user(66, "Intrus")
    press(FakeQuery(f"claim:{handoff_id}", "66", CARD + 1), stranger, bot, rasa)
    assert state(handoff_id) == (handoffs.OPEN, None)
    with session_scope() as s:
        handoffs.claim(s.get(Handoff, handoff_id), handoffs.telegram_counsellor(10), "Amina")
    press(FakeQuery(f"resume:{handoff_id}", "66", CARD + 1), stranger, bot, rasa)
    assert state(handoff_id) == (handoffs.CLAIMED, "telegram:10") and rasa.resumed == []
    assert bot.sent == []


def test_in_the_group_a_button_acts_only_on_its_own_card():
    target = a_handoff("sec-card-2", card=CARD + 2)
    other_card = a_handoff("sec-card-3", card=CARD + 3)
    bot, rasa = FakeBot(), FakeRasa()
    # A modified client sends claim:<target> from the button of another card.
    press(FakeQuery(f"claim:{target}", GROUP, CARD + 3), user(11, "Luc"), bot, rasa)
    assert state(target) == (handoffs.OPEN, None) and state(other_card) == (handoffs.OPEN, None)
    press(FakeQuery(f"claim:{target}", GROUP, CARD + 2), user(11, "Luc"), bot, rasa)
    assert state(target) == (handoffs.CLAIMED, "telegram:11")


def test_a_claimed_card_is_given_back_only_by_its_claimer_or_a_group_admin():
    handoff_id = a_handoff("sec-card-4", card=CARD + 4)
    bot, rasa = FakeBot(admins=(99,)), FakeRasa()
    press(FakeQuery(f"claim:{handoff_id}", GROUP, CARD + 4), user(12, "Amina"), bot, rasa)
    press(FakeQuery(f"resume:{handoff_id}", GROUP, CARD + 4), user(13, "Luc"), bot, rasa)
    assert state(handoff_id)[0] == handoffs.CLAIMED and rasa.resumed == []
    press(FakeQuery(f"resume:{handoff_id}", GROUP, CARD + 4), user(99, "Cheffe"), bot, rasa)
    assert state(handoff_id)[0] == handoffs.CLOSED and rasa.resumed == ["sec-card-4"]


def reply(text: str, to_message: int, who: SimpleNamespace, bot: FakeBot, chat: str = GROUP) -> None:
    message = SimpleNamespace(
        chat=SimpleNamespace(id=int(chat)),
        message_id=7000 + len(bot.sent),
        text=text,
        reply_to_message=SimpleNamespace(message_id=to_message),
    )

    async def reply_text(answer: str) -> None:
        bot.sent.append((chat, answer))

    message.reply_text = reply_text
    update = SimpleNamespace(effective_message=message, effective_user=who)
    asyncio.run(counsellors.on_group_reply(update, context(bot, FakeRasa())))


def test_a_reply_on_someone_elses_card_does_not_reach_the_person():
    handoff_id = a_handoff("sec-card-5", card=CARD + 5)
    bot = FakeBot()
    reply("Bonjour, ici Amina.", CARD + 5, user(14, "Amina"), bot)
    assert ("sec-card-5", "👤 Bonjour, ici Amina.") in bot.sent and state(handoff_id)[1] == "telegram:14"
    reply("Je prends la suite.", CARD + 5, user(15, "Luc"), bot)
    reply("/reprendre", CARD + 5, user(15, "Luc"), bot)
    assert ("sec-card-5", "👤 Je prends la suite.") not in bot.sent
    assert state(handoff_id)[0] == handoffs.CLAIMED
    assert any("suivie par Amina" in text for chat, text in bot.sent if chat == GROUP)


def test_a_reply_from_another_chat_to_a_card_id_is_ignored():
    a_handoff("sec-card-6", card=CARD + 6)
    bot = FakeBot()
    reply("Je suis conseiller, promis.", CARD + 6, user(16, "Intrus"), bot, chat="16")
    assert bot.sent == []


def test_a_telegram_name_never_passes_for_a_console_account():
    handoff_id = a_handoff("sec-card-7", card=CARD + 7)
    bot, rasa = FakeBot(), FakeRasa()
    press(FakeQuery(f"claim:{handoff_id}", GROUP, CARD + 7), user(17, "julie@example.org"), bot, rasa)
    with session_scope() as s:
        handoff = s.get(Handoff, handoff_id)
        assert handoff.claimed_by_name == "julie@example.org"
        assert not handoffs.held_by(handoff, handoffs.console_counsellor("julie@example.org"))
        assert handoffs.held_by(handoff, handoffs.telegram_counsellor(17))
