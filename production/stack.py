"""Starts, watches and stops what Procfile.prod lists, with the environment its commands
and production/haproxy.cfg read. `make run-prod`, the production tests and the benchmark
all start production mode through here, so they run the processes that file says."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from production.services import free_port

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "Procfile.prod"
# The lock of a conversation outlives a replica killed while holding it by this much: the
# conversation's next message waits at most that long (rasa_components/lock_store.py).
LOCK_LIFETIME_SECONDS = 10
# The start order: a process comes after those it calls.
ORDER = ("actions", "rasa", "console", "bridge", "front", "retention")


def read_procfile(path: Path = PROCFILE) -> dict[str, str]:
    processes = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            processes[name.strip()] = command.strip()
    return processes


@dataclass(frozen=True)
class Addresses:
    """Where each process listens (host:port), all on loopback unless the public front is told otherwise."""

    rasa_front: str
    rasa: tuple[str, str]
    actions_front: str
    actions: tuple[str, str]
    public_front: str
    bridges: tuple[str, str]
    console: str

    @classmethod
    def usual(cls, public_front: str = "127.0.0.1:8000") -> Addresses:
        local = "127.0.0.1:{}".format
        return cls(local(5005), (local(5006), local(5007)), local(5055), (local(5056), local(5057)),
                   public_front, (local(8443), local(8444)), local(8080))  # fmt: skip

    @classmethod
    def free(cls) -> Addresses:
        def local() -> str:
            return f"127.0.0.1:{free_port()}"

        return cls(local(), (local(), local()), local(), (local(), local()), local(), (local(), local()), local())

    def env(self) -> dict[str, str]:
        env = {"RASA_FRONT": self.rasa_front, "ACTIONS_FRONT": self.actions_front, "PUBLIC_FRONT": self.public_front,
               "CONSOLE": self.console, "CONSOLE_PORT": port(self.console)}  # fmt: skip
        for n in (1, 2):
            for name, pair in (("RASA", self.rasa), ("ACTIONS", self.actions), ("BRIDGE", self.bridges)):
                env[f"{name}_{n}"] = pair[n - 1]
                env[f"{name}_{n}_PORT"] = port(pair[n - 1])
        return env

    def health(self, name: str) -> str | None:
        """The readiness URL of a process of Procfile.prod (None: nothing to ask)."""
        number = int(name[-1]) - 1 if name[-1].isdigit() else 0
        return {
            "actions": f"http://{self.actions[number]}/health",
            "rasa": f"http://{self.rasa[number]}/webhooks/rest/",
            "console": f"http://{self.console}/healthz",
            "bridge": f"http://{self.bridges[number]}/healthz",
            "front": f"http://{self.rasa_front}/webhooks/rest/",
        }.get(kind(name))


def port(address: str) -> str:
    return address.rpartition(":")[2]


def production_env(addresses: Addresses, database_url: str, redis_url: str, token: str) -> dict[str, str]:
    """What every process of Procfile.prod reads, on top of the operator's environment."""
    return {
        **addresses.env(),
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "INTERNAL_HOST": "127.0.0.1",
        "RASA_TOKEN": token,
        "RASA_URL": f"http://{addresses.rasa_front}",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
        # The console sees people through the front: their address is the one it forwards.
        "TRUSTED_PROXY": "127.0.0.1",
    }


def kind(name: str) -> str:
    return name.rstrip("12")


@dataclass
class ProductionStack:
    addresses: Addresses
    env: dict[str, str]
    logs: Path
    names: tuple[str, ...] = ()  # empty: every process of Procfile.prod
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @staticmethod
    def procfile_names() -> tuple[str, ...]:
        return tuple(read_procfile())

    def __post_init__(self) -> None:
        commands = read_procfile()
        chosen = self.names or tuple(commands)
        self.commands = {name: commands[name] for name in sorted(chosen, key=lambda n: ORDER.index(kind(n)))}
        self.logs.mkdir(parents=True, exist_ok=True)
        venv_bin = str(Path(sys.executable).parent)
        self._env = {**os.environ, **self.env, "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}:/usr/sbin"}

    def start(self, timeout: float = 300) -> ProductionStack:
        try:
            for name in self.commands:
                self.spawn(name)
            for name in self.commands:
                self.wait_ready(name, timeout)
        except Exception:
            self.stop()
            raise
        return self

    def spawn(self, name: str) -> None:
        log = (self.logs / f"{name}.log").open("a")
        # exec: the pid is the process itself, so a signal reaches it, not a shell.
        self.processes[name] = subprocess.Popen(
            ["bash", "-c", f"exec {self.commands[name]}"], cwd=ROOT, env=self._env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, name: str, timeout: float = 300) -> None:
        url = self.addresses.health(name)
        if url is None:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log_tail(name)}")
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{name} not ready at {url} after {timeout}s:\n{self.log_tail(name)}")

    def log_tail(self, name: str, chars: int = 3000) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-chars:]

    def kill(self, name: str, signum: int = signal.SIGKILL) -> None:
        process = self.processes[name]
        process.send_signal(signum)
        process.wait(timeout=60)

    def restart(self, name: str, timeout: float = 300) -> None:
        self.spawn(name)
        self.wait_ready(name, timeout)

    def restart_dead(self) -> list[str]:
        """Starts again whatever died (the watch of `make run-prod`); their names."""
        dead = [name for name, process in self.processes.items() if process.poll() is not None]
        for name in dead:
            self.spawn(name)
        return dead

    def stop(self) -> None:
        """SIGTERM, in the reverse order of the start: the front first, so nothing new comes in
        while each process finishes what it has in hand."""
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
