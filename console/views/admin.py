"""Admin only: accounts (counsellors and admins) and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
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
    with session_scope() as s:
        user = s.get(ConsoleUser, user_id)
        if user is not None and user.id != current_user().id:
            user.active = request.form.get("active") == "1"
    return redirect(url_for("admin.users"))


@blueprint.route("/admin/audit")
@admin_required
def audit_log():
    with session_scope() as s:
        entries = audit.latest(s, subject_id=request.args.get("subject") or None)
        s.expunge_all()
    return render_template("audit.html", entries=entries)
