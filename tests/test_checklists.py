from datetime import date

import pytest
from sqlalchemy import select

from app import candidates, checklists
from app.checklists import DONE, NOT_FOR_ME, TODO, ChecklistState, liaison_note, load_items, typed_status
from app.models import Checklist, ChecklistItemStatus, LiaisonNote
from app.procedures import load_procedures


def test_two_blocks_short_enough_for_one_screen_each():
    items = load_items()
    for block in ("before_leaving", "first_days"):
        entries = [i for i in items if i.block == block]
        assert 4 <= len(entries) <= 8
        for language in ("fr", "en"):
            assert sum(len(i.title[language]) + len(i.todo[language]) for i in entries) < 1000
    assert len({i.key for i in items}) == len(items)


def test_every_item_points_to_a_sourced_answer_or_the_report():
    topics = set(load_procedures())
    for entry in load_items():
        assert entry.topic in topics or entry.source, entry.key


def test_the_issue_items_are_all_there():
    keys = {i.key for i in load_items()}
    assert {"lease", "change_address", "temporary_housing", "licence_car", "health_card", "school",
            "bank_mail", "welcome_organisation", "moving_help", "spouse", "essentials"} <= keys  # fmt: skip


def test_remaining_keeps_the_order_lease_first_and_skips_done_or_not_for_me():
    state = ChecklistState(destination="Rimouski")
    state.mark("temporary_housing", DONE)
    state.mark("school", NOT_FOR_ME)
    remaining = [i.key for i in state.remaining()]
    assert remaining[0] == "lease"
    assert "temporary_housing" not in remaining and "school" not in remaining
    assert remaining.index("moving_help") < remaining.index("health_card")  # before leaving, then first days


def test_slot_round_trip_and_bad_values():
    state = ChecklistState("2026-11-30", "Rimouski", "Bas-Saint-Laurent", {"lease": DONE})
    assert ChecklistState.from_slot(state.to_slot()) == state
    assert ChecklistState.from_slot(None) is None
    assert ChecklistState.from_slot({"statuses": {"lease": "hacked"}}).status("lease") == TODO
    with pytest.raises(ValueError):
        state.mark("not-an-item", DONE)


def test_days_left():
    state = ChecklistState(start_date="2026-11-30")
    assert state.days_left(date(2026, 11, 24)) == 6
    assert ChecklistState(start_date="unknown").days_left(date(2026, 11, 24)) is None


def test_liaison_note_has_no_identity_and_lists_what_is_left():
    state = ChecklistState("2026-11-30", "Rimouski", "Bas-Saint-Laurent", {"lease": DONE})
    note = liaison_note(state, "Accueil et intégration Bas-Saint-Laurent (AIBSL) (Rimouski)", date(2026, 11, 24))
    assert "Rimouski (Bas-Saint-Laurent)" in note
    assert "2026-11-30 (dans 6 jours)" in note
    assert "Logement temporaire" in note and "Bail à Montréal" not in note
    assert note.startswith("À l'attention de : Accueil et intégration")


def test_counsellor_mirror_and_erasure(session):
    state = ChecklistState("2026-11-30", "Rimouski", "Bas-Saint-Laurent", {"lease": DONE})
    checklists.save_for_counsellors(session, "mirror", state)
    state.mark("lease", TODO)
    state.mark("school", NOT_FOR_ME)
    checklists.save_for_counsellors(session, "mirror", state)
    checklists.save_liaison_note(session, "mirror", "Bas-Saint-Laurent", None, "note")
    session.flush()
    stored = dict(session.execute(select(ChecklistItemStatus.item_key, ChecklistItemStatus.status)).all())
    assert stored == {"lease": TODO, "school": NOT_FOR_ME}
    assert session.get(Checklist, "mirror").start_date == date(2026, 11, 30)

    candidates.erase(session, "mirror")
    session.flush()
    assert session.get(Checklist, "mirror") is None
    assert session.query(LiaisonNote).filter_by(sender_id="mirror").count() == 0


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("pas encore fait", TODO),
        ("le bail, je l'ai pas fait", TODO),
        ("c'est en cours pour la RAMQ", TODO),
        ("décoche le changement d'adresse", TODO),
        ("I haven't done it yet", TODO),
        ("still working on it, leave it unchecked", TODO),
        ("ça s'applique pas à moi", NOT_FOR_ME),
        ("l'école, pas pour nous, on a pas d'enfants", NOT_FOR_ME),
        ("that one doesn't apply to me", NOT_FOR_ME),
        ("not applicable", NOT_FOR_ME),
        ("le bail c'est fait", None),
        ("done with the lease", None),
        ("j'ai appelé l'organisme d'accueil hier", None),
    ],
)
def test_the_status_a_typed_message_gives_a_task(typed, status):
    assert typed_status(typed) == status
