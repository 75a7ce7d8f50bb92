"""The console's pages, one blueprint per area."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from console.views import (
        admin,
        auth,
        chat,
        conversations,
        directory,
        dossiers,
        inbox,
        incidents,
        mentors,
        regions,
        webinars,
    )

    for module in (auth, inbox, conversations, dossiers, directory, regions, mentors, webinars, chat, admin, incidents):
        app.register_blueprint(module.blueprint)
