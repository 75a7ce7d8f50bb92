"""Handoffs: open, claimed, closed; claim, reply (relayed by the Telegram bridge), close
and hand the conversation back to the assistant."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from app import handoffs
from app.db import session_scope
from app.models import CounsellorReply, Handoff, HandoffStatus
from console import audit, texts
from console.accounts import current_user, login_required
from console.rasa import hand_back

blueprint = Blueprint("inbox", __name__)
STATUSES = tuple(HandoffStatus)
MAX_REPLY = 4000


def open_count() -> int:
    with session_scope() as s:
        return s.scalar(select(func.count()).select_from(Handoff).where(Handoff.status == HandoffStatus.OPEN)) or 0


@blueprint.app_context_processor
def badge() -> dict:
    return {"open_handoffs": open_count() if current_user() else 0, "user": current_user()}


@blueprint.route("/")
@login_required
def index():
    status = request.args.get("status", HandoffStatus.OPEN)
    if status not in STATUSES:
        status = HandoffStatus.OPEN
    with session_scope() as s:
        found = s.scalars(select(Handoff).where(Handoff.status == status).order_by(Handoff.opened_at.desc())).all()
        replies: dict[int, list[CounsellorReply]] = {h.id: [] for h in found}
        for reply in s.scalars(
            select(CounsellorReply).where(CounsellorReply.handoff_id.in_(replies)).order_by(CounsellorReply.id)
        ):
            replies[reply.handoff_id].append(reply)
        rows = [{"h": h, "replies": replies[h.id]} for h in found]
        s.expunge_all()
    return render_template("inbox.html", rows=rows, status=status, statuses=STATUSES)


def _mine_or_admin(handoff: Handoff) -> bool:
    user = current_user()
    return user.role == "admin" or handoffs.held_by(handoff, handoffs.console_counsellor(user.email))


@blueprint.route("/handoffs/<int:handoff_id>/claim", methods=["POST"])
@login_required
def claim(handoff_id: int):
    with session_scope() as s:
        handoff = s.get(Handoff, handoff_id) or abort(404)
        user = current_user()
        if handoffs.claim(handoff, handoffs.console_counsellor(user.email), user.name):
            flash(texts.t("claimed", g.lang), "ok")
        else:
            flash(texts.t("already_claimed", g.lang, who=handoff.claimed_by_name or "?"), "error")
    audit.record("claimed", "handoff", str(handoff_id))
    return redirect(url_for("inbox.index", status=HandoffStatus.CLAIMED))


@blueprint.route("/handoffs/<int:handoff_id>/reply", methods=["POST"])
@login_required
def reply(handoff_id: int):
    message = (request.form.get("text") or "").strip()
    with session_scope() as s:
        handoff = s.get(Handoff, handoff_id) or abort(404)
        if handoff.status != HandoffStatus.CLAIMED or not _mine_or_admin(handoff):
            abort(403)
        if not message or len(message) > MAX_REPLY:
            flash(texts.t("reply_length", g.lang, limit=MAX_REPLY), "error")
            return redirect(url_for("inbox.index", status=HandoffStatus.CLAIMED))
        s.add(
            CounsellorReply(
                handoff_id=handoff.id, sender_id=handoff.sender_id, author=current_user().email, text=message
            )
        )
    audit.record("replied", "handoff", str(handoff_id))
    flash(texts.t("reply_queued", g.lang), "ok")
    return redirect(url_for("inbox.index", status=HandoffStatus.CLAIMED))


@blueprint.route("/handoffs/<int:handoff_id>/close", methods=["POST"])
@login_required
def close(handoff_id: int):
    with session_scope() as s:
        handoff = s.get(Handoff, handoff_id) or abort(404)
        if handoff.status == HandoffStatus.CLOSED:
            return redirect(url_for("inbox.index", status=HandoffStatus.CLOSED))
        if handoff.status == HandoffStatus.CLAIMED and not _mine_or_admin(handoff):
            abort(403)
        handoffs.close(handoff)
        handoffs.queue_reply(s, handoff, current_user().email, kind="resumed")
        sender_id = handoff.sender_id
    audit.record("closed", "handoff", str(handoff_id))
    if not hand_back(current_app.config["SETTINGS"], sender_id):
        flash(texts.t("resume_failed", g.lang), "error")
    return redirect(url_for("inbox.index", status=HandoffStatus.CLOSED))
