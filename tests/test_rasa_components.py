import pytest

from app.text import has_words
from rasa_components.entity_deduplicator import resolve_overlaps


def ent(kind, value, start, end, extractor="RegexEntityExtractor"):
    return {"entity": kind, "value": value, "start": start, "end": end, "extractor": extractor}


def test_same_span_found_twice_is_kept_once_from_the_lookup_table():
    text = "la vie à Rimouski"
    kept = resolve_overlaps([ent("city", "rimouski", 9, 17, "DIETClassifier"), ent("city", "Rimouski", 9, 17)], text)
    assert kept == [ent("city", "Rimouski", 9, 17)]


def test_longest_span_wins_over_the_name_inside_it():
    text = "le marché du travail au Centre-du-Québec"
    kept = resolve_overlaps([ent("city", "Québec", 33, 39), ent("region", "Centre-du-Québec", 24, 40)], text)
    assert [e["value"] for e in kept] == ["Centre-du-Québec"]


def test_city_rather_than_region_for_the_same_words():
    kept = resolve_overlaps([ent("region", "Montréal", 0, 8), ent("city", "Montréal", 0, 8)], "Montréal")
    assert [e["entity"] for e in kept] == ["city"]


def test_the_province_is_not_the_city_of_quebec():
    def quebec_in(text):
        start = text.index("Québec")
        return resolve_overlaps([ent("city", "Québec", start, start + 6)], text)

    assert quebec_in("je suis arrivé au Québec") == []
    assert quebec_in("Revenu Québec") == []
    assert quebec_in("la vie à Québec")[0]["value"] == "Québec"


def test_separate_places_are_all_kept():
    kept = resolve_overlaps(
        [ent("city", "Montréal", 10, 18), ent("city", "Rimouski", 21, 29)], "je quitte Montréal pour Rimouski"
    )
    assert len(kept) == 2


def test_messages_without_letters_have_no_words():
    assert not has_words("😀😀 ??? 123")
    assert not has_words("")
    assert has_words("ok")


def test_action_server_responses_are_still_checked():
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    # Importing rasa_components (above) installs the check, as the Rasa server does with the model.
    action = RemoteAction("action_region_info", None)
    valid = {"events": [{"event": "slot", "name": "region", "value": "Estrie"}], "responses": [{"text": "Bonjour"}]}
    assert action._validate_action_result(valid) is True
    for invalid in ({"events": "slot"}, {"events": [{"name": "region"}]}, {"responses": ["Bonjour"]}):
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(invalid)


def test_another_rasa_release_refuses_to_start_with_the_patches():
    import rasa

    from rasa_components import RASA_WRITTEN_FOR, check_rasa_version

    assert rasa.__version__ == RASA_WRITTEN_FOR  # the lock and the patches agree
    check_rasa_version(RASA_WRITTEN_FOR)
    for other in ("3.6.20", "3.6.22", "3.7.0"):
        with pytest.raises(RuntimeError, match=f"Rasa {other} is installed"):
            check_rasa_version(other)


def test_rasa_schema_is_checked_against_the_meta_schema_once(monkeypatch):
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    from rasa_components import action_responses

    action_responses._response_validator.cache_clear()
    schema_checks = []
    validator_class = validators.validator_for(RemoteAction.action_response_format_spec())
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, schema: schema_checks.append(1)))
    action = RemoteAction("action_region_info", None)
    for _ in range(3):
        action._validate_action_result({"events": [], "responses": []})
    assert len(schema_checks) == 1


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Waterville c'est dans quelle région?", "ask_region_info"),
        ("c'est comment aux Îles-de-la-Madeleine", "ask_region_info"),
        ("what region is Terrebonne in", "ask_region_info"),
        ("Waterville?", "inform"),
        ("Padoue", "inform"),
        ("quelle région pour moi?", None),
        ("je veux devenir mentor", None),
        ('/ask_region_info{"city": "Padoue"}', None),
    ],
)
def test_a_place_question_sets_the_intent_whatever_the_classifier_said(message, intent):
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
    from rasa.shared.nlu.training_data.message import Message

    from rasa_components.place_question import PlaceQuestionGuard

    classified = {"name": "recommend_region", "confidence": 0.8}
    message_ = Message(data={"text": message, INTENT: classified, INTENT_RANKING_KEY: [classified]})
    [processed] = PlaceQuestionGuard().process([message_])
    assert processed.get(INTENT)["name"] == (intent or "recommend_region")
    assert processed.get(INTENT_RANKING_KEY)[0]["name"] == (intent or "recommend_region")


def test_the_place_question_guard_runs_after_the_fallback_and_before_distress():
    import yaml

    from tests.conftest import ROOT

    names = [c["name"] for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    guard = names.index("rasa_components.place_question.PlaceQuestionGuard")
    assert names.index("FallbackClassifier") < guard < names.index("rasa_components.distress_guard.DistressGuard")
