"""Conversations: the list with search and filters, one transcript (turns with time,
intent and confidence, low confidence highlighted), labels and private notes, export as
CSV and a printable page. Every view and export is in the audit log."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from sqlalchemy import delete, select

from app.db import session_scope
from app.models import CandidateNote, ConversationLabel, Region
from console import audit, transcripts
from console.accounts import current_user, login_required

blueprint = Blueprint("conversations", __name__)
MAX_LABEL, MAX_NOTE = 60, 4000


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filters_from(args) -> transcripts.Filters:
    return transcripts.Filters(
        search=(args.get("q") or "").strip()[:200],
        since=_date(args.get("since")),
        until=_date(args.get("until")),
        region=args.get("region") or "",
        language=args.get("language") if args.get("language") in ("fr", "en") else "",
        handoff=args.get("handoff") == "1",
        low_confidence=args.get("low") == "1",
        label=(args.get("label") or "").strip()[:MAX_LABEL],
    )


@blueprint.route("/conversations")
@login_required
def index():
    filters = filters_from(request.args)
    with session_scope() as s:
        found = transcripts.summaries(s, filters)
        regions = [r.name for r in s.scalars(select(Region).order_by(Region.name))]
    return render_template("conversations.html", conversations=found, filters=filters, regions=regions)


def _transcript(sender_id: str):
    with session_scope() as s:
        conversation = transcripts.turns(s, sender_id)
        labels = s.scalars(select(ConversationLabel.label).where(ConversationLabel.sender_id == sender_id)).all()
        notes = s.scalars(
            select(CandidateNote).where(CandidateNote.sender_id == sender_id).order_by(CandidateNote.created_at)
        ).all()
        s.expunge_all()
    if not conversation:
        abort(404)
    return conversation, labels, notes


@blueprint.route("/conversations/<path:sender_id>")
@login_required
def transcript(sender_id: str):
    conversation, labels, notes = _transcript(sender_id)
    audit.record("viewed", "transcript", sender_id)
    printable = request.args.get("print") == "1"
    if printable:
        audit.record("printed", "transcript", sender_id)
        notes = []  # private notes never go on paper: a printout may be handed to others
    return render_template(
        "transcript.html", sender_id=sender_id, turns=conversation, labels=labels, notes=notes, printable=printable
    )


@blueprint.route("/conversations/<path:sender_id>/export.csv")
@login_required
def export(sender_id: str):
    conversation, _, _ = _transcript(sender_id)
    audit.record("exported", "transcript", sender_id, "csv")
    return Response(
        transcripts.as_csv(sender_id, conversation).encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="conversation.csv"'},
    )


@blueprint.route("/conversations/<path:sender_id>/labels", methods=["POST"])
@login_required
def label(sender_id: str):
    text = (request.form.get("label") or "").strip()[:MAX_LABEL]
    with session_scope() as s:
        if request.form.get("remove"):
            s.execute(
                delete(ConversationLabel).where(
                    ConversationLabel.sender_id == sender_id, ConversationLabel.label == request.form["remove"]
                )
            )
        elif text and s.get(ConversationLabel, (sender_id, text)) is None:
            s.add(ConversationLabel(sender_id=sender_id, label=text, added_by=current_user().email))
    return redirect(url_for("conversations.transcript", sender_id=sender_id))


@blueprint.route("/candidates/<path:sender_id>/notes", methods=["POST"])
@login_required
def note(sender_id: str):
    text = (request.form.get("text") or "").strip()
    if text:
        with session_scope() as s:
            s.add(CandidateNote(sender_id=sender_id, author=current_user().email, text=text[:MAX_NOTE]))
        audit.record("noted", "dossier", sender_id)
    back = request.form.get("back") == "dossier"
    target = "dossiers.dossier" if back else "conversations.transcript"
    return redirect(url_for(target, sender_id=sender_id) + "#notes")


@blueprint.app_template_filter("hhmm")
def hhmm(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""
