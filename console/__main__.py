"""`python -m console`: the counsellors' console on CONSOLE_PORT (8080), served by waitress."""

from __future__ import annotations

import logging

from waitress import serve

from app.settings import get_settings
from console import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = get_settings()
    behind_front = (
        {"trusted_proxy": settings.trusted_proxy, "trusted_proxy_count": 1, "clear_untrusted_proxy_headers": True,
         "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}}
        if settings.trusted_proxy
        else {}
    )  # fmt: skip
    serve(create_app(settings), host=settings.console_host, port=settings.console_port, threads=8, **behind_front)


if __name__ == "__main__":
    main()
