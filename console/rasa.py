"""The Rasa server as the console talks to it: the REST channel (the chat pages) and the
HTTP API (handing a conversation back to the assistant)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import requests

from app.settings import SEND_AGAIN_STATUSES, Settings, channel_headers

# matplotlib styles its SVG shapes inline; these pictures are served with this policy.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


# A page waits this long for a message that could not be handled yet (a replica or the
# action server restarting) before saying the assistant is unavailable.
SEND_AGAIN = 3
SEND_AGAIN_AFTER_SECONDS = 1.5


def converse(
    settings: Settings, sender: str, message: str, metadata: dict[str, Any] | None = None
) -> list[dict] | None:
    """The assistant's replies (text and buttons only), or None when it does not answer.
    Sent again, under the same name, while Rasa says it could not handle it yet."""
    body = {"sender": sender, "message": message, "message_id": uuid.uuid4().hex, "metadata": metadata or {}}
    for attempt in range(SEND_AGAIN + 1):
        try:
            response = requests.post(
                f"{settings.rasa_url}/webhooks/rest/webhook",
                json={**body, "retry": attempt > 0},
                headers=channel_headers(settings.rasa_token),
                timeout=30,
            )
            if response.status_code not in SEND_AGAIN_STATUSES:
                response.raise_for_status()
                return [{"text": r.get("text") or "", "buttons": r.get("buttons") or []} for r in response.json()]
        except requests.ConnectionError:
            pass
        except requests.RequestException:
            return None
        time.sleep(SEND_AGAIN_AFTER_SECONDS)
    return None


def hand_back(settings: Settings, sender_id: str) -> bool:
    """The assistant answers this person again (Rasa's `resume` event)."""
    try:
        response = requests.post(
            f"{settings.rasa_url}/conversations/{sender_id}/tracker/events",
            params={"token": settings.rasa_token},
            json={"event": "resume"},
            timeout=10,
        )
        return response.ok
    except requests.RequestException:
        return False
