"""Hole 2: the assistant's own ports. Rasa and the action server listen on loopback, the
REST channel refuses any caller without the token (whoever reached it could pose as any
person: read their report, erase their data, obtain a mentor's contact), and the action
server refuses any call that does not come from Rasa."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
from rasa.utils.endpoints import read_endpoint_config

from app.settings import ROOT, Settings, channel_headers
from rasa_components.channels import TokenRestInput, bearer_token, constant_time_equal

pytestmark = pytest.mark.servers


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (Linux /proc/net)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port and len(address) == width:
                found.add(address)
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1


def test_rasa_and_the_action_server_listen_on_loopback_only(servers):
    for url in (servers.rasa_url, servers.action_url):
        addresses = listening_addresses(urlparse(url).port)
        assert addresses and addresses <= LOOPBACK, (url, addresses)


def test_posing_as_a_person_on_the_rest_channel_is_refused(servers):
    webhook = f"{servers.rasa_url}/webhooks/rest/webhook"
    victim = {"sender": "555000111", "message": "/delete_my_data"}
    assert requests.post(webhook, json=victim, timeout=30).status_code == 401
    assert requests.post(webhook, json=victim, headers=channel_headers("devine"), timeout=30).status_code == 401
    assert requests.post(webhook, json=victim, params={"token": servers.token}, timeout=30).status_code == 401
    # The bridge and the console hold the token: they are answered.
    assert servers.say("sec-channel-1", "bonjour")


def test_the_action_server_runs_nothing_for_a_caller_without_the_token(servers):
    call = {"next_action": "action_erase_my_data", "sender_id": "555000111", "tracker": {}, "domain": {}}
    assert requests.post(f"{servers.action_url}/webhook", json=call, timeout=30).status_code == 401
    wrong = requests.post(f"{servers.action_url}/webhook", params={"token": "devine"}, json=call, timeout=30)
    assert wrong.status_code == 401
    assert requests.get(f"{servers.action_url}/actions", timeout=30).status_code == 401
    assert requests.get(f"{servers.action_url}/health", timeout=30).ok  # says nothing about anyone


def test_rasa_sends_the_token_the_action_server_expects(monkeypatch):
    """The project's endpoints.yml, as Rasa reads it: the token comes from RASA_TOKEN (a quoted
    "${RASA_TOKEN}" would be sent as those very characters, and every action refused)."""
    monkeypatch.setenv("RASA_TOKEN", "s3cret-of-this-run")
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    assert endpoint.token == Settings.from_env().rasa_token == "s3cret-of-this-run"


def test_loopback_is_the_default_of_every_listening_address(monkeypatch):
    monkeypatch.delenv("INTERNAL_HOST", raising=False)
    monkeypatch.delenv("CONSOLE_HOST", raising=False)
    settings = Settings.from_env()
    assert (settings.internal_host, settings.console_host) == ("127.0.0.1", "127.0.0.1")


@pytest.mark.parametrize(
    ("header", "ok"),
    [("Bearer s3cret", True), ("bearer s3cret", True), ("Bearer s3cre", False), ("s3cret", False), (None, False)],
)
def test_the_channel_token_check(header, ok):
    assert constant_time_equal(bearer_token(header), "s3cret") is ok


def test_a_channel_without_a_token_refuses_to_start():
    with pytest.raises(ValueError):
        TokenRestInput("")
    assert not constant_time_equal("", "")
