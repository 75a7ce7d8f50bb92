from actions.messages import counted, shorten, text, years
from app.catalogue import number, signed_percent


def test_numbers_are_written_the_way_each_language_does():
    assert number(199039, "fr") == "199\u00a0039"
    assert number(199039, "en") == "199,039"
    assert number(39.74, "fr", 1) == "39,7"
    assert signed_percent(-4.44, "fr") == "−4,4\u00a0%"
    assert signed_percent(6.4, "en") == "+6.4%"


def test_source_dates_keep_only_the_years():
    assert years("c. 2017-2019 (cites 2015 GDP)") == "2017-2019"
    assert years("2022 (several sources 2018-2022)") == "2022"
    assert years("2021-09") == "2021-09"


def test_one_and_several_read_naturally():
    assert "un centre de services scolaire" in counted("schools", 1, "fr", names="CSS A")
    assert "3 centres de services scolaires" in counted("schools", 3, "fr", names="A, B, C")


def test_region_names_take_their_french_article():
    assert "région de l'Estrie" in text("organisations_intro", "fr", region="Estrie")
    assert "région des Laurentides" in text("organisations_intro", "fr", region="Laurentides")


def test_long_descriptions_are_cut_between_items():
    cut = shorten("; ".join([f"item number {i}" for i in range(40)]), 60)
    assert cut.endswith("…") and len(cut) <= 61 and "; item" in cut
