"""DATABASE_URL switches the app and the tracker store to PostgreSQL: a real server is
started on loopback and the database-backed tests run again on it."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.stack import free_port
from tests.conftest import ROOT

# The tests that touch the database, run once more on PostgreSQL.
ON_POSTGRES = [
    "tests/test_tracker_store.py",
    "tests/test_regions.py",
    "tests/test_checklists.py",
    "tests/test_handoffs.py",
    "tests/test_mentors.py",
    "tests/test_webinars.py",
    "tests/bot/test_inbox.py",
    "tests/actions/test_privacy.py",
    "tests/actions/test_organisations.py",
    "tests/security/test_console_login.py",
    "tests/security/test_erasure_everywhere.py",
]


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    bin_dir = _postgres_bin()
    if bin_dir is None or shutil.which("runuser") is None or os.geteuid() != 0:
        pytest.skip("PostgreSQL server binaries (Debian's postgresql) and root are needed; .ci/run installs them")
    # Not under pytest's tmp dir: the postgres user cannot enter root's private folders.
    data = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    shutil.chown(data, "postgres", "postgres")
    port = free_port()

    def as_postgres(*command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, cwd="/tmp")

    as_postgres(str(bin_dir / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres")
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1"
    as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-o", options, "-l", str(data / "log"), "-w", "start")
    try:
        as_postgres(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "assistant")
        yield f"postgresql://postgres@127.0.0.1:{port}/assistant"
    finally:
        as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-m", "fast", "stop")
        shutil.rmtree(data, ignore_errors=True)


def test_database_tests_pass_on_postgresql(postgres_url):
    env = {**os.environ, "TEST_DATABASE_URL": postgres_url, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *ON_POSTGRES],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:]
    summary = result.stdout.strip().splitlines()[-1]
    print("on PostgreSQL:", summary)
    assert int(summary.split(" passed")[0].split()[-1]) >= 40, summary
