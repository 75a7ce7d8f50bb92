"""A candidate's dossier: questionnaire answers by theme, the green/yellow/red report
with its reasons and the mind-map picture, the self-assessment scores, the emergency
checklist's progress, and notes; the regions the matcher suggests from the answers, with
their reasons and sources, and how they move when the counsellor changes an answer (GET
parameters: nothing is stored); the copy of everything held about the person for a Law 25
access request (the same document /mesdonnees sends). Viewing and exporting are in the
audit log."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

from flask import Blueprint, Response, abort, g, render_template, request
from sqlalchemy import select

from app import candidates, checklists, mindmap, questionnaire
from app.db import session_scope
from app.models import Candidate, CandidateNote, Checklist, ChecklistItemStatus
from app.questionnaire import UNKNOWN
from app.recommendation import (
    QUESTION_KEYS,
    Rules,
    load_facts,
    load_rules,
    place_region,
    profile_from_answers,
    question_for_reading,
    rank_moves,
    recommend,
    source_labels,
    with_answers,
)
from app.report import build_report
from console import audit
from console.accounts import login_required
from console.rasa import SVG_POLICY

blueprint = Blueprint("dossiers", __name__)


def dossier_data(sender_id: str, language: str) -> dict:
    with session_scope() as s:
        answers = questionnaire.stored_answers(s, sender_id)
        scores = questionnaire.stored_scores(s, sender_id)
        candidate = s.get(Candidate, sender_id)
        checklist = s.get(Checklist, sender_id)
        statuses = {
            i.item_key: i.status
            for i in s.scalars(select(ChecklistItemStatus).where(ChecklistItemStatus.sender_id == sender_id))
        }
        notes = s.scalars(
            select(CandidateNote).where(CandidateNote.sender_id == sender_id).order_by(CandidateNote.created_at)
        ).all()
        s.expunge_all()
    if candidate is None and not answers and checklist is None:
        abort(404)
    themes = [
        {
            "title": t.title[language],
            "answers": [
                (q.ask[language], q.label(answers[q.path], language)) for q in t.questions if q.path in answers
            ],
        }
        for t in questionnaire.all_forms()
    ]
    assessment = questionnaire.load_self_assessment()
    return {
        "sender_id": sender_id,
        "candidate": candidate,
        "themes": themes,
        "report": build_report(answers, date.today(), language),
        "scores": [(c.title[language], scores.get(c.key)) for c in assessment.competencies],
        "checklist": checklist,
        "checklist_items": [(i.title[language], statuses.get(i.key, "todo")) for i in checklists.load_items()],
        "notes": notes,
    }


MAX_FIELD = 200


def changed_answers(args: Mapping[str, str], rules: Rules) -> dict[str, str]:
    """The answers a counsellor tries instead ({question: option}); empty means as answered."""
    changed = {}
    for key in QUESTION_KEYS:
        value = (args.get(key) or "").strip()
        if key == "field" and value:
            changed[key] = value[:MAX_FIELD]
        elif value == UNKNOWN or value in question_for_reading(key, rules).options:
            changed[key] = value
    return changed


def question_choices(rules: Rules, language: str) -> list[dict]:
    """The form's questions: the field as words, the others with their options."""
    choices = []
    for key in QUESTION_KEYS:
        options = {} if key == "field" else question_for_reading(key, rules).options
        ask = rules.questions[key]["ask"][language]
        choices.append({"key": key, "ask": ask, "options": [(v, o[language]) for v, o in options.items()]})
    return choices


def ranking_data(sender_id: str, args: Mapping[str, str], language: str) -> dict:
    """The matcher on the stored answers and, with changed answers, what it would become."""
    rules = load_rules()
    with session_scope() as s:
        answers = questionnaire.stored_answers(s, sender_id)
        facts = load_facts(s, rules)
    profile = profile_from_answers(answers, place_region)
    ranking = recommend(facts, profile, rules, language)
    changed = changed_answers(args, rules)
    what_if = recommend(facts, with_answers(profile, changed, rules), rules, language) if changed else None
    return {
        "ranking": ranking,
        "what_if": what_if,
        "moves": rank_moves(ranking, what_if) if what_if else {},
        "changed": changed,
        "questions": question_choices(rules, language),
        "source_labels": source_labels(),
    }


@blueprint.route("/dossiers/<path:sender_id>")
@login_required
def dossier(sender_id: str):
    data = dossier_data(sender_id, g.lang)
    audit.record("viewed", "dossier", sender_id)
    return render_template("dossier.html", **data, **ranking_data(sender_id, request.args, g.lang))


@blueprint.route("/dossiers/<path:sender_id>/mindmap.svg")
@login_required
def mindmap_svg(sender_id: str):
    data = dossier_data(sender_id, g.lang)
    response = Response(mindmap.render(data["report"], "svg"), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    return response


@blueprint.route("/dossiers/<path:sender_id>/report.json")
@login_required
def report_json(sender_id: str):
    data = dossier_data(sender_id, g.lang)
    audit.record("exported", "dossier", sender_id, "report.json")
    return Response(
        json.dumps(data["report"], ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="bilan.json"'},
    )


@blueprint.route("/dossiers/<path:sender_id>/access-copy.json")
@login_required
def access_copy(sender_id: str):
    """Law 25's right of access, for a request received by e-mail: the private notes are
    in it, marked, since the right covers them."""
    with session_scope() as s:
        copy = candidates.export_about(s, sender_id)
    if not candidates.holds_anything(copy):
        abort(404)
    audit.record("exported", "access_copy", sender_id)
    filename = f"copie-donnees-{copy['header']['generated_at'][:10]}.json"
    return Response(
        json.dumps(copy, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
