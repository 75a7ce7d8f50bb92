"""The console's chat pages send a message again, under the same name, while Rasa says it
could not handle it yet (a replica or the action server restarting): the person's message
is not lost, and never handled twice."""

from __future__ import annotations

from console import rasa
from console.rasa import converse


class Reply:
    def __init__(self, status_code: int, replies: list | None = None) -> None:
        self.status_code, self._replies = status_code, replies or []

    def raise_for_status(self) -> None:
        assert self.status_code < 400

    def json(self) -> list:
        return self._replies


def test_a_message_not_handled_yet_is_sent_again_as_a_retry(monkeypatch):
    answers = [Reply(503), Reply(502), Reply(200, [{"text": "Bonjour!"}])]
    sent = []
    monkeypatch.setattr(rasa, "SEND_AGAIN_AFTER_SECONDS", 0)
    monkeypatch.setattr("console.rasa.requests.post", lambda url, json, **_: sent.append(json) or answers.pop(0))
    settings = type("S", (), {"rasa_url": "http://rasa", "rasa_token": "t"})()
    assert converse(settings, "web-1", "bonjour") == [{"text": "Bonjour!", "buttons": []}]
    assert [m["retry"] for m in sent] == [False, True, True]
    assert len({m["message_id"] for m in sent}) == 1


def test_the_page_is_told_the_assistant_is_unavailable_when_it_stays_down(monkeypatch):
    monkeypatch.setattr(rasa, "SEND_AGAIN_AFTER_SECONDS", 0)
    monkeypatch.setattr("console.rasa.requests.post", lambda url, json, **_: Reply(503))
    settings = type("S", (), {"rasa_url": "http://rasa", "rasa_token": "t"})()
    assert converse(settings, "web-1", "bonjour") is None
