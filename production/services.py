"""PostgreSQL and Redis from Debian's packages, started on loopback with their data in a
folder of ours, for production mode when DATABASE_URL / REDIS_URL are not given, and for
the tests that need them. Run as root, PostgreSQL runs as the `postgres` user."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def as_root() -> bool:
    return os.geteuid() == 0


@dataclass
class LocalPostgres:
    """A PostgreSQL cluster in `folder` (created on first start), database `assistant`."""

    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/assistant"

    def _run(self, *command: str) -> None:
        if as_root():  # PostgreSQL refuses to run as root
            command = ("runuser", "-u", "postgres", "--", *command)
        subprocess.run(command, check=True, capture_output=True, cwd="/tmp")

    def start(self) -> LocalPostgres:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries are missing: apt-get install postgresql")
        fresh = not (self.folder / "db" / "PG_VERSION").exists()
        if fresh:
            self.folder.mkdir(parents=True, exist_ok=True)
            if as_root():
                shutil.chown(self.folder, "postgres", "postgres")
            self._run(str(bin_dir / "initdb"), "-D", str(self.folder / "db"), "-A", "trust", "-U", "postgres")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run(str(bin_dir / "pg_ctl"), "-D", str(self.folder / "db"), "-o", options,
                  "-l", str(self.folder / "log"), "-w", "start")  # fmt: skip
        if fresh:
            self._run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "assistant")
        return self

    def stop(self, mode: str = "fast") -> None:
        bin_dir = postgres_bin()
        if bin_dir is not None and (self.folder / "db" / "postmaster.pid").exists():
            self._run(str(bin_dir / "pg_ctl"), "-D", str(self.folder / "db"), "-m", mode, "stop")

    def restart(self) -> None:
        self.stop()
        self.start()


@dataclass
class LocalRedis:
    """A Redis server that keeps nothing on disk: production mode keeps in it only locks
    and conversations not yet consented to, which must not outlive memory (Law 25)."""

    folder: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> LocalRedis:
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is missing: apt-get install redis-server")
        self.folder.mkdir(parents=True, exist_ok=True)
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                   "--appendonly", "no", "--dir", str(self.folder), "--protected-mode", "yes"]  # fmt: skip
        log = (self.folder / "redis.log").open("a")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def restart(self) -> None:
        self.stop()
        self.start()
