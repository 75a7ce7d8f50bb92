"""Law 25 end to end, with the real servers: a person consents, chats, is handed to a
counsellor (a card and a relayed message in the group), gets their copy, then asks for erasure:
nothing of them is left in any table, in the tracker store, or in the group."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import delete, inspect, select, text

from app import candidates, handoffs
from app.db import session_scope
from app.models import GroupDeletion

pytestmark = pytest.mark.servers


def said(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def rows_mentioning(value: str) -> dict[str, int]:
    """Every table of the database (the app's and Rasa's events), every column, as text."""
    found = {}
    with session_scope() as session:
        engine = session.get_bind()
        for table in inspect(engine).get_table_names():
            columns = [c["name"] for c in inspect(engine).get_columns(table)]
            where = " OR ".join(f'CAST("{c}" AS TEXT) LIKE :pattern' for c in columns)
            count = session.execute(text(f'SELECT count(*) FROM "{table}" WHERE {where}'), {"pattern": f"%{value}%"})
            if number := count.scalar_one():
                found[table] = number
    return found


def test_consent_chat_copy_then_erasure_leaves_nothing(servers):
    person = str(random.randint(5_000_000_000, 5_999_999_999))  # like a Telegram chat id
    servers.say(person, "bonjour")
    assert "Merci" in said(servers.say(person, "/give_consent"))
    servers.say(person, "c'est comment la vie à Rimouski?")
    with session_scope() as session:  # a handoff, its card and a relayed message in the group, as the bridge keeps them
        handoff = handoffs.open_handoff(session, person, "asked", "un conseiller svp", "fr")
        handoff.card_message_id = "880001"
        session.flush()
        handoffs.remember_group_message(session, handoff.id, 880002)
    assert rows_mentioning(person)  # the check below can see this person's rows

    with session_scope() as session:
        copy = candidates.export_about(session, person)
    assert "Rimouski" in str(copy) and copy["counsellor_requests"]

    assert "effacer" in said(servers.say(person, "/delete_my_data"))  # /supprimer in Telegram
    assert "effacées" in said(servers.say(person, "/affirm"))
    assert rows_mentioning(person) == {}
    events = servers.tracker(person)["events"] or []
    assert not any("Rimouski" in (e.get("text") or "") for e in events)  # the tracker store too
    with session_scope() as session:
        queued = set(session.scalars(select(GroupDeletion.message_id)))
    assert {"880001", "880002"} <= queued  # the bridge deletes them from the group
    with session_scope() as session:  # not left for another test's bridge to delete in its emulator
        session.execute(delete(GroupDeletion).where(GroupDeletion.message_id.in_(["880001", "880002"])))
