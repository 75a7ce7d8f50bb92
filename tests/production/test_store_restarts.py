"""PostgreSQL and Redis restarted while conversations go on: the turns that fail meanwhile
are not kept, say so in the logs, and are sent again; once the stores are back, every
message has its answer, once, in order."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.production.conftest import Production

pytestmark = pytest.mark.servers

SCRIPT = ["c'est comment la vie à Rimouski?", "et à Sherbrooke?", "est-ce que je peux casser mon bail?",
          "tell me about the Eastern Townships", "c'est comment la vie à Gaspé?", "merci"]  # fmt: skip


def test_restarting_postgresql_then_redis_under_load_loses_nothing(whole_again: Production):
    production = whole_again
    senders = [f"prod-stores-{n}-{uuid.uuid4().hex[:8]}" for n in range(20)]
    production.conversations({who: ["bonjour", "/give_consent"] for who in senders})

    def restart_the_stores() -> None:
        production.stores.postgres.restart()
        time.sleep(2)
        production.stores.redis.restart()

    result = production.conversations({who: list(SCRIPT) for who in senders}, meanwhile=(30, restart_the_stores))
    for who in senders:
        assert len(result["answers"][who]) == len(SCRIPT) and all(result["answers"][who]), who
        turns = production.user_turns(who)
        assert [text for text, _ in turns] == ["bonjour", "/give_consent", *SCRIPT], (who, turns)
        assert all(bot_messages > 0 for _, bot_messages in turns), (who, turns)
    logs = "".join(production.stack.log_tail(name, 400_000) for name in ("rasa1", "rasa2"))
    assert "to be sent again" in logs  # the failed turns, said plainly
    print(f"messages sent again while the stores restarted: {result['retries']}")
