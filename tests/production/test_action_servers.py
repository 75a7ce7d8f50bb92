"""The action servers killed in the middle of a form: the answer given meanwhile is not
lost nor half-handled. The channel says "not now" (503 with a delay), the bridge tells the
person it is a bit slow and sends the message again; once the action servers are back, the
form goes on from that answer, and nothing is answered twice."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
import requests

from app.rasa_client import RasaClient, RasaUnavailable
from app.settings import channel_headers
from tests.production.conftest import TOKEN, Production

pytestmark = pytest.mark.servers


def send(production: Production, who: str, text: str, message_id: str) -> requests.Response:
    return requests.post(
        f"{production.front}/webhooks/rest/webhook",
        json={"sender": who, "message": text, "message_id": message_id},
        headers=channel_headers(TOKEN),
        timeout=120,
    )


def asked(production: Production, who: str) -> str | None:
    return production.tracker(who)["slots"].get("requested_slot")


def test_killing_the_action_servers_mid_form_keeps_the_answer_for_when_they_are_back(whole_again: Production):
    production = whole_again
    who = f"prod-form-{uuid.uuid4().hex[:10]}"
    production.conversations({who: ["bonjour", "/give_consent", '/choose_theme{"theme": "eligibility"}',
                                    '/inform{"choice": "permanent_resident"}']})  # fmt: skip
    assert asked(production, who) == "q_eligibility_arrival_year"
    turns_before = production.user_turns(who)

    production.stack.kill("actions1")
    production.stack.kill("actions2")
    answer_id = uuid.uuid4().hex
    refused = send(production, who, "2023", answer_id)
    assert refused.status_code == 503
    assert refused.json()["retry_after"] > 0 and refused.headers["Retry-After"]
    # The bridge reads that as "not now": the message waits in its inbox and the person is
    # told once that the answer is delayed (tests/bot/test_delivery.py).
    with pytest.raises(RasaUnavailable):
        asyncio.run(RasaClient(production.front, TOKEN).send(who, "2023", {}, message_id=answer_id))
    assert production.user_turns(who) == turns_before  # nothing kept of the dropped turn
    assert asked(production, who) == "q_eligibility_arrival_year"

    production.stack.restart("actions1")
    production.stack.restart("actions2")
    replies = send_until_handled(production, who, "2023", answer_id)
    assert "Comment est votre français?" in " ".join(r.get("text", "") for r in replies)
    assert asked(production, who) == "q_eligibility_french"
    assert production.tracker(who)["slots"]["q_eligibility_arrival_year"] in (2023, "2023")
    turns = production.user_turns(who)
    assert [text for text, _ in turns] == [text for text, _ in turns_before] + ["2023"]  # once

    # The same message once more (its answer was lost on the way): the same answer, not a second turn.
    again = send(production, who, "2023", answer_id).json()
    assert again == replies
    assert len(production.user_turns(who)) == len(turns)


def send_until_handled(production: Production, who: str, text: str, message_id: str) -> list[dict]:
    """What the bridge does: the same message, under its name, until the front stops saying "not now"."""
    for _ in range(60):
        response = send(production, who, text, message_id)
        if response.status_code != 503:
            response.raise_for_status()
            return response.json()
        time.sleep(0.5)
    raise AssertionError("still refused after 30 s")
