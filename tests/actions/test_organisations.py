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


def test_pairing_programmes_are_found_by_their_service(database_url, dispatcher):
    # What the mentor look-up offers when nobody is settled near the destination.
    tracker = make_tracker(
        '/find_organisation{"region": "Outaouais", "service": "pairing"}', "find_organisation",
        [entity("region", "Outaouais"), entity("service", "pairing")],
    )  # fmt: skip
    run_action(ActionFindOrganisation(), dispatcher, tracker)
    assert "jumelage" in all_text(dispatcher).lower()


def test_housing_gives_the_sourced_advice_and_the_region_welcome_organisations(database_url, dispatcher):
    tracker = make_tracker("trouver un appart à Rimouski", "ask_housing", [entity("city", "Rimouski")])
    run_action(ActionHousing(), dispatcher, tracker)
    reply = all_text(dispatcher)
    assert "logement temporaire" in reply
    assert "Sources :" in reply
    assert "Accueil et intégration Bas-Saint-Laurent" in reply


def test_low_confidence_rows_are_not_offered(database_url, dispatcher):
    # Both organisations in Sept-Îles are low: a volunteer group of uncertain activity, and a
    # literacy centre whose role for immigrants is only partly described.
    tracker = make_tracker("organismes à Sept-Îles", "find_organisation", [entity("city", "Sept-Îles")])
    run_action(ActionFindOrganisation(), dispatcher, tracker)
    reply = all_text(dispatcher)
    assert "• " in reply and "Amicale interculturelle" not in reply and "Centre Alpha Lira" not in reply
