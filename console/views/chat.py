"""Try the assistant: a chat page for demos and group sessions. The browser talks to this
server, which forwards to Rasa's REST channel (no Rasa URL or CORS in the browser)."""

from __future__ import annotations

import secrets

from flask import Blueprint, current_app, jsonify, render_template, request, session

from console.accounts import login_required
from console.rasa import converse

blueprint = Blueprint("chat", __name__)
MAX_MESSAGE = 2000


@blueprint.route("/chat")
@login_required
def page():
    # One demo conversation per browser session, not a candidate's.
    session.setdefault("chat_sender", f"console-demo-{secrets.token_hex(6)}")
    return render_template("chat.html")


@blueprint.route("/chat/send", methods=["POST"])
@login_required
def send():
    message = str((request.get_json(silent=True) or {}).get("message") or "").strip()[:MAX_MESSAGE]
    if not message:
        return jsonify({"error": "empty"}), 400
    settings = current_app.config["SETTINGS"]
    sender = session.setdefault("chat_sender", f"console-demo-{secrets.token_hex(6)}")
    replies = converse(settings, sender, message)
    if replies is None:
        return jsonify({"error": "unavailable"}), 502
    return jsonify({"replies": replies})
