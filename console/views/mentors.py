"""Mentor pairing for counsellors: the mentors (pause, withdraw) and every contact
request with its status; for mentors reached by e-mail or phone, the counsellor asks them
and records their yes or no here (the candidate is then told by the bridge)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from app import mentors
from app.db import session_scope
from app.mentors import PairingError
from app.models import Mentor, MentorRequest
from console import audit, texts
from console.accounts import login_required

blueprint = Blueprint("mentors", __name__)


@blueprint.route("/mentors")
@login_required
def index():
    with session_scope() as s:
        found = list(s.scalars(select(Mentor).order_by(Mentor.region_code, Mentor.municipality, Mentor.first_name)))
        requests = list(s.scalars(select(MentorRequest).order_by(MentorRequest.asked_at.desc()).limit(200)))
        names = {m.id: (m.first_name, m.municipality, m.contact_channel) for m in found}
        s.expunge_all()
    audit.record("viewed", "mentors")
    return render_template("mentors.html", mentors=found, requests=requests, names=names)


@blueprint.route("/mentors/<int:mentor_id>/status", methods=["POST"])
@login_required
def status(mentor_id: int):
    wanted = request.form.get("status")
    if wanted not in ("active", "paused", "withdrawn"):
        abort(400)
    with session_scope() as s:
        try:
            mentors.set_status(s, mentor_id, wanted)
        except PairingError:
            flash(texts.t("mentor_consent_needed", g.lang), "error")
            return redirect(url_for("mentors.index"))
    audit.record(wanted, "mentor", str(mentor_id))
    return redirect(url_for("mentors.index"))


@blueprint.route("/mentor-requests/<int:request_id>/answer", methods=["POST"])
@login_required
def answer(request_id: int):
    """The answer a mentor gave by e-mail or phone, recorded by the counsellor who asked."""
    with session_scope() as s:
        found = s.get(MentorRequest, request_id) or abort(404)
        if found.mentor.contact_channel == "telegram":
            abort(403)  # Telegram mentors answer themselves
        try:
            mentors.answer_request(s, request_id, request.form.get("answer") == "yes")
        except PairingError:
            flash(texts.t("mentor_request_closed", g.lang), "error")
            return redirect(url_for("mentors.index"))
    audit.record("recorded_answer", "mentor_request", str(request_id), request.form.get("answer"))
    return redirect(url_for("mentors.index"))
