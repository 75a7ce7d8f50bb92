"""Production mode's files agree with each other: every address HAProxy and Procfile.prod
read is one the launcher sets, every process but the retention loop has a readiness route,
and internal services stay on loopback."""

from __future__ import annotations

import re

from production.stack import PROCFILE, ROOT, Addresses, production_env, read_procfile

HAPROXY = ROOT / "production" / "haproxy.cfg"
ENDPOINTS = ROOT / "production" / "endpoints.yml"


def variables(text: str) -> set[str]:
    return set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)\}?", text))


def test_every_variable_the_front_and_the_processes_read_is_set_by_the_launcher():
    env = production_env(Addresses.usual(), "postgresql://db", "redis://127.0.0.1:6380/0", "secret")
    for path in (HAPROXY, PROCFILE, ENDPOINTS):
        missing = variables(path.read_text(encoding="utf-8")) - set(env)
        assert not missing, (path.name, missing)


def test_each_process_but_the_retention_loop_has_a_readiness_route():
    addresses = Addresses.usual()
    processes = read_procfile()
    assert {"front", "actions1", "actions2", "rasa1", "rasa2", "console", "bridge1", "bridge2"} <= set(processes)
    without = {name for name in processes if addresses.health(name) is None}
    assert without == {"retention"}


def test_internal_services_listen_on_loopback_and_the_replicas_share_the_stores():
    env = production_env(Addresses.usual(), "postgresql://db", "redis://127.0.0.1:6380/0", "secret")
    for name in ("RASA_FRONT", "RASA_1", "RASA_2", "ACTIONS_FRONT", "ACTIONS_1", "ACTIONS_2", "BRIDGE_1", "BRIDGE_2"):
        assert env[name].startswith("127.0.0.1:"), name
    assert env["INTERNAL_HOST"] == "127.0.0.1"
    endpoints = ENDPOINTS.read_text(encoding="utf-8")
    assert "rasa_components.lock_store.ConversationLockStore" in endpoints and "${REDIS_URL}" in endpoints
    for replica in ("rasa1", "rasa2"):
        assert "--endpoints production/endpoints.yml" in read_procfile()[replica]
