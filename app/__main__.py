"""`python -m app setup`: migrate the database and load knowledge/ (what `make run` does).

Also `python -m app migrate` and `python -m app seed` on their own, and
`python -m app seed-demo-mentors` (fictional mentors for a demonstration, never in production)
and `python -m app remove-demo-mentors`. `python -m app purge` deletes what is past its Law 25
retention period (app/retention.py) once; with `--every-hours 24`, again and again."""

from __future__ import annotations

import argparse
import logging
import sys
import time

from alembic import command
from alembic.config import Config

from app import retention
from app.db import session_scope
from app.mentors import load_demo_mentors, remove_demo_mentors
from app.models import utcnow
from app.seed import seed
from app.settings import ROOT, get_settings


def migrate() -> None:
    command.upgrade(Config(str(ROOT / "alembic.ini")), "head")


def load_knowledge() -> None:
    with session_scope() as session:
        counts = seed(session, get_settings().knowledge_dir)
    print("knowledge loaded: " + ", ".join(f"{n} {t}" for t, n in counts.items()))


def seed_demo_mentors() -> None:
    with session_scope() as session:
        count = load_demo_mentors(session, confirm=True)
    print(f"demo mentors loaded: {count} (fictional, flagged is_demo)")


def purge_once() -> dict[str, int]:
    with session_scope() as session:
        counts = retention.purge(session, get_settings(), utcnow())
    print("retention purge: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()), flush=True)
    return counts


def purge_every(hours: float) -> None:
    """Purge at start, then every `hours` (a process restarted more often than that would
    otherwise never purge); a failed run is logged and the next one still comes."""
    while True:
        try:
            purge_once()
        except Exception:
            logging.getLogger(__name__).exception("retention purge failed; next run in %s h", hours)
        time.sleep(hours * 3600)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app")
    parser.add_argument(
        "command", choices=["migrate", "seed", "setup", "seed-demo-mentors", "remove-demo-mentors", "purge"]
    )
    parser.add_argument("--every-hours", type=float, help="purge: run again every so many hours, forever")
    args = parser.parse_args(argv)
    if args.command in ("migrate", "setup"):
        migrate()
    if args.command in ("seed", "setup"):
        load_knowledge()
    if args.command == "seed-demo-mentors":
        seed_demo_mentors()
    if args.command == "remove-demo-mentors":
        with session_scope() as session:
            print(f"demo mentors removed: {remove_demo_mentors(session)}")
    if args.command == "purge" and args.every_hours:
        purge_every(args.every_hours)
    elif args.command == "purge":
        purge_once()
    return 0


if __name__ == "__main__":
    sys.exit(main())
