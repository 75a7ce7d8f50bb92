import pytest

from app.language import detect_language
from app.text import fold


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Saint-Jérôme", "saint jerome"),
        ("St-Jérôme", "saint jerome"),
        ("ste-agathe-des-monts", "sainte agathe des monts"),
        ("Gaspésie–Îles-de-la-Madeleine", "gaspesie iles de la madeleine"),
        ("L'Île-Perrot", "l ile perrot"),
        ("  RIMOUSKI!! ", "rimouski"),
    ],
)
def test_fold_ignores_case_accents_separators_and_saint_abbreviations(written, folded):
    assert fold(written) == folded


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("c'est comment la vie à Rimouski?", "fr"),
        ("parle-moi du BSL", "fr"),
        ("merci", "fr"),
        ("je veux demenager a rimouski", "fr"),
        ("tell me about the Eastern Townships", "en"),
        ("thanks", "en"),
        ("yes please", "en"),
        ("I want to move to Rimouski with my kids", "en"),
    ],
)
def test_detects_french_and_english(message, language):
    assert detect_language(message) == language


@pytest.mark.parametrize("message", ["ok", "Rimouski", "😀😀", "", "<script>alert(1)</script>", "a"])
def test_too_little_to_tell_gives_no_language(message):
    assert detect_language(message) is None
