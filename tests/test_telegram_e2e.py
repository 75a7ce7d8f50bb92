"""The Telegram bridge end to end: a real Bot API emulator (telegram-test-api), the
bridge as `python -m bot`, and the real Rasa and action servers."""

from __future__ import annotations

import itertools
import os
import subprocess
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import select

from app.db import session_scope
from app.models import Handoff, InboundMessage
from bench.stack import RasaStack
from tests.conftest import MODEL, PYTHON, ROOT
from tests.telegram.harness import SwitchableForwarder, TelegramUser, texts

pytestmark = pytest.mark.servers

HARNESS = ROOT / "tests" / "telegram"
TOKEN = "123456:test-token"
COUNSELLORS = -1001
chat_ids = itertools.count(1000)


@pytest.fixture(scope="session")
def rasa_link(servers) -> Iterator[SwitchableForwarder]:
    forwarder = SwitchableForwarder(int(servers.rasa_url.rsplit(":", 1)[1]))
    forwarder.restore()
    yield forwarder
    forwarder.cut()


@pytest.fixture(scope="session")
def bridge(servers, emulator, rasa_link, database_url, tmp_path_factory) -> Iterator[None]:
    log = tmp_path_factory.mktemp("bridge") / "bridge.log"
    env = {
        **os.environ,
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emulator,
        "RASA_URL": f"http://127.0.0.1:{rasa_link.port}",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "RASA_TOKEN": servers.token,
        "COUNSELLOR_CHAT_ID": str(COUNSELLORS),
    }
    env.pop("TELEGRAM_WEBHOOK_URL", None)
    process = subprocess.Popen([PYTHON, "-m", "bot"], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        probe = TelegramUser(emulator, TOKEN, next(chat_ids))
        probe.command("/aide")
        assert probe.replies(1, timeout=60), log.read_text()[-3000:]
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture()
def user(bridge, emulator) -> TelegramUser:
    return TelegramUser(emulator, TOKEN, next(chat_ids))


def test_start_gives_consent_and_menu_with_buttons_that_work(user):
    user.command("/start")
    welcome = user.replies(2)
    assert "assistant virtuel" in texts(welcome)
    assert [b["text"] for b in welcome[-1]["reply_markup"]["inline_keyboard"][0]] == ["Oui, j'accepte", "Non merci"]
    user.press("Oui, j'accepte")
    assert "Merci! C'est noté" in texts(user.replies(2))


def test_region_question_and_every_reply_in_order(user):
    user.say("c'est comment la vie à Rimouski?")
    replies = user.replies(2)
    assert "Rimouski est dans la région du Bas-Saint-Laurent" in replies[0]["text"]
    assert "Secteurs en croissance" in replies[1]["text"]
    user.press("Organismes")
    assert "Accueil et intégration Bas-Saint-Laurent" in texts(user.replies(1))


def test_commands_reach_the_assistant(user):
    user.command("/urgence")
    assert "Félicitations" in texts(user.replies(2))
    user.command("/aide")
    assert "Voici ce que je peux faire" in texts(user.replies(1))


def test_handoff_card_claim_reply_relay_and_resume(user, emulator):
    group = TelegramUser(emulator, TOKEN, COUNSELLORS, chat_type="group")
    user.command("/start")
    user.replies(2)
    user.press("Oui, j'accepte")  # the card shows the last messages only with consent
    user.replies(2)
    user.say("c'est comment la vie à Matane?")
    user.replies(2)
    user.command("/conseiller")
    assert "/reprendre" in texts(user.replies(1))
    [card] = [m for m in group.replies(1, timeout=30) if f"conversation {user.chat_id}" in (m.get("text") or "")]
    assert "a demandé à parler à quelqu'un" in card["text"] and "Matane" in card["text"]

    group.press("Je m'en occupe")
    group.reply_to(card, "Bonjour, ici Amina, conseillère. Je peux vous aider.")
    assert "Amina" in texts(user.replies(1))
    with session_scope() as session:
        handoff = session.execute(select(Handoff).where(Handoff.sender_id == str(user.chat_id))).scalar_one()
        assert handoff.status == "claimed" and handoff.claimed_by

    user.say("merci, j'ai une question sur le bail")
    relayed = group.replies(1)
    assert any("j'ai une question sur le bail" in (m.get("text") or "") for m in relayed)
    assert user.replies(0, quiet=2) == []  # the assistant stays silent while a counsellor has it

    group.reply_to(card, "/reprendre")
    assert "L'assistant reprend" in texts(user.replies(1))
    user.say("parle-moi de l'Estrie")
    assert "Estrie : 495" in texts(user.replies(2))


def test_distress_goes_to_a_person_at_once(user, emulator):
    user.say("je suis désespéré, mon propriétaire m'expulse aujourd'hui")
    reply = texts(user.replies(2))
    assert "services d'urgence" in reply and "/reprendre" in reply
    group = TelegramUser(emulator, TOKEN, COUNSELLORS, chat_type="group")
    cards = [m for m in group.replies(1, timeout=30) if f"conversation {user.chat_id}" in (m.get("text") or "")]
    assert "DÉTRESSE" in cards[0]["text"]


def test_non_text_long_and_edited_messages(user):
    user.send(sticker={"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False,
                       "is_video": False, "type": "regular"})  # fmt: skip
    assert "seulement les messages écrits" in texts(user.replies(1))
    user.say("Je veux vivre à Sherbrooke. " * 120)
    long_replies = user.replies(2)
    assert "2000 premiers caractères" in long_replies[0]["text"]
    assert "Sherbrooke" in texts(long_replies[1:])


def test_shared_location_suggests_the_nearest_municipality(user):
    user.send(location={"latitude": 48.45, "longitude": -68.52})
    assert "Vous êtes près de Rimouski (Bas-Saint-Laurent)" in texts(user.replies(1))
    user.press("Oui, la région")
    assert "199\u00a0039 habitants" in texts(user.replies(2))


def test_nothing_is_lost_while_rasa_is_unreachable(user, rasa_link):
    rasa_link.cut()
    try:
        user.say("parle-moi de l'Estrie")
        user.say("et la Mauricie?")
        notices = user.replies(1, quiet=3)
        assert len(notices) == 1 and "dès que possible" in notices[0]["text"]  # told once
    finally:
        rasa_link.restore()
    answers = texts(user.replies(4, timeout=60))
    assert answers.index("Estrie : 495") < answers.index("Mauricie : 273")  # in order
    with session_scope() as session:
        waiting = session.execute(
            select(InboundMessage).where(
                InboundMessage.chat_id == str(user.chat_id), InboundMessage.delivered_at.is_(None)
            )
        ).all()
    assert waiting == []


def test_messages_sent_while_rasa_is_stopped_are_answered_after_it_restarts(user, rasa_link, servers,
                                                                            database_url, tmp_path):  # fmt: skip
    own = RasaStack(MODEL, tmp_path, env={"DATABASE_URL": database_url}).start()
    rasa_link.retarget(int(own.rasa_url.rsplit(":", 1)[1]))
    try:
        user.say("parle-moi de l'Estrie")
        assert "Estrie : 495" in texts(user.replies(2))
        own.stop_rasa()
        user.say("et la Mauricie?")
        assert "dès que possible" in texts(user.replies(1, quiet=2))
        own.restart_rasa()
        assert "Mauricie : 273" in texts(user.replies(2, timeout=120))
    finally:
        rasa_link.retarget(int(servers.rasa_url.rsplit(":", 1)[1]))
        own.stop()


def test_bridge_requires_a_token():
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_TOKEN"}
    result = subprocess.run([PYTHON, "-m", "bot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "TELEGRAM_TOKEN" in result.stderr


def test_emulator_answers_get_me_as_telegram_does(emulator):
    me = requests.post(f"{emulator}/bot{TOKEN}/getMe", timeout=5).json()["result"]
    assert me["is_bot"] is True


def test_deep_link_payload_reaches_rasa_as_metadata(user, servers):
    user.command("/start webinar_BSL2026")
    user.replies(2)
    events = servers.tracker(str(user.chat_id))["events"]
    starts = [e for e in events if e.get("event") == "user" and e.get("text") == "/greet"]
    assert starts[-1]["metadata"]["start_payload"] == "webinar_BSL2026"
    assert starts[-1]["metadata"]["language_code"] == "fr"


def test_what_is_stored_and_erasure_from_telegram(user):
    user.command("/start")
    user.replies(2)
    user.press("Oui, j'accepte")
    user.replies(2)
    user.command("/mesdonnees")
    stored = texts(user.replies(1))
    assert "accord donné le" in stored and "messages de la conversation" in stored
    user.command("/supprimer")
    user.replies(1)
    user.press("Oui, tout effacer")
    assert "effacées" in texts(user.replies(1))
    user.command("/mesdonnees")
    assert "ne gardons rien" in texts(user.replies(1))
