from app.regions import SectorSource, best_sector_source, region_profile, size_of, three_cities


def test_three_cities_follow_the_documented_bands():
    cities = three_cities(
        [
            ("Big", "Ville", 50_000, 100.0),
            ("Town A", "Ville", 20_000, 200.0),
            ("Town B", "Ville", 6_000, 50.0),
            ("Village A", "Municipalité", 4_000, 20.0),
            ("Village B", "Paroisse", 1_200, 5.0),
            ("Hamlet", "Municipalité", 300, 1.0),
            ("Reserve", "Réserve indienne", 9_000, 30.0),
            ("Empty", "Territoire non organisé", 0, 0.0),
        ]
    )
    assert [(c.name, c.size) for c in cities] == [("Big", "large"), ("Town A", "medium"), ("Village A", "small")]


def test_empty_bands_fall_back_to_the_next_smaller_municipality():
    municipalities = [("Only", "Ville", 7_000, 10.0), ("Next", "Ville", 2_000, 20.0), ("Last", "Canton", 900, 1.0)]
    cities = three_cities(municipalities)
    assert [c.name for c in cities] == ["Only", "Next", "Last"]
    assert [c.name for c in three_cities([("Laval", "Ville", 438_366, 1781.0)])] == ["Laval"]


def test_most_reliable_and_recent_sector_source_wins():
    sources = [
        SectorSource("a", None, "u1", "2022", "medium"),
        SectorSource("b", None, "u2", "2017-2019", "high"),
        SectorSource("c", None, "u3", "2021", "high"),
    ]
    assert best_sector_source(sources).source_url == "u3"
    assert best_sector_source([]) is None


def test_bas_saint_laurent_profile_has_the_census_figures(session):
    profile = region_profile(session, "01")
    assert profile.name == "Bas-Saint-Laurent"
    assert profile.population_2021 == 199_039
    assert profile.population_2016 == 197_439
    assert round(profile.land_area_km2, 1) == 22_188.2
    assert [(c.name, c.population, c.size) for c in profile.cities] == [
        ("Rimouski", 48_935, "large"),
        ("Rivière-du-Loup", 20_118, "medium"),
        ("Saint-Antonin", 4_338, "small"),
    ]
    assert profile.sectors.confidence == "high"
    assert "CSS des Phares" in profile.school_centres_fr
    assert profile.adult_education_count > 0
    assert profile.adult_education_places[0] == "Rimouski"  # most populous first


def test_every_region_has_a_profile_with_cities(session):
    populations = 0
    for code in [f"{n:02d}" for n in range(1, 18)]:
        profile = region_profile(session, code)
        assert profile.cities, code
        populations += profile.population_2021
    assert populations == 8_501_833  # the province, census 2021


def test_sizes_are_named_by_population_not_by_the_band_they_fill():
    # Nord-du-Québec's shape: one town over 5,000, then villages.
    cities = three_cities([("Main", "Ville", 7_000, 1.0), ("Next", "Ville", 2_091, 0.5), ("Last", "Ville", 1_500, 0.2)])
    assert [(c.name, c.size) for c in cities] == [("Main", "large"), ("Next", "small"), ("Last", "small")]
    cities = three_cities([("Big", "Ville", 90_000, 9.0), ("Second", "Ville", 40_000, 5.0), ("Tiny", "Canton", 400, 1)])
    assert [c.size for c in cities] == ["large", "city", "village"]
    assert [size_of(p) for p in (25_000, 24_999, 5_000, 4_999, 1_000, 999)] == [
        "city", "medium", "medium", "small", "small", "village"
    ]  # fmt: skip


def test_nord_du_quebec_has_no_mid_sized_town(session):
    assert "medium" not in [c.size for c in region_profile(session, "10").cities]


def test_amos_merged_after_2021_is_the_mid_sized_town_of_abitibi_temiscamingue(session):
    cities = region_profile(session, "08").cities
    assert ("Amos", 12_675, "medium") in [(c.name, c.population, c.size) for c in cities]
