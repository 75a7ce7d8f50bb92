"""One person's message, handled once and whole, even when a process dies.

Two guarantees the REST channel (channels.py) builds on:
- **A turn whose action server is down is not kept.** Rasa's processor catches every error
  of a custom action, logs "the action's events are lost" and saves the half-done turn: the
  form loses its answer and the person gets nothing. Here, an action server that cannot be
  reached aborts the turn before it is saved, and the channel answers 503, so the sender
  (the bridge, the web chat) tells the person to wait a moment and sends the same message again.
- **A turn whose tracker store is down is not kept either.** Rasa's FailSafeTrackerStore
  would go on with an empty tracker kept in the process's memory: the person would be
  greeted as a stranger, and the turn lost when the database is back. Here the error goes
  through, and the channel answers 503 as above.
- **A message sent again is not handled twice.** A client that lost the answer (a replica
  killed after saving the turn, a dropped connection) sends the message again with the same
  `message_id`, and so does the front when a replica answered 503; under the conversation's
  lock, the answer kept in the tracker is returned instead of handling it a second time.

And one convenience: **a choice typed among the last buttons offered is handled as their
tap** ("l'emploi", "2", "empl": app/choices.py), and a typed choice that could be several
buttons is answered with those buttons. The tracker read for it is the one the turn uses.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import aiohttp
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from actions.messages import text
from app.choices import TYPED_CHOICE, Ambiguous, offered, pick
from app.settings import SEND_AGAIN_STATUSES
from app.tracker_store import reused_in_turn

logger = logging.getLogger(__name__)

_abort_when_unavailable: ContextVar[bool] = ContextVar("abort_when_unavailable", default=False)


class ActionServerUnavailable(BaseException):
    """A BaseException on purpose: Rasa's processor swallows every Exception of a custom
    action and saves the turn without its events; this one passes through, so the turn is
    dropped unsaved (the conversation's lock is still released by its context manager)."""


class StoreUnavailable(Exception):
    """The tracker store failed: the turn is dropped rather than kept in memory."""


def store_unreachable(error: Exception) -> bool:
    """The database or Redis cannot be reached (rather than a tracker it cannot read)."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

    unreachable = (OperationalError, InterfaceError, DisconnectionError, RedisConnectionError, RedisTimeoutError)
    return isinstance(error, unreachable)


def refuse_fallback(error: Exception) -> None:
    """An unreachable store refuses the turn, to be sent again once it is back. Any other
    error (a stored conversation that cannot be read) is logged, and Rasa goes on as it
    would: sending that person's messages again would never help."""
    if store_unreachable(error):
        raise StoreUnavailable(f"tracker store: {error}") from error
    logger.error("tracker store error, the conversation starts afresh: %r", error)


class WatchedActionEndpoint(EndpointConfig):
    """The action server's endpoint, which aborts the channel's turn when the server
    cannot be reached. Calls outside a channel turn (the HTTP API's external events) keep
    Rasa's own behaviour and their own error handling."""

    @classmethod
    def watching(cls, endpoint: EndpointConfig) -> WatchedActionEndpoint:
        return cls(
            url=endpoint.url,
            params=endpoint.params,
            headers=endpoint.headers,
            basic_auth=endpoint.basic_auth,
            token=endpoint.token,
            token_name=endpoint.token_name,
            cafile=endpoint.cafile,
            **endpoint.kwargs,
        )

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().request(*args, **kwargs)
        except ClientResponseError as error:
            if _abort_when_unavailable.get() and error.status in SEND_AGAIN_STATUSES:
                raise ActionServerUnavailable(f"action server answered {error.status}") from error
            raise
        except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as error:
            if _abort_when_unavailable.get():
                raise ActionServerUnavailable(f"action server unreachable: {error!r}") from error
            raise


def guard_agent(agent: Agent) -> None:
    """Installed on the agent once it is loaded (and again after a model reload): the
    watched action endpoint, and a fail-safe tracker store that fails instead of falling
    back (its `on_tracker_store_error` callback, called in place of the fallback's log line,
    raises)."""
    processor = agent.processor
    endpoint = processor.action_endpoint if processor is not None else None
    if endpoint is not None and not isinstance(endpoint, WatchedActionEndpoint):
        processor.action_endpoint = WatchedActionEndpoint.watching(endpoint)
    for store in {agent.tracker_store, getattr(processor, "tracker_store", None)}:
        if isinstance(store, FailSafeTrackerStore):
            store._on_tracker_store_error = refuse_fallback


@contextmanager
def aborting_when_unavailable() -> Iterator[None]:
    token = _abort_when_unavailable.set(True)
    try:
        yield
    finally:
        _abort_when_unavailable.reset(token)


def answer_already_given(tracker: DialogueStateTracker | None, message_id: str) -> list[dict[str, Any]] | None:
    """The bot's messages that followed the message `message_id`, as the REST channel
    sends them; None when that message was never handled."""
    if tracker is None:
        return None
    answer: list[dict[str, Any]] | None = None
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if answer is not None:
                break
            if event.message_id == message_id:
                answer = []
        elif answer is not None and isinstance(event, BotUttered):
            answer.append(rest_message(tracker.sender_id, event))
    return answer


def rest_message(recipient_id: str, event: BotUttered) -> dict[str, Any]:
    """The shape of rasa's CollectingOutputChannel: only the parts the message has."""
    message: dict[str, Any] = {"recipient_id": recipient_id}
    if event.text:
        message["text"] = event.text
    for part in ("buttons", "image", "attachment", "custom"):
        if event.data.get(part):
            message[part] = event.data[part]
    return message


def buttons_offered(tracker: DialogueStateTracker | None) -> list[dict[str, Any]]:
    """The buttons of the bot's messages since the person's last message, in the order shown."""
    buttons: list[dict[str, Any]] = []
    for event in reversed(tracker.events if tracker is not None else []):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            buttons[:0] = event.data.get("buttons") or []
    return buttons


def take_typed_choice(tracker: DialogueStateTracker | None, message: UserMessage) -> list[dict[str, Any]] | None:
    """A typed choice among the buttons offered becomes their tap: the message's text is
    replaced by the button's payload, the words typed kept in its metadata. A choice that
    could be several buttons gets its answer here, with those buttons; nothing of it is kept,
    so the next message is still read against the same buttons (their numbers repeated)."""
    picked = pick(message.text or "", offered(buttons_offered(tracker)))
    if isinstance(picked, Ambiguous):
        language = "en" if tracker is not None and tracker.get_slot("language") == "en" else "fr"
        question = "\n".join([text("which_choice", language), *picked.lines()])
        return [{"recipient_id": message.sender_id, "text": question, "buttons": picked.buttons()}]
    if picked is not None:
        message.metadata = {**(message.metadata or {}), TYPED_CHOICE: message.text}
        message.text = picked.payload
    return None


async def handle_once(agent: Agent, message: UserMessage) -> list[dict[str, Any]]:
    """The answer to the message, handled under the conversation's lock like
    Agent.handle_message; for a message already handled (the same `message_id`), the answer
    it got. Raises ActionServerUnavailable when the turn was dropped."""
    guard_agent(agent)
    async with agent.lock_store.lock(message.sender_id):
        tracker = await agent.tracker_store.retrieve(message.sender_id)
        earlier = answer_already_given(tracker, message.message_id)
        if earlier is not None:
            return earlier
        which_one = take_typed_choice(tracker, message)
        if which_one is not None:
            return which_one
        with aborting_when_unavailable(), reused_in_turn(message.sender_id, tracker):
            return await agent.processor.handle_message(message) or []
