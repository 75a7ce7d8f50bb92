"""`python -m app setup`: migrate the database and load knowledge/ (what `make run` does).

Also `python -m app migrate` and `python -m app seed` on their own, and
`python -m app seed-demo-mentors` (fictional mentors for a demonstration, never in production)
and `python -m app remove-demo-mentors`."""

from __future__ import annotations

import argparse
import sys

from alembic import command
from alembic.config import Config

from app.db import session_scope
from app.mentors import load_demo_mentors, remove_demo_mentors
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app")
    parser.add_argument("command", choices=["migrate", "seed", "setup", "seed-demo-mentors", "remove-demo-mentors"])
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
