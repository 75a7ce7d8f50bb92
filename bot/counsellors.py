"""The counsellors' side of a handoff, in their Telegram group (COUNSELLOR_CHAT_ID):
a card per request, a button to claim it, replies to the card relayed to the person,
the person's messages relayed to the card, and /reprendre to give the conversation
back to the assistant."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session
from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from app import handoffs, inbox, rounds
from app.catalogue import say
from app.checklists import DONE
from app.db import session_scope
from app.models import (
    Checklist,
    ChecklistItemStatus,
    CounsellorReply,
    GroupDeletion,
    Handoff,
    InboundMessage,
    utcnow,
)
from app.rasa_client import RasaClient
from bot.rendering import inline_keyboard
from bot.texts import say as bridge_says

logger = logging.getLogger(__name__)

REASONS = ("asked", "fallback", "distress", "urgent_departure")
LAST_MESSAGES = 5
RESUME_COMMAND = "/reprendre"
MAX_DELETION_ATTEMPTS = 5
# The group's own words (app/catalogue/core.py): counsellors read French.
GROUP_LANGUAGE = "fr"


def group_says(key: str, **values: object) -> str:
    return say(f"group.{key}", GROUP_LANGUAGE, **values)


def card_text(handoff: Handoff, name: str | None, last: list[str], checklist: str | None) -> str:
    reason = group_says(f"reason_{handoff.reason}") if handoff.reason in REASONS else handoff.reason
    lines = [
        group_says("card_title", id=handoff.id),
        group_says("card_person", name=name or group_says("card_unknown_name"), sender=handoff.sender_id),
        group_says("card_language", language=handoff.language),
        group_says("card_reason", reason=reason),
    ]
    if checklist:
        lines.append(group_says("card_checklist", checklist=checklist))
    if last:
        lines.append(group_says("card_last_messages"))
        lines += [f"« {text[:300]} »" for text in last]
    else:
        lines.append(group_says("card_no_messages"))
    lines.append(group_says("card_how_to_reply", command=RESUME_COMMAND))
    return "\n".join(lines)


def card_keyboard(handoff_id: int) -> InlineKeyboardMarkup:
    return inline_keyboard(
        [[(group_says("btn_claim"), f"claim:{handoff_id}")], [(group_says("btn_resume"), f"resume:{handoff_id}")]]
    )


async def announce_new(bot: Bot, group_id: str) -> int:
    """Post a card for every handoff not yet announced: taken first, so that two bridges
    never post two cards for one handoff; a failure is retried, then given up (the console
    still lists the handoff). Returns how many were posted."""
    with session_scope() as session:
        cards = [(h.id, card_text(h, *_context(session, h))) for h in handoffs.unannounced(session)]

    async def post(card: tuple[int, str]) -> Message:
        return await bot.send_message(group_id, card[1], reply_markup=card_keyboard(card[0]))

    return await rounds.work_through(
        handoffs.CARDS,
        cards,
        lambda card: card[0],
        post,
        lambda session, card, sent: handoffs.card_posted(session, card[0], sent.message_id),
    )


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
        progress = group_says(
            "card_checklist_progress",
            done=len(done),
            destination=checklist.destination or "?",
            start=checklist.start_date or group_says("card_start_unknown"),
        )
    last = [m.text for m in reversed(recent)] or ([handoff.last_message] if handoff.last_message else [])
    return name, last, progress


async def relay_to_group(bot: Bot, group_id: str, sender_id: str, text: str) -> None:
    """The person's message, as a reply to their card, while a counsellor has the conversation."""
    with session_scope() as session:
        handoff = handoffs.active_for(session, sender_id)
        handoff_id, card = (handoff.id, handoff.card_message_id) if handoff else (None, None)
    if card:
        relayed = await bot.send_message(group_id, f"💬 {text}", reply_to_message_id=int(card))
        with session_scope() as session:
            handoffs.remember_group_message(session, handoff_id, relayed.message_id)


async def give_back(bot: Bot, rasa: RasaClient, handoff_id: int) -> None:
    """Close the handoff and let the assistant answer again."""
    with session_scope() as session:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None or handoff.status == handoffs.CLOSED:
            return
        handoffs.close(handoff)
        sender_id, language = handoff.sender_id, handoff.language
    await rasa.resume(sender_id)
    await bot.send_message(sender_id, bridge_says("resumed", language))


async def deliver_console_replies(bot: Bot) -> int:
    """What counsellors typed in the console, sent to the person, each taken first (two
    bridges never send it both); any failed send is tried again with back-off, and given up
    when the chat refuses for good or after handoffs.MAX_REPLY_ATTEMPTS. Returns how many
    were sent."""
    with session_scope() as session:
        queued = [
            (r.id, r.sender_id, r.kind, r.text, r.handoff_id) for r in handoffs.pending_replies(session, utcnow())
        ]
        languages = {
            h.id: h.language for h in session.scalars(select(Handoff).where(Handoff.id.in_({q[4] for q in queued})))
        }

    async def send(reply: tuple[int, str, str, str, int]) -> None:
        _, sender_id, kind, text, handoff_id = reply
        message = bridge_says("resumed", languages.get(handoff_id)) if kind == "resumed" else f"👤 {text}"
        await bot.send_message(sender_id, message)

    def failed(session: Session, reply: tuple, error: Exception) -> None:
        found = session.get(CounsellorReply, reply[0])
        if found is not None:  # None: the person's data was erased meanwhile
            handoffs.reply_failed(found, utcnow(), refused_for_good(error), rounds.describe(error))

    return await rounds.work_through(
        handoffs.REPLIES,
        queued,
        lambda reply: reply[0],
        send,
        lambda session, reply, _: handoffs.reply_sent(session.get(CounsellorReply, reply[0]), utcnow()),
        failed,
    )


def refused_for_good(error: TelegramError) -> bool:
    """No such chat, or the person blocked the bot: trying again changes nothing."""
    return isinstance(error, BadRequest | Forbidden)


async def delete_erased_messages(bot: Bot, group_id: str) -> int:
    """Erasure, in the group too: cards and relayed messages of erased people are deleted;
    one Telegram no longer lets a bot delete (over 48 hours) is blanked instead."""
    with session_scope() as session:
        queued = [(d.id, d.message_id) for d in handoffs.group_deletions(session)]
    removed = 0
    for deletion_id, message_id in queued:
        try:
            await _delete_or_blank(bot, group_id, int(message_id))
        except Exception as error:  # any failure (not only Telegram's) must not stop the bridge's round
            logger.warning("group message %s not removed yet: %s", message_id, error)
            with session_scope() as session:
                deletion = session.get(GroupDeletion, deletion_id)
                deletion.attempts += 1
                if deletion.attempts < MAX_DELETION_ATTEMPTS:
                    continue
                session.delete(deletion)  # gone already, or not ours: nothing more to do
            continue
        with session_scope() as session:
            session.delete(session.get(GroupDeletion, deletion_id))
        removed += 1
    return removed


async def _delete_or_blank(bot: Bot, group_id: str, message_id: int) -> None:
    try:
        await bot.delete_message(group_id, message_id)
    except BadRequest:
        await bot.edit_message_text(group_says("erased"), chat_id=group_id, message_id=message_id)


async def may_act(bot: Bot, group_id: str, handoff: Handoff, user: User) -> bool:
    """The console's rule: an open request is anyone's in the group; a claimed one is its
    claimer's, or a group administrator's. `handoff` may be detached (read before the call)."""
    if handoff.status == handoffs.OPEN or handoffs.held_by(handoff, handoffs.telegram_counsellor(user.id)):
        return True
    member = await bot.get_chat_member(group_id, user.id)
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def _card_handoff(group_id: str, query: CallbackQuery) -> Handoff | None:
    """The handoff behind a card button, only when pressed on that card, in the group
    (detached). Callback data is chosen by the client: the card's own message is what we trust."""
    raw_id = (query.data or "").partition(":")[2]
    message = query.message
    if not group_id or message is None or str(message.chat.id) != str(group_id) or not raw_id.isdigit():
        return None
    with session_scope() as session:
        handoff = session.get(Handoff, int(raw_id))
        if handoff is None or handoff.card_message_id != str(message.message_id):
            return None
        session.expunge(handoff)
    return handoff


async def on_card_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, user = update.callback_query, update.effective_user
    group_id = context.application.bot_data.get("counsellor_chat_id", "")
    handoff = _card_handoff(group_id, query) if user else None
    if handoff is None:
        await query.answer(group_says("not_this_card"), show_alert=True)
    elif handoff.status == handoffs.CLOSED:
        await query.answer(group_says("already_closed"))
    elif not query.data.startswith("resume:"):
        await _claim_from_card(query, handoff.id, user)
    elif await may_act(context.bot, group_id, handoff, user):
        await give_back(context.bot, context.application.bot_data["rasa"], handoff.id)
        await query.answer(group_says("given_back"))
    else:
        await query.answer(group_says("followed_by", holder=handoff.claimed_by_name), show_alert=True)


async def _claim_from_card(query: CallbackQuery, handoff_id: int, user: User) -> None:
    with session_scope() as session:
        handoff = session.get(Handoff, handoff_id)
        claimed = handoffs.claim(handoff, handoffs.telegram_counsellor(user.id), user.full_name)
        holder = handoff.claimed_by_name
    await query.answer(group_says("yours") if claimed else group_says("taken_by", holder=holder))
    if claimed:
        await query.edit_message_text(
            f"{query.message.text}\n{group_says('taken_line', name=user.full_name)}",
            reply_markup=card_keyboard(handoff_id),
        )


def _replied_handoff(group_id: str, message: Message) -> Handoff | None:
    """The active handoff a group message answers (its card or a message relayed under it), detached."""
    if str(message.chat.id) != str(group_id) or message.reply_to_message is None:
        return None
    with session_scope() as session:
        handoff = handoffs.by_group_message(session, str(message.reply_to_message.message_id))
        if handoff is None or handoff.status == handoffs.CLOSED:
            return None
        session.expunge(handoff)
    return handoff


async def on_group_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A counsellor's reply to a card (or to a message relayed under it) goes to the person;
    /reprendre gives it back. Someone else's request is left to its claimer or an admin."""
    message, user = update.effective_message, update.effective_user
    group_id = context.application.bot_data.get("counsellor_chat_id", "")
    handoff = _replied_handoff(group_id, message) if user else None
    if handoff is None:
        return
    if not await may_act(context.bot, group_id, handoff, user):
        await message.reply_text(group_says("followed_by", holder=handoff.claimed_by_name))
        return
    with session_scope() as session:
        handoffs.claim(session.get(Handoff, handoff.id), handoffs.telegram_counsellor(user.id), user.full_name)
        handoffs.remember_group_message(session, handoff.id, message.message_id)
    if (message.text or "").strip().startswith(RESUME_COMMAND):
        await give_back(context.bot, context.application.bot_data["rasa"], handoff.id)
    else:
        await context.bot.send_message(handoff.sender_id, f"👤 {message.text}")


async def on_person_resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The person writes /reprendre: back to the assistant."""
    with session_scope() as session:
        handoff = handoffs.active_for(session, str(update.effective_chat.id))
        handoff_id = handoff.id if handoff else None
    if handoff_id is None:
        await update.effective_message.reply_text(bridge_says("resumed", update.effective_user.language_code))
        return
    await give_back(context.bot, context.application.bot_data["rasa"], handoff_id)
