"""The Rasa server as the console talks to it: the REST channel (the chat pages) and the
HTTP API (handing a conversation back to the assistant)."""

from __future__ import annotations

from typing import Any

import requests

from app.settings import Settings, channel_headers

# matplotlib styles its SVG shapes inline; these pictures are served with this policy.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def converse(
    settings: Settings, sender: str, message: str, metadata: dict[str, Any] | None = None
) -> list[dict] | None:
    """The assistant's replies (text and buttons only), or None when it does not answer."""
    try:
        response = requests.post(
            f"{settings.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message, **({"metadata": metadata} if metadata else {})},
            headers=channel_headers(settings.rasa_token),
            timeout=30,
        )
        response.raise_for_status()
    except requests.RequestException:
        return None
    return [{"text": r.get("text") or "", "buttons": r.get("buttons") or []} for r in response.json()]


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
