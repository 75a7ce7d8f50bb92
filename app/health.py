"""Readiness as the load balancer and `make run-prod` ask it: a process is ready when it
can reach the database it works on."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.db import session_scope

logger = logging.getLogger(__name__)


def database_ready() -> bool:
    try:
        with session_scope() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        logger.warning("database not reachable: %s", error)
        return False
    return True
