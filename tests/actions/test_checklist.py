import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from actions import checklist as checklist_actions
from actions.checklist import (
    ActionChangeDestination,
    ActionChecklistItem,
    ActionChecklistMark,
    ActionChecklistRemaining,
    ActionLiaisonNote,
    ActionSendLiaisonNote,
    ActionShowChecklist,
    ValidateUrgentDepartureForm,
)
from actions.messages import text
from app.checklists import DONE, NOT_FOR_ME, TODO, ChecklistState
from app.models import ChecklistItemStatus, Handoff, LiaisonNote
from tests.conftest import all_text, entity, make_tracker, run_action, slot_events

TODAY = date.today()


def checklist_slot(**statuses):
    start = (TODAY + timedelta(days=6)).isoformat()
    return ChecklistState(start, "Rimouski", "Bas-Saint-Laurent", statuses).to_slot()


def test_form_takes_destination_and_date_from_the_first_message(database_url, dispatcher):
    form = ValidateUrgentDepartureForm()
    tracker = make_tracker(
        "j'ai trouvé un emploi à Rimouski, je commence lundi", "urgent_departure", [entity("city", "Rimouski")]
    )
    assert asyncio.run(form.extract_destination(dispatcher, tracker, {})) == {"destination": "Rimouski"}
    assert asyncio.run(form.extract_start_date(dispatcher, tracker, {})) == {
        "start_date": tracker.latest_message["text"]
    }
    monday = form.validate_start_date("lundi", dispatcher, tracker, {})["start_date"]
    assert date.fromisoformat(monday).weekday() == 0


def test_form_refuses_a_past_date_and_an_unreadable_one(database_url, dispatcher):
    form = ValidateUrgentDepartureForm()
    tracker = make_tracker("...", slots={"requested_slot": "start_date"})
    past = (TODAY - timedelta(days=3)).isoformat()
    assert form.validate_start_date(past.replace("-", "/"), dispatcher, tracker, {}) == {"start_date": None}
    assert "déjà passée" in dispatcher.messages[-1]["text"]
    assert form.validate_start_date("Rimouski", dispatcher, tracker, {}) == {"start_date": None}
    assert "pas compris la date" in dispatcher.messages[-1]["text"]
    assert form.validate_start_date(past, dispatcher, tracker, {}) == {"start_date": None}  # ISO too
    assert form.validate_start_date("je sais pas encore", dispatcher, tracker, {}) == {"start_date": "unknown"}


def test_form_unknown_destination_gets_suggestions(database_url, dispatcher):
    form = ValidateUrgentDepartureForm()
    tracker = make_tracker("Rimousky", slots={"requested_slot": "destination"})
    assert form.validate_destination("Rimousky", dispatcher, tracker, {}) == {"destination": None}
    assert dispatcher.messages[0]["buttons"][0]["payload"] == '/inform{"city": "Rimouski"}'


def test_whole_checklist_in_two_blocks_with_the_region_welcome_organisation(database_url, dispatcher):
    tracker = make_tracker("", slots={"destination": "Rimouski", "start_date": (TODAY + timedelta(days=6)).isoformat()})
    events = run_action(ActionShowChecklist(), dispatcher, tracker)
    before, after = dispatcher.messages
    assert before["text"].startswith("Avant de quitter Montréal (début")
    assert "dans 6 jours" in before["text"]
    assert "☐ Bail à Montréal" in before["text"]
    assert "Accueil et intégration Bas-Saint-Laurent" in before["text"]
    assert after["text"].startswith("Dans les premiers jours à Rimouski")
    assert len(before["text"]) < 1200 and len(after["text"]) < 1200  # one phone screen each
    assert before["buttons"][0]["payload"] == '/checklist_item{"checklist_item": "lease"}'
    assert slot_events(events)["checklist"]["region"] == "Bas-Saint-Laurent"


def test_ticking_an_item_keeps_it_and_mirrors_it_for_counsellors(database_url, session, dispatcher):
    tracker = make_tracker(
        "/checklist_mark",
        "checklist_mark",
        [entity("checklist_item", "lease"), entity("checklist_status", DONE)],
        slots={"checklist": checklist_slot(), "consent": True},
        sender_id="ticking",
    )
    events = run_action(ActionChecklistMark(), dispatcher, tracker)
    assert slot_events(events)["checklist"]["statuses"] == {"lease": DONE}
    assert "Bail à Montréal" in dispatcher.messages[0]["text"]
    stored = session.execute(select(ChecklistItemStatus).where(ChecklistItemStatus.sender_id == "ticking")).scalars()
    assert [(s.item_key, s.status) for s in stored] == [("lease", DONE)]


def test_a_typed_not_yet_leaves_the_task_to_do_and_a_typed_not_for_me_marks_it_so(database_url, dispatcher):
    for typed, expected in [
        ("pas encore fait pour le bail", TODO),
        ("le bail ça me concerne pas", NOT_FOR_ME),
        ("le bail c'est réglé", DONE),
    ]:
        tracker = make_tracker(typed, "checklist_mark", [entity("checklist_item", "lease")],
                               slots={"checklist": checklist_slot(lease=DONE)})  # fmt: skip
        events = run_action(ActionChecklistMark(), dispatcher, tracker)
        assert slot_events(events)["checklist"]["statuses"] == {"lease": expected}, typed


def test_nothing_mirrored_without_consent(database_url, session, dispatcher):
    tracker = make_tracker(
        "/checklist_mark", "checklist_mark", [entity("checklist_item", "lease")],
        slots={"checklist": checklist_slot()}, sender_id="no-consent",
    )  # fmt: skip
    run_action(ActionChecklistMark(), dispatcher, tracker)
    assert session.query(ChecklistItemStatus).filter_by(sender_id="no-consent").count() == 0


def test_item_detail_offers_three_statuses_and_the_sourced_answer(database_url, dispatcher):
    tracker = make_tracker(
        "/checklist_item", "checklist_item", [entity("checklist_item", "lease")], slots={"checklist": checklist_slot()}
    )
    run_action(ActionChecklistItem(), dispatcher, tracker)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert '/checklist_mark{"checklist_item": "lease", "checklist_status": "not_applicable"}' in payloads
    assert "/ask_lease" in payloads


def test_whats_left_in_order_without_the_ticked_ones(database_url, dispatcher):
    slot = checklist_slot(lease=DONE, school=NOT_FOR_ME)
    run_action(
        ActionChecklistRemaining(),
        dispatcher,
        make_tracker("what's left?", "checklist_remaining", slots={"checklist": slot}),
    )
    reply = dispatcher.messages[0]["text"]
    assert "Bail à Montréal" not in reply and "École" not in reply
    assert reply.index("Logement temporaire") < reply.index("Carte d'assurance maladie")


def test_whats_left_without_a_checklist_offers_one(database_url, dispatcher):
    run_action(ActionChecklistRemaining(), dispatcher, make_tracker("il me reste quoi", "checklist_remaining"))
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/urgent_departure"


def test_a_new_destination_keeps_the_ticks(database_url, dispatcher):
    tracker = make_tracker(
        "finalement c'est à Sherbrooke", "change_destination", [entity("city", "Sherbrooke")],
        slots={"checklist": checklist_slot(lease=DONE)},
    )  # fmt: skip
    events = run_action(ActionChangeDestination(), dispatcher, tracker)
    state = slot_events(events)["checklist"]
    assert (state["destination"], state["region"], state["statuses"]) == ("Sherbrooke", "Estrie", {"lease": DONE})
    assert "✅ Bail à Montréal" in all_text(dispatcher)


@pytest.mark.parametrize(
    "message",
    ["finalement c'est pas Rimouski, c'est Amqui", "on va plus à Rimouski mais à Amqui", "Amqui instead of Rimouski"],
)
def test_the_new_destination_is_the_one_not_ruled_out(database_url, dispatcher, message):
    places = [entity("city", "Rimouski", message), entity("city", "Amqui", message)]
    tracker = make_tracker(message, "change_destination", places, slots={"checklist": checklist_slot(lease=DONE)})
    state = slot_events(run_action(ActionChangeDestination(), dispatcher, tracker))["checklist"]
    assert (state["destination"], state["statuses"]) == ("Amqui", {"lease": DONE})


def test_a_change_that_only_names_the_old_place_asks_for_the_new_one(database_url, dispatcher):
    message = "finalement ce sera plus Rimouski"
    tracker = make_tracker(message, "change_destination", [entity("city", "Rimouski", message)],
                           slots={"checklist": checklist_slot()})  # fmt: skip
    assert run_action(ActionChangeDestination(), dispatcher, tracker) == []
    assert dispatcher.messages[0]["text"] == text("which_region", "fr")


def test_a_new_destination_named_like_a_word_is_asked_about_not_called_unknown(database_url, dispatcher):
    tracker = make_tracker(
        "finalement c'est à Padoue", "change_destination", slots={"checklist": checklist_slot(lease=DONE)}
    )
    assert run_action(ActionChangeDestination(), dispatcher, tracker) == []
    (message,) = dispatcher.messages
    assert message["text"] == "Padoue, la municipalité du Bas-Saint-Laurent?"
    assert message["buttons"][0] == {"title": "Oui", "payload": '/change_destination{"city": "Padoue"}'}
    assert all(b["title"] != "Padoue" for b in message["buttons"][1:])  # not offered twice
    dispatcher.messages.clear()
    yes = make_tracker(
        '/change_destination{"city": "Padoue"}', "change_destination", [entity("city", "Padoue")],
        slots={"checklist": checklist_slot(lease=DONE)},
    )  # fmt: skip
    state = slot_events(run_action(ActionChangeDestination(), dispatcher, yes))["checklist"]
    assert (state["destination"], state["region"]) == ("Padoue", "Bas-Saint-Laurent")


def test_liaison_note_shown_then_stored_with_a_handoff_on_yes(database_url, session, dispatcher):
    slots = {"checklist": checklist_slot(lease=DONE)}
    run_action(
        ActionLiaisonNote(), dispatcher, make_tracker("prévenez l'organisme", "prepare_liaison_note", slots=slots)
    )
    assert "Accueil et intégration Bas-Saint-Laurent" in dispatcher.messages[1]["text"]
    assert session.query(LiaisonNote).filter_by(sender_id="liaison").count() == 0

    run_action(ActionSendLiaisonNote(), dispatcher, make_tracker("oui", "affirm", slots=slots, sender_id="liaison"))
    note = session.execute(select(LiaisonNote).where(LiaisonNote.sender_id == "liaison")).scalar_one()
    assert note.region == "Bas-Saint-Laurent" and "Logement temporaire" in note.text
    handoff = session.execute(select(Handoff).where(Handoff.sender_id == "liaison")).scalar_one()
    assert handoff.reason == "urgent_departure"


def test_today_is_used_for_deadlines(monkeypatch, database_url, dispatcher):
    monkeypatch.setattr(checklist_actions, "today", lambda: date(2026, 11, 24))
    slot = ChecklistState("2026-11-30", "Rimouski", "Bas-Saint-Laurent", {}).to_slot()
    run_action(ActionShowChecklist(), dispatcher, make_tracker("", slots={"checklist": slot}))
    assert "début lundi 30 novembre, dans 6 jours" in dispatcher.messages[0]["text"]


def test_form_lets_other_requests_interrupt_it(database_url, dispatcher):
    form = ValidateUrgentDepartureForm()
    counsellor = make_tracker("/request_counsellor", "request_counsellor", slots={"requested_slot": "destination"})
    assert asyncio.run(form.extract_destination(dispatcher, counsellor, {})) == {}
    menu = make_tracker("/help", "help", slots={"requested_slot": "start_date"})
    assert asyncio.run(form.extract_start_date(dispatcher, menu, {})) == {}
    answer = make_tracker("Rimousky", "inform", slots={"requested_slot": "destination"})
    assert asyncio.run(form.extract_destination(dispatcher, answer, {})) == {"destination": "Rimousky"}
    date_answer = make_tracker("lundi", "affirm", slots={"requested_slot": "start_date"})
    assert asyncio.run(form.extract_start_date(dispatcher, date_answer, {})) == {"start_date": "lundi"}


def test_licence_and_moving_aid_say_when_their_source_counts_from(database_url, dispatcher):
    tracker = make_tracker("", slots={"destination": "Rimouski", "start_date": (TODAY + timedelta(days=6)).isoformat()})
    run_action(ActionShowChecklist(), dispatcher, tracker)
    before = dispatcher.messages[0]["text"]
    assert "permis étranger vaut 6 mois après votre arrivée au Québec, pas après le déménagement en région" in before
    assert "un rapport de 2015–2017 parle d'un remboursement jusqu'à 1 000 $" in before
