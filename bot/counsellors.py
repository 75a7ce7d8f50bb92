"""The counsellors' side of a handoff, in their Telegram group (COUNSELLOR_CHAT_ID):
a card per request, a button to claim it, replies to the card relayed to the person,
the person's messages relayed to the card, and /reprendre to give the conversation
back to the assistant."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from app import handoffs, inbox
from app.checklists import DONE
from app.db import session_scope
from app.models import Checklist, ChecklistItemStatus, CounsellorReply, Handoff, InboundMessage, utcnow
from bot.rasa import RasaClient
from bot.texts import say

logger = logging.getLogger(__name__)

REASONS = {
    "asked": "a demandé à parler à quelqu'un",
    "fallback": "l'assistant n'a pas compris deux fois de suite",
    "distress": "⚠️ DÉTRESSE : message inquiétant",
    "urgent_departure": "départ en urgence : note pour l'organisme régional à transmettre",
}
LAST_MESSAGES = 5
RESUME_COMMAND = "/reprendre"


def card_text(handoff: Handoff, name: str | None, last: list[str], checklist: str | None) -> str:
    lines = [
        f"Demande d'accompagnement n° {handoff.id}",
        f"Personne : {name or 'inconnue'} (conversation {handoff.sender_id})",
        f"Langue : {handoff.language}",
        f"Raison : {REASONS.get(handoff.reason, handoff.reason)}",
    ]
    if checklist:
        lines.append(f"Aide-mémoire : {checklist}")
    if last:
        lines.append("Derniers messages :")
        lines += [f"« {text[:300]} »" for text in last]
    lines.append(
        f"Répondez à ce message pour écrire à la personne; {RESUME_COMMAND} en réponse rend la main à l'assistant."
    )
    return "\n".join(lines)


def card_keyboard(handoff_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Je m'en occupe", callback_data=f"claim:{handoff_id}")],
            [InlineKeyboardButton("Rendre à l'assistant", callback_data=f"resume:{handoff_id}")],
        ]
    )


async def announce_new(bot: Bot, group_id: str) -> None:
    """Post a card for every handoff not yet announced."""
    with session_scope() as session:
        cards = [(h.id, card_text(h, *_context(session, h))) for h in handoffs.unannounced(session)]
    for handoff_id, text in cards:
        sent = await bot.send_message(group_id, text, reply_markup=card_keyboard(handoff_id))
        with session_scope() as session:
            session.get(Handoff, handoff_id).card_message_id = str(sent.message_id)


def _context(session: Session, handoff: Handoff) -> tuple[str | None, list[str], str | None]:
    """Name, last messages (only kept for people who consented) and checklist progress."""
    sender_id = handoff.sender_id
    recent = (
        session.execute(
            select(InboundMessage)
            .where(InboundMessage.chat_id == sender_id, ~InboundMessage.text.startswith("/"))
            .order_by(InboundMessage.id.desc())
            .limit(LAST_MESSAGES)
        )
        .scalars()
        .all()
    )
    name = next((inbox.metadata(m).get("first_name") for m in recent if inbox.metadata(m).get("first_name")), None)
    checklist = session.get(Checklist, sender_id)
    progress = None
    if checklist is not None:
        done = session.execute(
            select(ChecklistItemStatus).where(
                ChecklistItemStatus.sender_id == sender_id, ChecklistItemStatus.status == DONE
            )
        ).all()
        progress = (
            f"{len(done)} tâche(s) faite(s), destination {checklist.destination or '?'}, "
            f"début {checklist.start_date or 'à confirmer'}"
        )
    last = [m.text for m in reversed(recent)] or ([handoff.last_message] if handoff.last_message else [])
    return name, last, progress


async def relay_to_group(bot: Bot, group_id: str, sender_id: str, text: str) -> None:
    """The person's message, as a reply to their card, while a counsellor has the conversation."""
    with session_scope() as session:
        handoff = handoffs.active_for(session, sender_id)
        card = handoff.card_message_id if handoff else None
    if card:
        await bot.send_message(group_id, f"💬 {text}", reply_to_message_id=int(card))


async def give_back(bot: Bot, rasa: RasaClient, handoff_id: int) -> None:
    """Close the handoff and let the assistant answer again."""
    with session_scope() as session:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None or handoff.status == handoffs.CLOSED:
            return
        handoffs.close(handoff)
        sender_id, language = handoff.sender_id, handoff.language
    await rasa.resume(sender_id)
    await bot.send_message(sender_id, say("resumed", language))


async def deliver_console_replies(bot: Bot) -> int:
    """What counsellors typed in the console, sent to the person; a failed send stays
    queued for the next round. Returns how many were sent."""
    with session_scope() as session:
        queued = [(r.id, r.sender_id, r.kind, r.text, r.handoff_id) for r in handoffs.pending_replies(session)]
        languages = {
            h.id: h.language for h in session.scalars(select(Handoff).where(Handoff.id.in_({q[4] for q in queued})))
        }
    sent = 0
    for reply_id, sender_id, kind, text, handoff_id in queued:
        message = say("resumed", languages.get(handoff_id)) if kind == "resumed" else f"👤 {text}"
        try:
            await bot.send_message(sender_id, message)
        except TelegramError:
            logger.warning("console reply %s not delivered yet", reply_id)
            continue
        with session_scope() as session:
            session.get(CounsellorReply, reply_id).sent_at = utcnow()
        sent += 1
    return sent


async def on_card_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    action, _, raw_id = (query.data or "").partition(":")
    handoff_id = int(raw_id)
    who = update.effective_user.full_name if update.effective_user else "?"
    if action == "resume":
        await give_back(context.bot, context.application.bot_data["rasa"], handoff_id)
        await query.answer("Rendu à l'assistant")
        return
    with session_scope() as session:
        handoff = session.get(Handoff, handoff_id)
        claimed = handoff is not None and handoffs.claim(handoff, who)
        holder = handoff.claimed_by if handoff else None
    await query.answer("C'est à vous" if claimed else f"Déjà pris par {holder}")
    if claimed and query.message:
        await query.edit_message_text(
            f"{query.message.text}\n✅ Pris par {who}", reply_markup=card_keyboard(handoff_id)
        )


async def on_group_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A counsellor's reply to a card goes to the person; /reprendre gives it back."""
    message = update.effective_message
    with session_scope() as session:
        handoff = handoffs.by_card(session, str(message.reply_to_message.message_id))
        if handoff is None or handoff.status == handoffs.CLOSED:
            return
        handoffs.claim(handoff, update.effective_user.full_name if update.effective_user else "?")
        handoff_id, sender_id = handoff.id, handoff.sender_id
    if (message.text or "").strip().startswith(RESUME_COMMAND):
        await give_back(context.bot, context.application.bot_data["rasa"], handoff_id)
    else:
        await context.bot.send_message(sender_id, f"👤 {message.text}")


async def on_person_resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The person writes /reprendre: back to the assistant."""
    with session_scope() as session:
        handoff = handoffs.active_for(session, str(update.effective_chat.id))
        handoff_id = handoff.id if handoff else None
    if handoff_id is None:
        await update.effective_message.reply_text(say("resumed", update.effective_user.language_code))
        return
    await give_back(context.bot, context.application.bot_data["rasa"], handoff_id)
