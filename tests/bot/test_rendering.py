from bot.rendering import TELEGRAM_TEXT_LIMIT, keyboard_rows, render, split_text


def test_buttons_become_an_inline_keyboard_on_the_last_message():
    message = {
        "text": "Voici",
        "buttons": [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}],
    }
    [out] = render(message, key_for=lambda payload: payload.strip("/"))
    assert out.text == "Voici"
    assert out.keyboard == [[("Oui", "affirm"), ("Non", "deny")]]


def test_long_titles_get_a_row_of_their_own():
    rows = keyboard_rows([("Oui", "a"), ("Parler à une personne de l'équipe", "b"), ("Menu", "c"), ("Non", "d")])
    assert rows == [[("Oui", "a")], [("Parler à une personne de l'équipe", "b")], [("Menu", "c"), ("Non", "d")]]


def test_images_are_sent_as_photos():
    [text, photo] = render({"text": "La carte", "image": "https://example.org/map.png"}, key_for=str)
    assert (text.text, photo.photo) == ("La carte", "https://example.org/map.png")


def test_texts_over_telegram_limit_are_cut_between_lines():
    text = "\n".join(["x" * 1000] * 9)
    parts = split_text(text)
    assert all(len(p) <= TELEGRAM_TEXT_LIMIT for p in parts)
    assert "\n".join(parts) == text
    assert split_text("y" * 5000) == ["y" * 4096, "y" * 904]


def test_the_decision_report_is_sent_as_the_mind_map_picture():
    from datetime import date

    from app.report import build_report

    report = build_report({"family.household": "couple", "family.spouse_view": "against"}, date(2026, 11, 24))
    [outgoing] = render({"custom": {"decision_report": report}}, lambda payload: payload)
    assert isinstance(outgoing.photo, bytes) and outgoing.photo.startswith(b"\x89PNG")
