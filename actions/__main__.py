"""`python -m actions`: the action server. rasa_sdk's own app, but on INTERNAL_HOST
(loopback by default) and refusing any caller without the token that Rasa sends with
every call (endpoints.yml `action_endpoint.token`): the actions erase data and hand out
mentors' contacts for whatever tracker they are given, so only Rasa may call them."""

from __future__ import annotations

import argparse
import logging

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sqlalchemy.exc import OperationalError

from app.settings import get_settings
from rasa_components.channels import constant_time_equal

PACKAGE = "actions"
logger = logging.getLogger(__name__)


def build_server(token: str) -> Sanic:
    if not token:
        raise SystemExit("RASA_TOKEN is empty: the action server would run anyone's actions")
    server = create_app(PACKAGE, cors_origins=None)

    @server.middleware("request")
    async def require_token(request: Request) -> response.HTTPResponse | None:
        if request.path == "/health":
            return None
        if not constant_time_equal(request.args.get("token", ""), token):
            return response.json({"error": "unauthorised"}, status=401)
        return None

    @server.exception(OperationalError)
    async def database_unavailable(request: Request, error: OperationalError) -> response.HTTPResponse:
        # 503, not 500: Rasa's channel then drops the turn and the message is sent again
        # (rasa_components/turns.py), rather than going on without the action's answer.
        logger.warning("database unavailable: %s", error.orig)
        return response.json({"error": "database unavailable"}, status=503)

    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args()
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    settings = get_settings()
    build_server(settings.rasa_token).run(settings.internal_host, args.port, access_log=False)


if __name__ == "__main__":
    main()
