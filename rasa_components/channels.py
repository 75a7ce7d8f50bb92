"""The REST channel behind a shared secret. Rasa's own REST channel takes any `sender`
from anyone who reaches it, and the sender is the person's Telegram chat id: whoever
could post to it could read a person's report, erase their data or obtain a mentor's
contact by posing as them. Only the Telegram bridge and the console hold the token.

credentials.yml: `rasa_components.channels.TokenRestInput:` (mounted at
/webhooks/rest/webhook, like the stock channel); the token is RASA_TOKEN."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from app.settings import get_settings
from rasa_components.turns import ActionServerUnavailable, StoreUnavailable, guard_agent, handle_once

logger = logging.getLogger(__name__)

# How long a sender should wait before sending a message again that could not be handled.
RETRY_AFTER_SECONDS = 2


def bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def constant_time_equal(given: str, token: str) -> bool:
    """An empty token on the server refuses everyone."""
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def read_message(body: Any) -> tuple[str, str, dict[str, Any] | None, str | None] | str:
    """(sender, text, metadata, message_id) from a request body, or what is wrong with it.
    `message_id` names the message so that sending it again never handles it twice."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    sender, text = body.get("sender"), body.get("message")
    metadata, message_id = body.get("metadata"), body.get("message_id")
    if not isinstance(sender, str) or not sender or not isinstance(text, str):
        return "'sender' (non-empty) and 'message' must be strings"
    if metadata is not None and not isinstance(metadata, dict):
        return "'metadata' must be an object"
    if message_id is not None and (not isinstance(message_id, str) or not 0 < len(message_id) <= 100):
        return "'message_id' must be a string of 1 to 100 characters"
    return sender, text, metadata, message_id


def unavailable(reason: str) -> response.HTTPResponse:
    return response.json(
        {"error": "unavailable", "reason": reason, "retry_after": RETRY_AFTER_SECONDS},
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


class TokenRestInput(InputChannel):
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
        # on_new_message is Agent.handle_message; handle_once does the same, once per message.
        webhook = Blueprint("custom_webhook_TokenRestInput", __name__)

        @webhook.middleware("request")
        async def require_token(request: Request) -> response.HTTPResponse | None:
            if request.method == "GET":  # the channel's health check says nothing about anyone
                return None
            if not constant_time_equal(bearer_token(request.headers.get("Authorization")), self.token):
                return response.json({"error": "unauthorised"}, status=401)
            return None

        @webhook.listener("after_server_start")
        async def guard(app: Any, loop: Any) -> None:  # the agent is loaded before the server starts
            if app.ctx.agent is not None:
                guard_agent(app.ctx.agent)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> response.HTTPResponse:
            try:
                body = request.json
            except Exception:  # sanic raises its own error on a body that is not JSON
                body = None
            read = read_message(body)
            if isinstance(read, str):
                return response.json({"error": read}, status=400)
            sender, text, metadata, message_id = read
            message = UserMessage(
                text, CollectingOutputChannel(), sender, input_channel=self.name(), metadata=metadata,
                message_id=message_id,
            )  # fmt: skip
            agent = request.app.ctx.agent
            if agent is None or not agent.is_ready():
                return unavailable("model not loaded")
            try:
                return response.json(await handle_once(agent, message))
            except ActionServerUnavailable as error:
                logger.warning("Turn of %s dropped, to be sent again: %s", sender, error)
                return unavailable("action server")
            except StoreUnavailable as error:
                logger.error("Turn of %s dropped, to be sent again: %s", sender, error)
                return unavailable("tracker store")
            except Exception:  # e.g. the tracker or lock store (database, Redis) is down: nothing was kept
                logger.exception("Turn of %s failed, to be sent again", sender)
                return unavailable("internal error")

        return webhook
