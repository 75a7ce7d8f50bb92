"""Two Rasa replicas behind the front: one conversation's messages are handled one at a
time whichever replica gets them (Redis lock store), conversations not yet consented to
follow the person from one replica to the other, and a replica killed with 50
conversations under way loses nothing and answers nothing twice."""

from __future__ import annotations

import signal
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from app.settings import channel_headers
from tests.production.conftest import TOKEN, Production

pytestmark = pytest.mark.servers

CONSENTING = ["bonjour", "/give_consent", "c'est comment la vie à Rimouski?", "et à Sherbrooke?",
              "mon permis de conduire est-il valide au Québec?", "merci"]  # fmt: skip
NOT_YET_CONSENTING = ["bonjour", "c'est comment la vie à Gaspé?", "est-ce que je peux casser mon bail?",
                      "tell me about the Eastern Townships", "merci"]  # fmt: skip


def sender(tag: str) -> str:
    return f"prod-{tag}-{uuid.uuid4().hex[:10]}"


def post_to(replica: str, who: str, text: str) -> requests.Response:
    return requests.post(
        f"http://{replica}/webhooks/rest/webhook",
        json={"sender": who, "message": text, "message_id": uuid.uuid4().hex},
        headers=channel_headers(TOKEN),
        timeout=120,
    )


@pytest.mark.parametrize("consents", [True, False], ids=["consented", "not-yet-consented"])
def test_two_messages_at_once_on_two_replicas_are_both_kept_one_after_the_other(production: Production, consents):
    who = sender("lock")
    opening = ["bonjour", "/give_consent"] if consents else ["bonjour"]
    production.conversations({who: opening})
    for round_ in range(4):
        texts = [f"c'est comment la vie à Rimouski? ({round_})", f"et à Sherbrooke? ({round_})"]
        # Each replica gets one of the two messages at the same moment.
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda r, t: post_to(r, who, t), production.addresses.rasa, texts))
        assert [a.status_code for a in answers] == [200, 200]
    turns = production.user_turns(who)
    said = [text for text, _ in turns]
    assert sorted(said[len(opening) :]) == sorted(
        f"{q} ({n})" for n in range(4) for q in ("c'est comment la vie à Rimouski?", "et à Sherbrooke?")
    )
    assert len(said) == len(opening) + 8  # nothing lost, nothing twice
    assert all(bot_messages > 0 for _, bot_messages in turns), turns  # each answered before the next began


def test_a_conversation_not_yet_consented_to_follows_the_person_across_replicas(production: Production):
    who = sender("memory")
    first, second = production.addresses.rasa
    assert post_to(first, who, "bonjour").status_code == 200
    replies = post_to(second, who, "c'est comment la vie à Rimouski?").json()
    assert "Bas-Saint-Laurent" in " ".join(r.get("text", "") for r in replies)
    assert [text for text, _ in production.user_turns(who)] == ["bonjour", "c'est comment la vie à Rimouski?"]
    # Kept in Redis's memory only: nothing in the database before consent.
    from sqlalchemy import create_engine, text

    with create_engine(production.stores.postgres.url).connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": who}).scalar_one()
    assert rows == 0


def test_killing_a_replica_under_50_conversations_loses_and_repeats_nothing(whole_again: Production):
    production = whole_again
    scripts = {sender(f"c{n}"): list(CONSENTING if n % 2 else NOT_YET_CONSENTING) for n in range(50)}
    # kill -9 the first replica once the conversations are well under way (about a third of the messages).
    result = production.conversations(scripts, meanwhile=(90, lambda: production.stack.kill("rasa1")))
    assert production.stack.processes["rasa1"].poll() == -signal.SIGKILL
    for who, script in scripts.items():
        answers = result["answers"][who]
        assert len(answers) == len(script) and all(answers), (who, answers)
        turns = production.user_turns(who)
        assert [text for text, _ in turns] == script, (who, turns)  # in order, once each
        assert all(bot_messages > 0 for _, bot_messages in turns), (who, turns)
    print(f"messages sent again after the kill: {result['retries']}")
