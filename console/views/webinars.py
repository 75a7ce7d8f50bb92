"""Webinars: create, edit (date, schedule) and cancel; the Telegram deep link, its QR
code for the last slide and a web-chat link; the funnel as a chart and a CSV. Also the
public web chat of a webinar (/w/<code>), for attendees without Telegram."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import qrcode
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from qrcode.image.svg import SvgPathImage
from sqlalchemy import select

from app import webinars
from app.db import session_scope
from app.models import Region, Webinar
from app.ratelimit import BoundedMap, SlidingWindowLimit
from app.webinars import FUNNEL, MONTREAL, QuietHours
from console import audit, charts, texts
from console.accounts import current_user, login_required
from console.rasa import SVG_POLICY, converse

blueprint = Blueprint("webinars", __name__)
MAX_MESSAGE = 2000
MAX_PER_MINUTE = 20  # per web sender
MAX_PER_ADDRESS = 60  # per minute, all web senders of one client address together
MAX_NEW_SENDERS = 20  # new web conversations per client address and hour


def quiet() -> QuietHours:
    return QuietHours.parse(current_app.config["SETTINGS"].quiet_hours)


def deep_link(code: str) -> str:
    username = current_app.config["SETTINGS"].telegram_bot_username or "BOT_USERNAME"
    return f"https://t.me/{username}?start={webinars.CODE_PREFIX}{code}"


def web_chat_link(code: str) -> str:
    return f"{current_app.config['SETTINGS'].console_public_url}{url_for('webinars.public_chat', code=code)}"


def _form(existing: Webinar | None) -> tuple[dict, list[str]]:
    """The form's values and what is wrong with them."""
    values = {
        "title": (request.form.get("title") or "").strip()[:200],
        "regions": request.form.getlist("regions"),
        "starts_at": request.form.get("starts_at") or "",
        "language": request.form.get("language") if request.form.get("language") in ("fr", "en") else "fr",
        "presenter": (request.form.get("presenter") or "").strip()[:200],
        "schedule": {step: request.form.get(f"days_{step}", "") for step in webinars.STEPS},
    }
    problems = []
    if not values["title"]:
        problems.append("title")
    try:
        values["starts"] = datetime.fromisoformat(values["starts_at"]).replace(tzinfo=MONTREAL)
    except ValueError:
        problems.append("starts_at")
    try:
        values["schedule"] = webinars.valid_schedule(values["schedule"])
    except ValueError:
        problems.append("schedule")
    return values, problems


@blueprint.route("/webinars", methods=["GET", "POST"])
@login_required
def index():
    problems: list[str] = []
    if request.method == "POST":
        values, problems = _form(None)
        if not problems:
            with session_scope() as s:
                webinar = webinars.create(
                    s, values["title"], values["regions"], values["starts"], values["language"], values["presenter"],
                    current_user().email, values["schedule"],
                )  # fmt: skip
                webinar_id = webinar.id
            audit.record("created", "webinar", str(webinar_id))
            return redirect(url_for("webinars.detail", webinar_id=webinar_id))
    with session_scope() as s:
        found = list(s.scalars(select(Webinar).order_by(Webinar.starts_at.desc())))
        regions = [r.name for r in s.scalars(select(Region).order_by(Region.name))]
        s.expunge_all()
    return render_template(
        "webinars.html", webinars=found, regions=regions, problems=problems, steps=webinars.STEPS,
        defaults=webinars.DEFAULT_SCHEDULE, montreal=MONTREAL,
    ), (400 if problems else 200)  # fmt: skip


@blueprint.route("/webinars/<int:webinar_id>", methods=["GET", "POST"])
@login_required
def detail(webinar_id: int):
    problems: list[str] = []
    with session_scope() as s:
        webinar = s.get(Webinar, webinar_id) or abort(404)
        if request.method == "POST":
            values, problems = _form(webinar)
            if not problems and webinar.cancelled_at is None:
                webinar.title, webinar.regions, webinar.presenter = (
                    values["title"],
                    values["regions"],
                    values["presenter"],
                )
                webinar.starts_at, webinar.language, webinar.schedule = (
                    values["starts"],
                    values["language"],
                    values["schedule"],
                )
                webinars.reschedule(s, webinar, quiet())
                flash(texts.t("saved", g.lang), "ok")
        counts = webinars.funnel(s, webinar)
        given_up = webinars.given_up(s, webinar)
        regions = [r.name for r in s.scalars(select(Region).order_by(Region.name))]
        s.expunge_all()
    if request.method == "POST" and not problems:
        audit.record("edited", "webinar", str(webinar_id))
        return redirect(url_for("webinars.detail", webinar_id=webinar_id))
    return render_template(
        "webinar.html", webinar=webinar, counts=counts, funnel=FUNNEL, regions=regions, problems=problems,
        steps=webinars.STEPS, link=deep_link(webinar.code), chat_link=web_chat_link(webinar.code), montreal=MONTREAL,
        given_up=given_up,
    ), (400 if problems else 200)  # fmt: skip


@blueprint.route("/webinars/<int:webinar_id>/cancel", methods=["POST"])
@login_required
def cancel(webinar_id: int):
    with session_scope() as s:
        webinar = s.get(Webinar, webinar_id) or abort(404)
        dropped = webinars.cancel(s, webinar)
    audit.record("cancelled", "webinar", str(webinar_id), f"{dropped} follow-ups dropped")
    flash(texts.t("webinar_cancelled", g.lang, count=dropped), "ok")
    return redirect(url_for("webinars.detail", webinar_id=webinar_id))


def _webinar(webinar_id: int) -> Webinar:
    with session_scope() as s:
        webinar = s.get(Webinar, webinar_id) or abort(404)
        s.expunge(webinar)
    return webinar


@blueprint.route("/webinars/<int:webinar_id>/qr.<fmt>")
@login_required
def qr(webinar_id: int, fmt: str):
    """The deep link as a QR code, PNG (slides) or SVG (print)."""
    if fmt not in ("png", "svg"):
        abort(404)
    link = deep_link(_webinar(webinar_id).code)
    buffer = io.BytesIO()
    if fmt == "png":
        qrcode.make(link, box_size=12, border=2).save(buffer, format="PNG")
        return Response(buffer.getvalue(), mimetype="image/png")
    qrcode.make(link, image_factory=SvgPathImage).save(buffer)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@blueprint.route("/webinars/<int:webinar_id>/funnel.<fmt>")
@login_required
def funnel(webinar_id: int, fmt: str):
    webinar = _webinar(webinar_id)
    with session_scope() as s:
        counts = webinars.funnel(s, s.get(Webinar, webinar_id))
    labels = [texts.t(f"funnel_{stage}", g.lang) for stage in FUNNEL]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["webinar", "stage", "people"])
        writer.writerows([webinar.code, stage, counts[stage]] for stage in FUNNEL)
        audit.record("exported", "webinar", str(webinar_id), "funnel.csv")
        return Response(
            buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="entonnoir.csv"'},
        )
    if fmt == "svg":
        response = Response(charts.funnel_svg(labels, [counts[s] for s in FUNNEL]), mimetype="image/svg+xml")
        response.headers["Content-Security-Policy"] = SVG_POLICY
        return response
    abort(404)


# --- The public web chat of a webinar (no log-in: attendees are not counsellors)
#
# Anyone may write here, so what protects the assistant is kept on the server, never in the
# visitor's cookie (a cookie can be replayed): messages per sender and per client address,
# new conversations per address, and the buttons each sender was offered. Only a webinar
# still open (or not started yet) chats.

OPEN_STATES = ("open", "upcoming")
GREET = "/greet"  # what the page says on opening; the only "/" message not offered by a button
MAX_SENDERS = 10_000  # conversations remembered (their limits and buttons); the oldest are forgotten


@dataclass
class WebChatGuard:
    per_sender: SlidingWindowLimit = field(default_factory=lambda: SlidingWindowLimit(MAX_PER_MINUTE, 60))
    per_address: SlidingWindowLimit = field(default_factory=lambda: SlidingWindowLimit(MAX_PER_ADDRESS, 60))
    new_senders: SlidingWindowLimit = field(default_factory=lambda: SlidingWindowLimit(MAX_NEW_SENDERS, 3600))
    offered: BoundedMap[frozenset[str]] = field(default_factory=lambda: BoundedMap(MAX_SENDERS))

    def may_send(self, address: str, sender: str) -> bool:
        return self.per_address.hit(address) and self.per_sender.hit(sender)

    def was_offered(self, sender: str, message: str) -> bool:
        """A "/" message is an intent for Rasa: only the payload of a button this sender was
        just shown (or the page's single greeting) may go through."""
        return not message.startswith("/") or message in (self.offered.get(sender) or ())

    def remember_buttons(self, sender: str, replies: list[dict]) -> None:
        self.offered.put(sender, frozenset(b["payload"] for r in replies for b in r["buttons"] if b.get("payload")))


@blueprint.record_once
def _guard(state: BlueprintSetupState) -> None:
    state.app.extensions["web_chat"] = WebChatGuard()


def guard() -> WebChatGuard:
    return current_app.extensions["web_chat"]


def _webinar_state(code: str) -> tuple[str, str, str]:
    """The link's state, the webinar's language and its title."""
    with session_scope() as s:
        webinar = webinars.by_code(s, code)
        state = webinars.link_state(webinar, datetime.now(MONTREAL))
        return (state, webinar.language, webinar.title) if webinar else (state, "fr", "")


def _refused(error: str, status: int, language: str):
    return jsonify({"error": error, "message": texts.t(f"web_chat_{error}", language)}), status


@blueprint.route("/w/<code>")
def public_chat(code: str):
    state, g.lang, title = _webinar_state(code)
    if state == "unknown":
        abort(404)
    if state not in OPEN_STATES:
        return render_template("public_chat.html", title=title, closed=texts.t(f"web_chat_{state}", g.lang)), 410
    key = f"web_{code}"
    greet = key not in session
    if greet:
        if not guard().new_senders.hit(request.remote_addr or ""):
            return render_template("public_chat.html", title=title, closed=texts.t("web_chat_busy", g.lang)), 429
        session[key] = f"web-{secrets.token_hex(8)}"
        guard().offered.put(session[key], frozenset({GREET}))
    return render_template("public_chat.html", code=code, title=title, greet=greet)


@blueprint.route("/w/<code>/send", methods=["POST"])
def public_send(code: str):
    """The page says "/greet" once on opening (with the webinar as the start payload, as
    Telegram's deep link does); then the attendee's messages and the buttons they tap."""
    sender = session.get(f"web_{code}")
    message = str((request.get_json(silent=True) or {}).get("message") or "").strip()[:MAX_MESSAGE]
    if sender is None or not message:
        return jsonify({"error": "empty"}), 400
    state, language, _ = _webinar_state(code)
    if state not in OPEN_STATES:
        return _refused("closed" if state == "unknown" else state, 410, language)
    if not guard().may_send(request.remote_addr or "", sender):
        return _refused("slow_down", 429, language)
    if not guard().was_offered(sender, message):
        return _refused("not_offered", 400, language)
    metadata = {"channel": "web"}
    if message == GREET:
        metadata["start_payload"] = f"{webinars.CODE_PREFIX}{code}"
    replies = converse(current_app.config["SETTINGS"], sender, message, metadata)
    if replies is None:
        return jsonify({"error": "unavailable"}), 502
    guard().remember_buttons(sender, replies)
    return jsonify({"replies": replies})
