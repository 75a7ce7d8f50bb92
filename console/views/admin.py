"""Admin only: accounts (counsellors and admins, password resets) and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db import session_scope
from app.models import ConsoleUser
from console import accounts, audit, texts
from console.accounts import admin_required, current_user

blueprint = Blueprint("admin", __name__)


@blueprint.route("/admin/users", methods=["GET", "POST"])
@admin_required
def users():
    if request.method == "POST":
        try:
            with session_scope() as s:
                accounts.create_user(
                    s,
                    request.form.get("email", ""),
                    request.form.get("name", ""),
                    request.form.get("password", ""),
                    request.form.get("role", "counsellor"),
                )
            flash(texts.t("user_created", g.lang), "ok")
        except (ValueError, IntegrityError):
            flash(texts.t("user_invalid", g.lang, length=accounts.MIN_PASSWORD_LENGTH), "error")
        return redirect(url_for("admin.users"))
    with session_scope() as s:
        found = list(s.scalars(select(ConsoleUser).order_by(ConsoleUser.email)))
        s.expunge_all()
    return render_template("users.html", users=found)


@blueprint.route("/admin/users/<int:user_id>/active", methods=["POST"])
@admin_required
def set_active(user_id: int):
    if user_id == current_user().id:
        return redirect(url_for("admin.users"))
    active = request.form.get("active") == "1"
    with session_scope() as s:
        if (user := s.get(ConsoleUser, user_id)) is not None:
            user.active = active
    if not active:
        accounts.end_all_sessions(user_id)
    return redirect(url_for("admin.users"))


@blueprint.route("/admin/users/<int:user_id>/password", methods=["POST"])
@admin_required
def reset_password(user_id: int):
    """A temporary password, to change at the next log-in; the person's sessions end."""
    if user_id == current_user().id:  # one's own password: the change page, with the current one
        abort(403)
    try:
        user = accounts.reset_password(user_id, request.form.get("password", ""))
    except ValueError:
        flash(texts.t("password_too_short", g.lang, length=accounts.MIN_PASSWORD_LENGTH), "error")
        return redirect(url_for("admin.users"))
    if user is None:
        abort(404)
    audit.record("password_reset", "account", user.email)
    flash(texts.t("password_reset_done", g.lang), "ok")
    return redirect(url_for("admin.users"))


@blueprint.route("/admin/audit")
@admin_required
def audit_log():
    with session_scope() as s:
        entries = audit.latest(s, subject_id=request.args.get("subject") or None)
        s.expunge_all()
    return render_template("audit.html", entries=entries)
