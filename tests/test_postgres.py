"""DATABASE_URL switches the app and the tracker store to PostgreSQL: a real server is
started on loopback and the database-backed tests run again on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from production.services import LocalPostgres, as_root, free_port, postgres_bin
from tests.conftest import ROOT

# The tests that touch the database, run once more on PostgreSQL.
ON_POSTGRES = [
    "tests/test_tracker_store.py",
    "tests/test_regions.py",
    "tests/test_checklists.py",
    "tests/test_handoffs.py",
    "tests/test_mentors.py",
    "tests/test_webinars.py",
    "tests/test_dates_in_database.py",
    "tests/actions/test_webinars.py",
    "tests/console/test_webinars.py",
    "tests/bot/test_inbox.py",
    "tests/actions/test_privacy.py",
    "tests/actions/test_organisations.py",
    "tests/security/test_console_login.py",
    "tests/security/test_erasure_everywhere.py",
    "tests/test_rounds.py",
    "tests/bot/test_exactly_once.py",
]


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    if postgres_bin() is None or (as_root() and shutil.which("runuser") is None):
        pytest.skip("PostgreSQL server binaries (Debian's postgresql) are needed; .ci/run installs them")
    # Not under pytest's tmp dir: the postgres user cannot enter root's private folders.
    server = LocalPostgres(Path(tempfile.mkdtemp(prefix="assistant-pg-")), free_port()).start()
    try:
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)


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
