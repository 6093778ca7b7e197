"""places.py: parties → places, from the entry, content/places.yaml or the offline gazetteer, in that order."""

from __future__ import annotations

import pytest

from catalogue.load import load_folder
from catalogue.model import Party
from catalogue.gazetteer import Found
from catalogue.places import default_gazetteer, fold, load_overrides, locate, place_all, place_key
from catalogue.problems import CatalogueError, Problem
from catalogue.site import check
from catalogue.validate import validate_all


class StubGazetteer:
    """A gazetteer that knows only the places it is given."""

    def __init__(self, points: dict):
        self.points = {(country, fold(name)): point for (country, name), point in points.items()}

    def find(self, country, name, region=None):
        return self.points.get((country, fold(name)))

    def resolve(self, country, name, region=None):
        point = self.find(country, name)
        return Found(point[0], point[1], "", "", 0, False) if point else None

    def nearest_names(self, country, name):
        return []


def party(name, country, level="city", **kw) -> Party:
    return Party(name=name, level=level, country=country, **kw)


# -- keys and names ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, country, key",
    [
        ("Xi'an", "CN", "cn/xian"),
        ("Xi’an", "CN", "cn/xian"),
        ("Kochi", "JP", "jp/kochi"),
        ("Kochi", "IN", "in/kochi"),
        ("São Paulo", "BR", "br/sao-paulo"),
        ("Jeollanam-do", "KR", "kr/jeollanam-do"),
        ("DKI Jakarta", "ID", "id/dki-jakarta"),
        ("  (Kyoto Prefecture)  ", "JP", "jp/kyoto-prefecture"),
        ("???", "ID", "id/place"),
    ],
)
def test_place_key_is_the_country_then_the_name_as_a_slug(name, country, key):
    assert place_key(party(name, country)) == key


def test_fold_drops_accents_case_and_punctuation():
    assert [fold(t) for t in ("Xi’an", "XI'AN", "São Paulo", "Jeollanam-do")] == [
        "xian",
        "xian",
        "saopaulo",
        "jeollanam",
    ]  # -do: a province


# -- the offline gazetteer --------------------------------------------------------


def test_kochi_in_japan_and_kochi_in_india_are_different_places():
    gazetteer = default_gazetteer()
    japan = locate(party("Kochi", "JP"), {}, gazetteer)
    india = locate(party("Kochi", "IN"), {}, gazetteer)
    assert (japan.key, japan.located_by) == ("jp/kochi", "gazetteer")
    assert (india.key, india.located_by) == ("in/kochi", "gazetteer")
    # Kōchi on Shikoku, and Kochi (Cochin) in Kerala.
    assert (japan.lat, japan.lon) == (pytest.approx(33.55, abs=0.05), pytest.approx(133.53, abs=0.05))
    assert (india.lat, india.lon) == (pytest.approx(9.94, abs=0.05), pytest.approx(76.26, abs=0.05))


def test_the_gazetteer_finds_names_with_accents_and_other_spellings():
    gazetteer = default_gazetteer()
    assert gazetteer.find("JP", "Kōchi") == gazetteer.find("JP", "Kochi")
    assert gazetteer.find("CN", "Xi’an") == gazetteer.find("CN", "Xian") == gazetteer.find("CN", "Xi'an")
    assert gazetteer.find("IN", "Cochin") == gazetteer.find("IN", "Kochi")
    assert gazetteer.find("ID", "Atlantis") is None
    assert gazetteer.find("FR", "Kochi") is None


# -- which source wins -----------------------------------------------------------

GAZETTEER = StubGazetteer({("JP", "Kochi"): (33.55, 133.53), ("JP", "Kyoto"): (35.02, 135.75)})


def test_a_city_comes_from_the_gazetteer():
    place = locate(party("Kochi", "JP", region="Kochi"), {}, GAZETTEER)
    assert (place.lat, place.lon, place.located_by, place.region, place.on_map) == (
        33.55,
        133.53,
        "gazetteer",
        "Kochi",
        True,
    )


def test_places_yaml_beats_the_gazetteer():
    place = locate(party("Kochi", "JP"), {("JP", "kochi"): (33.56, 133.54)}, GAZETTEER)
    assert (place.lat, place.lon, place.located_by) == (33.56, 133.54, "places.yaml")


def test_places_yaml_is_keyed_by_country():
    place = locate(party("Kochi", "JP"), {("IN", "kochi"): (9.94, 76.26)}, GAZETTEER)
    assert (place.lat, place.lon, place.located_by) == (33.55, 133.53, "gazetteer")


def test_the_entrys_coordinates_beat_places_yaml_and_the_gazetteer():
    place = locate(party("Kochi", "JP", coordinates=(33.5, 133.5)), {("JP", "kochi"): (33.56, 133.54)}, GAZETTEER)
    assert (place.lat, place.lon, place.located_by) == (33.5, 133.5, "entry")


@pytest.mark.parametrize(
    "level, reason",
    [("organisation", "organisation, not a place"), ("national", "national government, not a place")],
)
def test_organisations_and_national_governments_stay_off_the_map_with_a_reason(level, reason):
    # Even with coordinates, and even when the gazetteer knows a city of that name.
    for given in (party("Kyoto", "JP", level=level), party("Kyoto", "JP", level=level, coordinates=(1.0, 2.0))):
        place = locate(given, {("JP", "kyoto"): (3.0, 4.0)}, GAZETTEER)
        assert (place.on_map, place.lat, place.lon, place.located_by, place.off_map_reason) == (
            False,
            None,
            None,
            "",
            reason,
        )
        assert (place.key, place.level) == ("jp/kyoto", level)


def test_a_province_with_no_override_names_places_yaml_and_the_fix():
    assert locate(party("Jawa Tengah", "ID", level="province"), {}, GAZETTEER) == (
        "'Jawa Tengah' (ID) is a province, and the offline gazetteer has only cities; "
        "add the lines 'ID:' and '  Jawa Tengah: [latitude, longitude]' to content/places.yaml, "
        "or give the party 'coordinates: [latitude, longitude]'"
    )


def test_a_region_is_never_placed_at_a_city_of_the_same_name():
    # Kochi Prefecture is not Kochi city: without an override it is a problem, not a guess.
    assert locate(party("Kochi", "JP", level="prefecture"), {}, GAZETTEER) == (
        "'Kochi' (JP) is a prefecture, and the offline gazetteer has only cities; "
        "add the lines 'JP:' and '  Kochi: [latitude, longitude]' to content/places.yaml, "
        "or give the party 'coordinates: [latitude, longitude]'"
    )


def test_a_province_with_an_override_is_placed():
    place = locate(party("Jawa Tengah", "ID", level="province"), {("ID", "jawatengah"): (-6.99, 110.42)}, GAZETTEER)
    assert (place.lat, place.lon, place.located_by) == (-6.99, 110.42, "places.yaml")


def test_a_city_the_gazetteer_cannot_find():
    assert locate(party("Atlantis", "ID"), {}, GAZETTEER) == (
        "'Atlantis' (ID) is not in the offline gazetteer; "
        "add the lines 'ID:' and '  Atlantis: [latitude, longitude]' to content/places.yaml, "
        "or give the party 'coordinates: [latitude, longitude]'"
    )


def test_place_all_reports_each_unplaceable_party_at_its_line(project):
    raws, _ = load_folder(project.agreements, project.root)
    agreements, _ = validate_all(raws)
    by_path = {raw.path: raw for raw in raws}
    placed, problems = place_all(agreements, {}, GAZETTEER, lambda path, *f: by_path[path].line(*f))
    assert [str(p) for p in problems] == [
        "content/agreements/jawa-barat-penang.md:3: parties.0.name: 'Jawa Barat' (ID) is a province, and the offline "
        "gazetteer has only cities; add the lines 'ID:' and '  Jawa Barat: [latitude, longitude]' to "
        "content/places.yaml, or give the party 'coordinates: [latitude, longitude]'",
        "content/agreements/jawa-barat-penang.md:6: parties.1.name: 'Penang' (MY) is a state, and the offline "
        "gazetteer has only cities; add the lines 'MY:' and '  Penang: [latitude, longitude]' to "
        "content/places.yaml, or give the party 'coordinates: [latitude, longitude]'",
        "content/agreements/sragen-usaid.md:3: parties.0.name: 'Sragen' (ID) is not in the offline gazetteer; add the "
        "lines 'ID:' and '  Sragen: [latitude, longitude]' to content/places.yaml, or give the party "
        "'coordinates: [latitude, longitude]'",
        "content/agreements/surakarta-xian.md:3: parties.0.name: 'Surakarta' (ID) is not in the offline gazetteer; "
        "add the lines 'ID:' and '  Surakarta: [latitude, longitude]' to content/places.yaml, or give the party "
        "'coordinates: [latitude, longitude]'",
        "content/agreements/surakarta-xian.md:7: parties.1.name: 'Xi'an' (CN) is not in the offline gazetteer; add "
        "the lines 'CN:' and '  Xi'an: [latitude, longitude]' to content/places.yaml, or give the party "
        "'coordinates: [latitude, longitude]'",
    ]
    assert placed == {}


# -- through check(): the fixture site ---------------------------------------------


def places_of(project) -> dict:
    """Every party's place after check(), by key: (lat, lon, located_by, off_map_reason)."""
    entries = check(project).catalogue.entries
    return {p.key: (p.lat, p.lon, p.located_by, p.off_map_reason) for entry in entries for p in entry.places}


def test_the_fixture_site_places_every_party(project):
    places = places_of(project)
    assert places["id/jawa-barat"] == (-6.9022, 107.6187, "places.yaml", "")
    assert places["my/penang"] == (5.4141, 100.3288, "places.yaml", "")
    assert places["us/usaid"] == (None, None, "", "organisation, not a place")
    assert places["cn/xian"][2] == "gazetteer"
    assert sorted(places) == ["cn/xian", "id/jawa-barat", "id/sragen", "id/surakarta", "my/penang", "us/usaid"]


def test_places_yaml_overrides_the_gazetteer_in_a_build(project):
    project.places.write_text(
        project.places.read_text(encoding="utf-8") + "CN:\n  Xi’an: [34.3416, 108.9398]\n", encoding="utf-8"
    )
    assert places_of(project)["cn/xian"] == (34.3416, 108.9398, "places.yaml", "")


def test_entry_coordinates_override_places_yaml_in_a_build(project):
    entry = project.agreements / "jawa-barat-penang.md"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace(
            "    country: ID\n", "    country: ID\n    coordinates: [-6.9, 107.6]\n"
        ),
        encoding="utf-8",
    )
    assert places_of(project)["id/jawa-barat"] == (-6.9, 107.6, "entry", "")


# -- content/places.yaml itself -----------------------------------------------------


def overrides_from(tmp_path, text):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "places.yaml").write_text(text, encoding="utf-8")
    return load_overrides(tmp_path / "content" / "places.yaml", tmp_path)


def test_load_overrides_reads_places_by_country_and_folded_name(tmp_path):
    text = (
        "# comment\nID:\n  Jawa Barat: [-6.9022, 107.6187]  # Bandung\n  DKI Jakarta: [-6, 106]\nKR:\n  "
        "Jeollanam-do: [34.8161, 126.4630]\nJP:\n"
    )
    assert overrides_from(tmp_path, text) == (
        {
            ("ID", "jawabarat"): (-6.9022, 107.6187),
            ("ID", "jakarta"): (-6.0, 106.0),
            ("KR", "jeollanam"): (34.8161, 126.463),
        },
        [],
    )


def test_no_places_yaml_is_no_overrides(tmp_path):
    assert load_overrides(tmp_path / "content" / "places.yaml", tmp_path) == ({}, [])


def test_an_empty_places_yaml_is_no_overrides(tmp_path):
    assert overrides_from(tmp_path, "# nothing yet\n") == ({}, [])


def test_every_mistake_in_places_yaml_is_reported_with_its_line(tmp_path):
    text = (
        "ID:\n"
        "  Jawa Barat: [-6.9022, 107.6187]\n"
        "  Jawa Tengah: [110.42, -6.99]\n"  # swapped
        "  Bali: -8.65, 115.22\n"  # no brackets
        "  Banten:\n"  # empty
        "  Papua: [true, 140]\n"
        "jp:\n"
        "  Kyoto Prefecture: [35.02, 135.75]\n"
        "Korea:\n"
        "  Busan: [35.18, 129.08]\n"
        "MY: [5.41, 100.33]\n"
    )
    overrides, problems = overrides_from(tmp_path, text)
    assert overrides == {("ID", "jawabarat"): (-6.9022, 107.6187)}
    assert [str(p) for p in problems] == [
        "content/places.yaml:3: ID.Jawa Tengah: [110.42, -6.99] is not [latitude, longitude] within -90..90 and "
        "-180..180; write it as [latitude, longitude], e.g. [-6.9022, 107.6187]",
        "content/places.yaml:4: ID.Bali: '-8.65, 115.22' is not [latitude, longitude] within -90..90 and -180..180; "
        "write it as [latitude, longitude], e.g. [-6.9022, 107.6187]",
        "content/places.yaml:5: ID.Banten: is empty; write it as [latitude, longitude], e.g. [-6.9022, 107.6187]",
        "content/places.yaml:6: ID.Papua: [True, 140] is not [latitude, longitude] within -90..90 and -180..180; "
        "write it as [latitude, longitude], e.g. [-6.9022, 107.6187]",
        "content/places.yaml:7: jp: 'jp' is not an ISO 3166-1 alpha-2 country code such as ID, JP or KR (write it in "
        "upper case: 'JP')",
        "content/places.yaml:9: Korea: 'Korea' is not an ISO 3166-1 alpha-2 country code such as ID, JP or KR",
        "content/places.yaml:11: MY: must list its places below it, one a line, e.g. '  Jawa Barat: [-6.9022, "
        "107.6187]', not [5.41, 100.33]",
    ]


@pytest.mark.parametrize(
    "text, problem",
    [
        (
            "ID:\n  Bali: [-8.65, 115.22\n",
            Problem(
                "content/places.yaml",
                3,
                "",
                "YAML syntax error: did not find expected ',' or ']'; check the indentation and quote values that "
                "contain ': ' or start with a special character",
            ),
        ),
        (
            "ID:\n  Bali: [-8.65, 115.22]\n  Bali: [-8.0, 115.0]\n",
            Problem("content/places.yaml", 3, "ID.Bali", "is given twice, on lines 2 and 3; keep one of them"),
        ),
        (
            "- ID\n- JP\n",
            Problem(
                "content/places.yaml",
                1,
                "",
                "the file must map country codes to places, e.g. 'ID:' then '  Jawa Barat: [-6.9022, 107.6187]'",
            ),
        ),
    ],
    ids=["yaml-syntax", "place-twice", "a-list"],
)
def test_a_places_yaml_that_cannot_be_read(tmp_path, text, problem):
    assert overrides_from(tmp_path, text) == ({}, [problem])


def test_a_places_yaml_that_is_not_utf8(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "places.yaml").write_bytes(
        "ID:\n  Bali: [-8.65, 115.22]  # Denpasar\n  Sulawesi: [1, 2]  # caf\xe9\n".encode("latin-1")
    )
    assert load_overrides(tmp_path / "content" / "places.yaml", tmp_path) == (
        {},
        [
            Problem(
                "content/places.yaml",
                3,
                "",
                "not UTF-8 text: byte 0xe9 on this line cannot be read; save the file as UTF-8",
            )
        ],
    )


def test_places_yaml_problems_stop_the_check(project):
    project.places.write_text(
        "ID:\n  Jawa Barat: [-6.9022, 107.6187]\nMY:\n  Penang: [5.4141, 1000.3288]\n", encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as caught:
        check(project)
    assert [str(p) for p in caught.value.problems] == [
        "content/agreements/jawa-barat-penang.md:6: parties.1.name: 'Penang' (MY) is a state, and the offline "
        "gazetteer has only cities; add the lines 'MY:' and '  Penang: [latitude, longitude]' to "
        "content/places.yaml, or give the party 'coordinates: [latitude, longitude]'",
        "content/places.yaml:4: MY.Penang: [5.4141, 1000.3288] is not [latitude, longitude] within -90..90 and "
        "-180..180; write it as [latitude, longitude], e.g. [-6.9022, 107.6187]",
    ]


def test_an_unreadable_places_file_is_reported_alone(project):
    project.places.write_text("ID:\n  Jawa Barat: [-6.9, 107.6\nMY:\n  Penang: [5.4, 100.3]\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        check(project)
    # Not also "add Jawa Barat and Penang to content/places.yaml": they are there, the file just does not read.
    assert [p.path for p in caught.value.problems] == ["content/places.yaml"]
    assert caught.value.problems[0].message.startswith("YAML syntax error")
