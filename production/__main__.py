"""`make run-prod`: production mode on this machine. PostgreSQL and Redis are started on
loopback with their data under var/ unless DATABASE_URL / REDIS_URL are given; the
database is migrated and loaded; then everything Procfile.prod lists is started, watched
(a process that dies is started again) and stopped cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from app.settings import ROOT, get_settings
from production.services import LocalPostgres, LocalRedis
from production.stack import Addresses, ProductionStack, production_env

VAR = ROOT / "var"
# Ports of the services started here, beside a PostgreSQL or Redis the machine may run already.
POSTGRES_PORT, REDIS_PORT = 5433, 6380


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--public", default=os.environ.get("PUBLIC_LISTEN", "127.0.0.1:8000"),
                        help="where the public front listens (console, Telegram webhooks)")  # fmt: skip
    args = parser.parse_args()
    settings = get_settings()
    telegram = bool(settings.telegram_token)
    if telegram and not settings.telegram_webhook_url:
        print("TELEGRAM_WEBHOOK_URL is needed in production mode: the public https address of the front, "
              "ending in /telegram/<a path of your choice>.", file=sys.stderr)  # fmt: skip
        return 2
    services = []
    database_url = os.environ.get("DATABASE_URL") or ""
    redis_url = os.environ.get("REDIS_URL") or ""
    if not database_url:
        services.append(LocalPostgres(VAR / "postgres", POSTGRES_PORT).start())
        database_url = services[-1].url
    if not redis_url:
        services.append(LocalRedis(VAR / "redis", REDIS_PORT).start())
        redis_url = services[-1].url
    addresses = Addresses.usual(public_front=args.public)
    env = production_env(addresses, database_url, redis_url, settings.rasa_token)
    subprocess.run([sys.executable, "-m", "app", "setup"], env={**os.environ, **env}, check=True)
    names = tuple(n for n in ProductionStack.procfile_names() if telegram or not n.startswith("bridge"))
    stack = ProductionStack(addresses, env, VAR / "log", names)
    stopping = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.append(True))
    try:
        stack.start()
        print(picture(addresses, database_url, redis_url, telegram), flush=True)
        while not stopping:
            for name in stack.restart_dead():
                print(f"{name} had stopped: started again (log: var/log/{name}.log)", flush=True)
            time.sleep(1)
    finally:
        stack.stop()
        for service in reversed(services):
            service.stop()
    return 0


def picture(addresses: Addresses, database_url: str, redis_url: str, telegram: bool) -> str:
    bridges = f"bridges {addresses.bridges[0]}, {addresses.bridges[1]} (webhook)" if telegram else "no bridge"
    return (
        f"Production mode is up (logs in var/log/):\n"
        f"  public front {addresses.public_front}: console {addresses.console}; /telegram/ -> {bridges}\n"
        f"  Rasa front {addresses.rasa_front} -> replicas {addresses.rasa[0]}, {addresses.rasa[1]}\n"
        f"  action front {addresses.actions_front} -> action servers {addresses.actions[0]}, {addresses.actions[1]}\n"
        f"  database {database_url.split('@')[-1]}; Redis {redis_url.split('@')[-1]} (locks, consent pending)"
    )


if __name__ == "__main__":
    sys.exit(main())
