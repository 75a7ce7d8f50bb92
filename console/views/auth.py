"""Log-in, log-out and the password change. Every other page requires a live session
(console/accounts.py). Each of them is written to the audit log, never a password."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from app.models import ConsoleUser
from console import accounts, audit, texts
from console.accounts import current_user, login_required

blueprint = Blueprint("auth", __name__)

TYPED_EMAIL_KEPT = 100  # characters of a failed log-in's e-mail kept in the audit log


def safe_next(target: str | None) -> str:
    """Only a path on this site (no open redirect to another one)."""
    parsed = urlparse(target or "")
    if not target or parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("inbox.index")
    return target


def _refused(typed_email: str, outcome: str, address: str):
    """The same page and words for an unknown e-mail and a wrong password; locked and
    throttled both say "too many attempts"."""
    typed = typed_email[:TYPED_EMAIL_KEPT]
    action = "login_failed" if outcome == "wrong" else "login_refused"
    audit.record_as(typed, action, "account", typed, f"{outcome}, from {address}")
    flash(texts.t("login_wrong" if outcome == "wrong" else "login_locked", g.lang), "error")
    return render_template("login.html"), 401


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        email, address = request.form.get("email", ""), request.remote_addr or "?"
        outcome = accounts.authenticate(email, request.form.get("password", ""), address)
        if isinstance(outcome, str):
            return _refused(email, outcome, address)
        accounts.start_session(outcome)
        audit.record_as(outcome.email, "logged_in", "account", outcome.email, f"from {address}")
        return redirect(safe_next(request.args.get("next")))
    return render_template("login.html")


@blueprint.route("/logout", methods=["POST"])
def logout():
    if user := current_user():
        audit.record("logged_out", "account", user.email)
    accounts.end_session()
    return redirect(url_for("auth.login"))


@blueprint.route("/password", methods=["GET", "POST"])
@login_required
def password():
    user = current_user()
    if request.method == "POST":
        outcome = accounts.change_password(
            user,
            request.form.get("current_password", ""),
            request.form.get("new_password", ""),
            request.form.get("new_password_again", ""),
        )
        if outcome == "password_changed":
            audit.record("password_changed", "account", user.email)
            flash(texts.t(outcome, g.lang), "ok")
            return redirect(url_for("inbox.index"))
        flash(texts.t(outcome, g.lang, length=accounts.MIN_PASSWORD_LENGTH), "error")
        return _password_page(user), 400
    return _password_page(user)


def _password_page(user: ConsoleUser) -> str:
    return render_template("password.html", forced=user.must_change_password, min_length=accounts.MIN_PASSWORD_LENGTH)
