"""Messages whose meaning is only a place (app/places.py `place_asked_about`), on the
gazetteer read from knowledge/'s files as the NLU pipeline reads it (no database)."""

import pytest

from app.places import knowledge_gazetteer


@pytest.mark.parametrize(
    ("message", "place"),
    [
        ("Waterville c'est dans quelle région?", "Waterville"),
        ("Terrebonne c'est dans quelle région?", "Terrebonne"),
        ("dans quelle région se trouve St-Jérôme?", "Saint-Jérôme"),
        ("c dans kel region Matane", "Matane"),
        ("où se trouve Amqui", "Amqui"),
        ("c'est où Matane?", "Matane"),
        ("Lachute se trouve où?", "Lachute"),
        ("Rimouski c'est loin de Montréal?", "Rimouski"),
        ("est-ce que Joliette est proche de Montréal?", "Joliette"),
        ("c'est-tu loin Rouyn-Noranda?", "Rouyn-Noranda"),
        ("c'est comment aux Îles-de-la-Madeleine", "Les Îles-de-la-Madeleine"),
        ("Roberval c'est comment?", "Roberval"),
        ("parle-moi de Rimouski", "Rimouski"),
        ("des infos sur la Gaspésie svp", "Gaspésie–Îles-de-la-Madeleine"),
        ("what region is Waterville in?", "Waterville"),
        ("where is Saint-Georges?", "Saint-Georges"),
        ("how far is Gaspé from Montreal?", "Gaspé"),
        ("tell me about Sherbrooke", "Sherbrooke"),
        ("Waterville?", "Waterville"),
        ("saint jean sur richelieu", "Saint-Jean-sur-Richelieu"),
        ("les Îles", "Gaspésie–Îles-de-la-Madeleine"),
        ("Padoue", "Padoue"),  # ambiguous names count: the shape says a place is meant
        ("what region is Hope in", "Hope"),
    ],
)
def test_a_message_only_about_a_place_names_it(message, place):
    assert knowledge_gazetteer().place_asked_about(message).name == place


@pytest.mark.parametrize(
    "message",
    [
        "quelle région pour moi?",
        "c'est comment le logement à Rimouski",
        "je veux aller à Rimouski",
        "comment aller à Rimouski",
        "je viens de Nantes",
        "I hope so",
        "oui",
        "2",
        "Emploi",
        "/ask_region_info",
    ],
)
def test_other_messages_are_not_place_questions(message):
    assert knowledge_gazetteer().place_asked_about(message) is None


def test_a_place_named_alone_is_told_from_a_question_about_it():
    gazetteer = knowledge_gazetteer()
    assert gazetteer.place_named_alone("à Terrebonne svp").name == "Terrebonne"
    assert gazetteer.place_named_alone("Terrebonne c'est dans quelle région?") is None


def test_ambiguous_names_are_known_as_such():
    gazetteer = knowledge_gazetteer()
    assert gazetteer.is_ambiguous(gazetteer.city("Padoue"))
    assert not gazetteer.is_ambiguous(gazetteer.city("Rimouski"))
