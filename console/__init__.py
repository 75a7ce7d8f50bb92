"""The counsellors' console (`python -m console`, :8080): handoffs, transcripts, candidate
dossiers, the shared directory of regional organisations, region sheets, a chat page to
try the assistant, and the audit log. Server-rendered Flask + Jinja2 (autoescaped), CSRF
on every form (Flask-WTF), argon2 password hashes, roles checked on the server."""

from __future__ import annotations

import secrets
from datetime import timedelta, timezone
from typing import Any

from flask import Flask, g, render_template, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect

from app.catalogue import LANGUAGES, number, signed_percent
from app.health import database_ready
from app.settings import ROOT, Settings, get_settings
from console import accounts, texts

SECRET_FILE = ROOT / "var" / "console_secret"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def secret_key(settings: Settings) -> str:
    """CONSOLE_SECRET_KEY, or one generated once and kept in var/ (like the Rasa token)."""
    if settings.console_secret_key:
        return settings.console_secret_key
    SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
    if not SECRET_FILE.exists() or not SECRET_FILE.read_text().strip():
        SECRET_FILE.write_text(secrets.token_urlsafe(48))
        SECRET_FILE.chmod(0o600)
    return SECRET_FILE.read_text().strip()


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    settings = settings or get_settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key(settings),
        SESSION_COOKIE_NAME="console_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.console_cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        SETTINGS=settings,
    )
    app.config.update(overrides)
    CSRFProtect(app)

    from console.views import register

    register(app)
    accounts.ensure_first_admin(settings)

    @app.get("/healthz")
    def healthz():
        ready = database_ready()
        return {"status": "ok" if ready else "database unavailable"}, 200 if ready else 503

    @app.before_request
    def language() -> None:
        if (chosen := request.args.get("lang")) in LANGUAGES:
            session["lang"] = chosen
        g.lang = session.get("lang", "fr")

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {
            "t": lambda key, **values: texts.t(key, g.get("lang", "fr"), **values),
            # Numbers as Babel writes them in the counsellor's language (app/catalogue).
            "number": lambda value, decimals=0: number(value, g.get("lang", "fr"), decimals),
            "signed_percent": lambda value: signed_percent(value, g.get("lang", "fr")),
            "lang": g.get("lang", "fr"),
            "utc": timezone.utc,
        }

    def error_page(code: int, key: str):
        return render_template("error.html", code=code, message=texts.t(key, g.get("lang", "fr"))), code

    app.register_error_handler(403, lambda e: error_page(403, "forbidden"))
    app.register_error_handler(404, lambda e: error_page(404, "not_found"))
    app.register_error_handler(413, lambda e: error_page(413, "too_large"))
    app.register_error_handler(CSRFError, lambda e: error_page(400, "bad_request"))

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app
