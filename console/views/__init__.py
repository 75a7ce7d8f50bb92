"""The console's pages, one blueprint per area."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from console.views import admin, auth, chat, conversations, directory, dossiers, inbox, regions

    for module in (auth, inbox, conversations, dossiers, directory, regions, chat, admin):
        app.register_blueprint(module.blueprint)
