"""Start the Rasa server (and the action server) as real processes on free ports; used
by the tests (tests/conftest.py) and by the benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from production.services import free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 180, **params: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, params=params, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{log.read_text()[-3000:]}")


def memory_mb(pid: int, field: str = "VmHWM") -> float | None:
    """A process's memory from Linux /proc: its peak resident size (VmHWM) or its current one (VmRSS)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@dataclass
class RasaStack:
    """A Rasa server on a model, with this project's action server unless `actions` is False."""

    model: Path
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    actions: bool = True
    token: str = "test-token"
    cwd: Path = ROOT
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    rasa_url: str = ""
    action_url: str = ""
    endpoints: Path | None = None
    seconds_to_ready: float = 0.0

    def start(self) -> RasaStack:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "RASA_TOKEN": self.token,
               **self.env}  # fmt: skip
        rasa_port = free_port()
        self.rasa_url = f"http://127.0.0.1:{rasa_port}"
        rasa = [PYTHON, "-m", "rasa", "run", "--model", str(self.model), "--enable-api", "--auth-token", self.token,
                "--port", str(rasa_port), "--interface", "127.0.0.1"]  # fmt: skip
        logs = {name: self.workdir / f"{name}.log" for name in ("actions", "rasa")}
        started = time.monotonic()
        if self.actions:
            action_port = free_port()
            self.action_url = f"http://127.0.0.1:{action_port}"
            self.endpoints = self.workdir / "endpoints.yml"
            self.endpoints.write_text(
                # The token as the project's endpoints.yml gives it: from the environment.
                f'action_endpoint:\n  url: "{self.action_url}/webhook"\n  token: ${{RASA_TOKEN}}\n'
                "  enable_selective_domain: true\n"
                "tracker_store:\n  type: app.tracker_store.CandidateTrackerStore\n",
                encoding="utf-8",
            )
            rasa += ["--endpoints", str(self.endpoints), "--credentials", str(ROOT / "credentials.yml")]
            self._spawn("actions", [PYTHON, "-m", "actions", "--port", str(action_port)],
                        env, logs["actions"])  # fmt: skip
        self._rasa_command, self._env, self._logs = rasa, env, logs
        self._spawn("rasa", rasa, env, logs["rasa"])
        try:
            if self.actions:
                wait_for(f"{self.action_url}/health", self.processes["actions"], logs["actions"])
            wait_for(f"{self.rasa_url}/status", self.processes["rasa"], logs["rasa"], token=self.token)
        except Exception:
            self.stop()
            raise
        self.seconds_to_ready = time.monotonic() - started
        return self

    def stop_rasa(self) -> None:
        """Stop the Rasa server only (the action server keeps running)."""
        self.processes["rasa"].terminate()
        self.processes["rasa"].wait(timeout=30)

    def restart_rasa(self) -> None:
        """Start the Rasa server again, same model, port and database."""
        self._spawn("rasa", self._rasa_command, self._env, self._logs["rasa"])
        wait_for(f"{self.rasa_url}/status", self.processes["rasa"], self._logs["rasa"], token=self.token)

    def _spawn(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.processes[name] = subprocess.Popen(
            command, cwd=self.cwd, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT
        )

    def peak_memory(self) -> dict[str, float | None]:
        return {name: memory_mb(p.pid) for name, p in self.processes.items()}

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
