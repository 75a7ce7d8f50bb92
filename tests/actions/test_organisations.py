from actions.organisations import ActionFindOrganisation, ActionHousing
from tests.conftest import all_text, entity, make_tracker, run_action, slot_events


def test_organisations_of_a_city_come_with_their_source_and_no_phone(database_url, dispatcher):
    tracker = make_tracker(
        "un organisme d'accueil à Rimouski",
        "find_organisation",
        [entity("service", "welcome"), entity("city", "Rimouski")],
    )
    events = run_action(ActionFindOrganisation(), dispatcher, tracker)
    reply = all_text(dispatcher)
    assert "Accueil et intégration Bas-Saint-Laurent" in reply
    assert "Source : https://" in reply
    assert "pas encore vérifiées" in reply
    assert "accueil et installation" in reply  # the French rendering of the services
    assert slot_events(events)["region"] == "Bas-Saint-Laurent"
    assert reply.count("• ") <= 3


def test_region_without_organisation_points_to_accompagnement_quebec(database_url, dispatcher):
    tracker = make_tracker("organismes à Montréal", "find_organisation", [entity("region", "Montréal")])
    run_action(ActionFindOrganisation(), dispatcher, tracker)
    assert "Accompagnement Québec" in all_text(dispatcher)


def test_service_is_remembered_while_asking_where(database_url, dispatcher):
    tracker = make_tracker("cours de francisation svp", "find_organisation", [entity("service", "french")])
    events = run_action(ActionFindOrganisation(), dispatcher, tracker)
    assert slot_events(events) == {"service": "french"}
    assert "Quelle région" in dispatcher.messages[0]["text"]


def test_mentor_request_offers_pairing_programmes(database_url, dispatcher):
    tracker = make_tracker("parler avec un immigrant qui vit en Estrie", "find_mentor", [entity("region", "Estrie")])
    run_action(ActionFindOrganisation(), dispatcher, tracker)
    assert "jumelage" in all_text(dispatcher)


def test_housing_gives_the_sourced_advice_and_the_region_welcome_organisations(database_url, dispatcher):
    tracker = make_tracker("trouver un appart à Rimouski", "ask_housing", [entity("city", "Rimouski")])
    run_action(ActionHousing(), dispatcher, tracker)
    reply = all_text(dispatcher)
    assert "logement temporaire" in reply
    assert "Sources :" in reply
    assert "Accueil et intégration Bas-Saint-Laurent" in reply
