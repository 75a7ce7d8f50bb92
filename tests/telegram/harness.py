"""Test harness for the Telegram bridge: the Bot API emulator (telegram-test-api, run
by emulator.js), a user who talks to it, and a switchable TCP forwarder that makes
Rasa unreachable for the bridge and reachable again."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests


@dataclass
class TelegramUser:
    """A person in a private chat with the bot, through the emulator's client API."""

    api: str
    token: str
    chat_id: int
    language_code: str = "fr"
    chat_type: str = "private"
    _seen: list[dict[str, Any]] = field(default_factory=list)

    def _common(self) -> dict[str, Any]:
        user = {"id": self.chat_id, "first_name": "Test", "is_bot": False, "language_code": self.language_code}
        return {
            "botToken": self.token,
            "from": user,
            "chat": {"id": self.chat_id, "type": self.chat_type},
            "date": int(time.time()),
        }

    def say(self, text: str) -> None:
        self._post("/sendMessage", {**self._common(), "text": text})

    def command(self, text: str) -> None:
        length = len(text.split()[0])
        self._post(
            "/sendCommand",
            {**self._common(), "text": text, "entities": [{"offset": 0, "length": length, "type": "bot_command"}]},
        )

    def reply_to(self, message: dict[str, Any], text: str) -> None:
        """Answer a bot message with Telegram's "reply" (as counsellors answer a card)."""
        original = {
            "message_id": message["message_id"],
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": self.chat_type},
        }
        self._post("/sendMessage", {**self._common(), "text": text, "reply_to_message": original})

    def send(self, **message: Any) -> None:
        """Any other kind of message (sticker, location…)."""
        self._post("/sendMessage", {**self._common(), **message})

    def press(self, title: str) -> None:
        """Press the button with this title on the last message that had buttons."""
        for message in reversed(self._seen):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == title:
                        common = self._common()
                        query = {"botToken": self.token, "from": common["from"], "message": {"chat": common["chat"]},
                                 "date": common["date"], "data": button["callback_data"]}  # fmt: skip
                        self._post("/sendCallback", query)
                        return
        raise AssertionError(f"no button {title!r} in {[m.get('text') for m in self._seen]}")

    def replies(self, count: int = 1, timeout: float = 30.0, quiet: float = 1.0) -> list[dict[str, Any]]:
        """At least `count` new bot messages, then whatever else comes within `quiet` seconds."""
        got: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        last_new = time.monotonic()
        while time.monotonic() < deadline:
            result = self._post("/getUpdates", {"token": self.token, "chatId": self.chat_id})["result"]
            if result:
                got += [{**update["message"], "message_id": update["messageId"]} for update in result]
                last_new = time.monotonic()
            elif len(got) >= count and time.monotonic() - last_new >= quiet:
                break
            time.sleep(0.1)
        self._seen += got
        return got

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = requests.post(self.api + path, json=body, timeout=10)
        response.raise_for_status()
        return response.json()


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


class SwitchableForwarder:
    """Forwards a local port to Rasa; `cut()` makes Rasa unreachable, `restore()` back."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def retarget(self, port: int) -> None:
        """Forward to another Rasa server from now on."""
        self.cut()
        self.target_port = port
        self.restore()

    def cut(self) -> None:
        if self._listener:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        for connection in self._connections:
            connection.close()
        self._connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:  # Rasa is down: the bridge sees the connection fail, as it would
                client.close()
                continue
            self._connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
