"""`python -m console`: the counsellors' console on CONSOLE_PORT (8080), served by waitress."""

from __future__ import annotations

import logging

from waitress import serve

from app.settings import get_settings
from console import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = get_settings()
    serve(create_app(settings), host=settings.console_host, port=settings.console_port, threads=8)


if __name__ == "__main__":
    main()
