"""The one client of the Rasa server, for the bridge and the console: the REST channel (a
person's message), and the HTTP API (resume a conversation a counsellor gives back, trigger a
follow-up as an external event). Rasa sits behind its token (README: Security)."""

from __future__ import annotations

from typing import Any

import httpx

from app.settings import SEND_AGAIN_STATUSES, channel_headers


class RasaUnavailable(Exception):
    """Rasa (or its action server) did not handle the call: the bridge keeps the message and
    sends it again later. `send_again` says whether doing so at once makes sense: Rasa could not
    be reached, or asked for it (a replica or the action server restarting), rather than having
    failed on this message or taken too long."""

    def __init__(self, reason: str, send_again: bool = True) -> None:
        super().__init__(reason)
        self.send_again = send_again


class RasaClient:
    def __init__(
        self,
        base_url: str,
        token: str = "",
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)
        self._token = token

    async def __aenter__(self) -> RasaClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def send(
        self, sender: str, text: str, metadata: dict[str, Any], message_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The answer to one message. `message_id` names it, so that sending it again (after
        a failure) gets the answer it already had instead of a second one."""
        body: dict[str, Any] = {"sender": sender, "message": text, "metadata": metadata}
        if message_id:
            body["message_id"] = message_id
        response = await self._call("POST", "/webhooks/rest/webhook", json=body, headers=channel_headers(self._token))
        return response.json()

    async def resume(self, sender: str) -> None:
        """Un-pause a conversation a counsellor gives back."""
        await self._call(
            "POST", f"/conversations/{sender}/tracker/events", params=self._api_token, json={"event": "resume"}
        )

    async def trigger(self, sender: str, intent: str, entities: dict[str, str]) -> list[dict[str, Any]]:
        """An external event (Rasa's trigger_intent): the messages it produces, collected."""
        response = await self._call(
            "POST",
            f"/conversations/{sender}/trigger_intent",
            params=self._api_token,
            json={"name": intent, "entities": entities},
        )
        return response.json().get("messages") or []

    async def close(self) -> None:
        await self._client.aclose()

    @property
    def _api_token(self) -> dict[str, str]:
        """Rasa's HTTP API takes its token as a parameter; the REST channel, as a header."""
        return {"token": self._token}

    async def _call(self, method: str, path: str, **request: Any) -> httpx.Response:
        try:
            response = await self._client.request(method, path, **request)
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error) or type(error).__name__, isinstance(error, httpx.ConnectError)) from error
        if response.status_code >= 500:
            status = response.status_code
            raise RasaUnavailable(f"Rasa answered {status}", status in SEND_AGAIN_STATUSES)
        response.raise_for_status()
        return response
