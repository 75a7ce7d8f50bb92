"""Log-in and log-out. Every other page requires a session (console/accounts.py)."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from console import accounts, texts

blueprint = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a path on this site (no open redirect to another one)."""
    parsed = urlparse(target or "")
    if not target or parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("inbox.index")
    return target


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        outcome = accounts.authenticate(request.form.get("email", ""), request.form.get("password", ""))
        if isinstance(outcome, str):
            flash(texts.t("login_locked" if outcome == "locked" else "login_wrong", session.get("lang", "fr")), "error")
            return render_template("login.html"), 401
        lang = session.get("lang", "fr")
        session.clear()  # a new session id at log-in (no fixation)
        session.permanent = True
        session.update(user_id=outcome.id, lang=lang)
        return redirect(safe_next(request.args.get("next")))
    return render_template("login.html")


@blueprint.route("/logout", methods=["POST"])
def logout():
    lang = session.get("lang", "fr")
    session.clear()
    session["lang"] = lang
    return redirect(url_for("auth.login"))
