import pytest

from app.places import Gazetteer, load_gazetteer

SMALL = Gazetteer(
    regions=[("01", "Bas-Saint-Laurent"), ("05", "Estrie"), ("06", "Montréal")],
    aliases={"Bas-Saint-Laurent": ["BSL"], "Estrie": ["Eastern Townships", "Cantons-de-l'Est"]},
    municipalities=[
        ("10043", "Rimouski", "01", 48935),
        ("43027", "Sherbrooke", "05", 172950),
        ("45072", "Hatley", "05", 2000),
        ("45060", "Hatley", "05", 700),
        ("99999", "Hope", "05", 500),
    ],
    ambiguous=frozenset({"Hope"}),
)


def names(refs):
    return [(r.kind, r.name) for r in refs]


def test_aliases_and_official_names_resolve_to_the_region():
    assert SMALL.resolve("bsl").name == "Bas-Saint-Laurent"
    assert SMALL.resolve("cantons de l'est").name == "Estrie"
    assert SMALL.resolve("EASTERN TOWNSHIPS").name == "Estrie"


def test_shared_municipality_name_resolves_to_the_most_populous():
    assert SMALL.city("Hatley").code == "45072"


def test_places_are_found_in_free_text_longest_first():
    assert names(SMALL.find_in_text("tell me about the Eastern Townships")) == [("region", "Estrie")]
    assert names(SMALL.find_in_text("de Montreal a Rimouski")) == [("region", "Montréal"), ("city", "Rimouski")]


def test_everyday_words_are_not_taken_for_places_in_free_text():
    assert SMALL.find_in_text("I hope to move") == []
    assert SMALL.city("Hope").name == "Hope"  # still known when named as a city


def test_misspelt_place_gets_close_matches():
    fragment, suggestions = SMALL.guess_in_text("c'est comment la vie à Rimousky?")
    assert fragment == "Rimousky"
    assert names(suggestions)[0] == ("city", "Rimouski")
    assert SMALL.guess_in_text("bonjour comment ça va") is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("c'est comment la vie à Rimouski?", ("city", "Rimouski")),
        ("parle-moi du BSL", ("region", "Bas-Saint-Laurent")),
        ("tell me about the Eastern Townships", ("region", "Estrie")),
        ("la vie au Lac-St-Jean", ("region", "Saguenay–Lac-Saint-Jean")),
        ("la ville de Saguenay", ("city", "Saguenay")),
        ("au Saguenay", ("region", "Saguenay–Lac-Saint-Jean")),
        ("la Gaspésie", ("region", "Gaspésie–Îles-de-la-Madeleine")),
        ("les Îles", ("region", "Gaspésie–Îles-de-la-Madeleine")),
        ("travailler à Gaspé", ("city", "Gaspé")),
        ("la région de Québec", ("region", "Capitale-Nationale")),
        ("st-jerome", ("city", "Saint-Jérôme")),
        ("riviere du loup", ("city", "Rivière-du-Loup")),
        ("Métabetchouan–Lac-à-la-Croix", ("city", "Métabetchouan–Lac-à-la-Croix")),
    ],
)
def test_real_gazetteer_understands_how_people_name_places(database_url, message, expected):
    assert names(load_gazetteer().find_in_text(message))[0] == expected


def test_real_gazetteer_knows_every_municipality_and_region(database_url, session):
    from sqlalchemy import func, select

    from app.models import Municipality

    gazetteer = load_gazetteer()
    assert len({gazetteer.region(code_name).code for code_name in ["Estrie", "Laval", "Côte-Nord"]}) == 3
    count = session.execute(select(func.count()).select_from(Municipality)).scalar_one()
    assert count == 1281
    for (name,) in session.execute(select(Municipality.name)).all():
        assert gazetteer.city(name) is not None, name


def test_the_destination_regions_are_every_region_but_montreal_from_the_census_file(database_url):
    import csv

    from app.settings import get_settings

    with (get_settings().knowledge_dir / "regions.csv").open(encoding="utf-8") as rows:
        census = {row["code"]: row["name"] for row in csv.DictReader(rows)}
    destinations = load_gazetteer().destination_regions()
    assert destinations == [name for code, name in sorted(census.items()) if name != "Montréal"]
    assert len(destinations) == 16 and destinations[0] == "Bas-Saint-Laurent"


@pytest.mark.parametrize(
    ("message", "place", "left_behind"),
    [
        ("finalement ce sera Sherbrooke et pas Rimouski", "Rimouski", True),
        ("finalement ce sera Sherbrooke et pas Rimouski", "Sherbrooke", False),
        ("je vais plus à Matane, c'est Amqui", "Matane", True),
        ("au lieu de Sherbrooke on part à Gatineau", "Sherbrooke", True),
        ("we're moving to Gatineau instead of Sherbrooke", "Sherbrooke", True),
        ("we're moving to Gatineau instead of Sherbrooke", "Gatineau", False),
        ("not Laval anymore, Lévis", "Laval", True),
        ("Rimouski c'est plus grand", "Rimouski", False),
        ("la plus grande ville, Rimouski", "Rimouski", False),
    ],
)
def test_the_place_a_change_of_plan_leaves_behind(message, place, left_behind):
    from app.places import ruled_out

    assert ruled_out(message, message.index(place)) is left_behind
