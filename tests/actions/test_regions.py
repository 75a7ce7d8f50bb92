from actions.regions import ActionJobs, ActionRegionInfo
from tests.conftest import all_text, entity, make_tracker, run_action, slot_events


def test_city_question_answers_with_the_region_figures_and_three_cities(database_url, dispatcher):
    tracker = make_tracker("c'est comment la vie à Rimouski?", "ask_region_info", [entity("city", "Rimouski")])
    events = run_action(ActionRegionInfo(), dispatcher, tracker)
    reply = all_text(dispatcher)
    assert "Rimouski est dans la région du Bas-Saint-Laurent" in reply
    assert "199\u00a0039 habitants" in reply
    for city in ("Rimouski", "Rivière-du-Loup", "Saint-Antonin"):
        assert city in reply
    assert "Statistique Canada" in reply
    assert slot_events(events) == {"region": "Bas-Saint-Laurent", "city": "Rimouski"}
    payloads = [b["payload"] for b in dispatcher.messages[-1]["buttons"]]
    assert '/find_organisation{"region": "Bas-Saint-Laurent"}' in payloads
    assert "/request_counsellor" in payloads


def test_region_alias_in_text_without_entity_is_understood(database_url, dispatcher):
    events = run_action(ActionRegionInfo(), dispatcher, make_tracker("parle-moi du BSL", "ask_region_info"))
    assert slot_events(events)["region"] == "Bas-Saint-Laurent"


def test_english_reply_for_english_speakers(database_url, dispatcher):
    tracker = make_tracker(
        "tell me about the Eastern Townships",
        "ask_region_info",
        [entity("region", "Estrie")],
        slots={"language": "en"},
    )
    run_action(ActionRegionInfo(), dispatcher, tracker)
    reply = all_text(dispatcher)
    assert "Estrie: 495,283 inhabitants" in reply
    assert "Sherbrooke" in reply
    assert "recensement" not in reply


def test_unknown_place_says_so_and_offers_the_closest(database_url, dispatcher):
    tracker = make_tracker("parle moi de Rimousky", "ask_region_info", [entity("city", "Rimousky")])
    events = run_action(ActionRegionInfo(), dispatcher, tracker)
    message = dispatcher.messages[0]
    assert "Je ne connais pas « Rimousky »" in message["text"]
    assert message["buttons"][0] == {"title": "Rimouski", "payload": '/ask_region_info{"city": "Rimouski"}'}
    assert events == []


def test_misspelt_place_without_entity_still_gets_suggestions(database_url, dispatcher):
    run_action(ActionRegionInfo(), dispatcher, make_tracker("la vie à Sherbroke c'est comment", "ask_region_info"))
    assert "Sherbrooke" in [b["title"] for b in dispatcher.messages[0]["buttons"]]


def test_no_place_asks_which_region_with_buttons(database_url, dispatcher):
    run_action(ActionRegionInfo(), dispatcher, make_tracker("je veux des infos sur une région", "ask_region_info"))
    message = dispatcher.messages[0]
    assert "Quelle région" in message["text"]
    assert len(message["buttons"]) == 16
    assert not any("Montréal" in b["title"] for b in message["buttons"])


def test_follow_up_uses_the_region_of_the_conversation(database_url, dispatcher):
    tracker = make_tracker("et les emplois?", "ask_jobs", slots={"region": "Saguenay–Lac-Saint-Jean"})
    run_action(ActionJobs(), dispatcher, tracker)
    reply = all_text(dispatcher)
    assert "Saguenay–Lac-Saint-Jean" in reply
    assert "aluminium" in reply
    assert "Source : http" in reply


def test_jobs_mention_the_trade(database_url, dispatcher):
    tracker = make_tracker("du travail pour soudeur en Abitibi?", "ask_jobs", [entity("profession", "soudeur")])
    run_action(ActionJobs(), dispatcher, tracker)
    assert "soudeur" in all_text(dispatcher)
    assert "Abitibi-Témiscamingue" in all_text(dispatcher)


def test_montreal_is_described_as_the_starting_point(database_url, dispatcher):
    tracker = make_tracker("Montréal?", "ask_region_info", [entity("region", "Montréal")])
    run_action(ActionRegionInfo(), dispatcher, tracker)
    assert "ailleurs au Québec" in all_text(dispatcher)


def test_abitibi_card_shows_amos_merged_after_the_census(database_url, dispatcher):
    tracker = make_tracker("parle-moi de l'Abitibi", "ask_region_info", [entity("region", "Abitibi-Témiscamingue")])
    run_action(ActionRegionInfo(), dispatcher, tracker)
    assert "• Amos (ville moyenne) : 12\u00a0675 habitants, 30 hab./km²" in all_text(dispatcher)


def test_sparse_places_keep_a_readable_density(database_url, dispatcher):
    tracker = make_tracker("La Tuque?", "ask_region_info", [entity("city", "La Tuque")])
    run_action(ActionRegionInfo(), dispatcher, tracker)
    assert "11\u00a0129 habitants (recensement 2021), 0,4 habitants par km²" in all_text(dispatcher)
    dispatcher.messages.clear()
    tracker = make_tracker("Anticosti?", "ask_region_info", [entity("city", "L'Île-d'Anticosti")])
    run_action(ActionRegionInfo(), dispatcher, tracker)
    assert "moins de 0,1 habitants par km²" in all_text(dispatcher)


def test_nord_du_quebec_card_names_sizes_by_population(database_url, dispatcher):
    tracker = make_tracker("Nord-du-Québec", "ask_region_info", [entity("region", "Nord-du-Québec")])
    run_action(ActionRegionInfo(), dispatcher, tracker)
    reply = all_text(dispatcher)
    assert "ville moyenne" not in reply and "petite municipalité" in reply
    assert "moins de 0,1 habitants par km²" in reply  # the region: 0.05 per km²


def test_a_place_question_gets_the_card_whatever_the_intent(database_url, dispatcher):
    tracker = make_tracker("Waterville c'est dans quelle région?", "recommend_region")
    events = run_action(ActionRegionInfo(), dispatcher, tracker)
    assert "Waterville est dans la région de l'Estrie" in all_text(dispatcher)
    assert slot_events(events) == {"region": "Estrie", "city": "Waterville"}


def ask_about_padoue(dispatcher, message="Padoue"):
    return run_action(ActionRegionInfo(), dispatcher, make_tracker(message, "inform"))


def test_a_municipality_named_like_a_word_is_asked_about_not_unknown(database_url, dispatcher):
    events = ask_about_padoue(dispatcher)
    [question] = dispatcher.messages
    assert question["text"] == "Padoue, la municipalité du Bas-Saint-Laurent?"
    assert "Je ne connais pas" not in question["text"]
    assert [b["payload"] for b in question["buttons"]] == ['/ask_region_info{"city": "Padoue"}', "/deny"]
    assert slot_events(events) == {"place_to_confirm": "Padoue"}


def test_its_name_in_a_place_question_is_asked_about_too(database_url, dispatcher):
    ask_about_padoue(dispatcher, "Padoue c'est dans quelle région?")
    assert dispatcher.messages[0]["text"] == "Padoue, la municipalité du Bas-Saint-Laurent?"


def test_its_name_beside_its_region_needs_no_confirmation(database_url, dispatcher):
    tracker = make_tracker("Padoue dans le Bas-Saint-Laurent", "ask_region_info", [entity("city", "Padoue")])
    run_action(ActionRegionInfo(), dispatcher, tracker)
    assert "Padoue est dans la région du Bas-Saint-Laurent" in all_text(dispatcher)


def test_a_typed_yes_shows_the_card_of_the_municipality_asked_about(database_url, dispatcher):
    tracker = make_tracker("oui", "affirm", slots={"place_to_confirm": "Padoue"}, latest_action="action_listen")
    events = run_action(ActionRegionInfo(), dispatcher, tracker)
    assert "Padoue est dans la région du Bas-Saint-Laurent" in all_text(dispatcher)
    assert slot_events(events) == {"region": "Bas-Saint-Laurent", "city": "Padoue", "place_to_confirm": None}


def test_the_yes_button_shows_the_card_without_asking_again(database_url, dispatcher):
    tracker = make_tracker('/ask_region_info{"city": "Padoue"}', "ask_region_info", [entity("city", "Padoue")])
    run_action(ActionRegionInfo(), dispatcher, tracker)
    assert "Padoue est dans la région du Bas-Saint-Laurent" in all_text(dispatcher)


def test_a_typed_no_offers_the_regions(database_url, dispatcher):
    tracker = make_tracker("non", "deny", slots={"place_to_confirm": "Padoue"})
    events = run_action(ActionRegionInfo(), dispatcher, tracker)
    assert dispatcher.messages[0]["text"].startswith("D'accord. Quelle région")
    assert len(dispatcher.messages[0]["buttons"]) == 16
    assert slot_events(events) == {"place_to_confirm": None}


def test_a_later_card_forgets_the_confirmation_asked_before(database_url, dispatcher):
    tracker = make_tracker("parle-moi de Rimouski", "ask_region_info", slots={"place_to_confirm": "Padoue"})
    events = run_action(ActionRegionInfo(), dispatcher, tracker)
    assert slot_events(events)["place_to_confirm"] is None


def test_english_confirmation(database_url, dispatcher):
    run_action(
        ActionRegionInfo(),
        dispatcher,
        make_tracker("what region is Hope in", "ask_region_info", slots={"language": "en"}),
    )
    assert dispatcher.messages[0]["text"] == "Hope, the municipality in the Gaspésie–Îles-de-la-Madeleine region?"
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["Yes", "No"]
