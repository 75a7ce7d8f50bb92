"""The console's chat pages send a message again, under the same name, while Rasa says it
could not handle it yet (a replica or the action server restarting): the person's message
is not lost, and never handled twice."""

from __future__ import annotations

import json

import httpx

from console import rasa
from console.rasa import converse, hand_back
from tests.console.conftest import rasa_answering

SETTINGS = type("S", (), {"rasa_url": "http://rasa", "rasa_token": "t"})()


def test_a_message_not_handled_yet_is_sent_again_under_its_name(monkeypatch):
    received = rasa_answering(
        monkeypatch, httpx.Response(503), httpx.Response(502), httpx.Response(200, json=[{"text": "Bonjour!"}])
    )
    assert converse(SETTINGS, "web-1", "bonjour") == [{"text": "Bonjour!", "buttons": []}]
    sent = [json.loads(r.content) for r in received]
    assert len({m["message_id"] for m in sent}) == 1
    assert {r.headers["Authorization"] for r in received} == {"Bearer t"}
    assert all("token" not in r.url.params for r in received)  # the channel's token is never in a URL


def test_the_page_is_told_the_assistant_is_unavailable_when_it_stays_down(monkeypatch):
    received = rasa_answering(monkeypatch, *[httpx.Response(503)] * (rasa.SEND_AGAIN + 1))
    assert converse(SETTINGS, "web-1", "bonjour") is None
    assert len(received) == rasa.SEND_AGAIN + 1


def test_a_message_rasa_failed_on_is_not_sent_again(monkeypatch):
    received = rasa_answering(monkeypatch, httpx.Response(500))
    assert converse(SETTINGS, "web-1", "bonjour") is None
    assert len(received) == 1


def test_handing_back_resumes_the_conversation_through_the_api(monkeypatch):
    received = rasa_answering(monkeypatch, httpx.Response(200, json={}), httpx.Response(500))
    assert hand_back(SETTINGS, "tg-1") is True
    assert hand_back(SETTINGS, "tg-1") is False
    first = received[0]
    assert (first.url.path, first.url.params["token"], json.loads(first.content)) == (
        "/conversations/tg-1/tracker/events",
        "t",
        {"event": "resume"},
    )
