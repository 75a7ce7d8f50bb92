"""The Rasa server, as the bridge sees it: the REST channel, and the HTTP API to resume
a paused conversation and to trigger a follow-up (an external event)."""

from __future__ import annotations

from typing import Any

import httpx

from app.settings import channel_headers


class RasaUnavailable(Exception):
    """Rasa (or its action server) did not answer: the message stays in the inbox."""


class RasaClient:
    def __init__(self, base_url: str, token: str = "", timeout: float = 30.0) -> None:
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout)
        self._token = token

    async def send(
        self, sender: str, text: str, metadata: dict[str, Any], message_id: str | None = None, retry: bool = False
    ) -> list[dict[str, Any]]:
        """The answer to one message. `message_id` names it, so that sending it again
        (`retry`, after a failure) gets the answer it already had instead of a second one."""
        body = {"sender": sender, "message": text, "metadata": metadata, "retry": retry}
        if message_id:
            body["message_id"] = message_id
        try:
            response = await self._client.post(
                "/webhooks/rest/webhook", json=body, headers=channel_headers(self._token)
            )
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        if response.status_code >= 500:
            raise RasaUnavailable(f"Rasa answered {response.status_code}")
        response.raise_for_status()
        return response.json()

    async def resume(self, sender: str) -> None:
        """Un-pause a conversation a counsellor gives back (Rasa's HTTP API)."""
        response = await self._client.post(
            f"/conversations/{sender}/tracker/events", params={"token": self._token}, json={"event": "resume"}
        )
        response.raise_for_status()

    async def trigger(self, sender: str, intent: str, entities: dict[str, str]) -> list[dict[str, Any]]:
        """An external event (Rasa's trigger_intent): the messages it produces, collected."""
        try:
            response = await self._client.post(
                f"/conversations/{sender}/trigger_intent",
                params={"token": self._token},
                json={"name": intent, "entities": entities},
            )
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        if response.status_code >= 500:
            raise RasaUnavailable(f"Rasa answered {response.status_code}")
        response.raise_for_status()
        return response.json().get("messages") or []

    async def close(self) -> None:
        await self._client.aclose()
