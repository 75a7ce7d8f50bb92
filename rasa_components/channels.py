"""The REST channel behind a shared secret. Rasa's own REST channel takes any `sender`
from anyone who reaches it, and the sender is the person's Telegram chat id: whoever
could post to it could read a person's report, erase their data or obtain a mentor's
contact by posing as them. Only the Telegram bridge and the console hold the token.

credentials.yml: `rasa_components.channels.TokenRestInput:` (mounted at
/webhooks/rest/webhook, like the stock channel); the token is RASA_TOKEN."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from app.settings import get_settings


def bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def constant_time_equal(given: str, token: str) -> bool:
    """An empty token on the server refuses everyone."""
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


class TokenRestInput(RestInput):
    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("RASA_TOKEN is empty: the REST channel would be open to anyone")
        self.token = token

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TokenRestInput:
        return cls((credentials or {}).get("token") or get_settings().rasa_token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def require_token(request: Request) -> response.HTTPResponse | None:
            if request.method == "GET":  # the channel's health check says nothing about anyone
                return None
            if not constant_time_equal(bearer_token(request.headers.get("Authorization")), self.token):
                return response.json({"error": "unauthorised"}, status=401)
            return None

        return webhook
