"""Other names of places and the areas they lie in: places.yaml's mapping form, the gazetteer's
same-script spellings, names pooled across entries, and the index's place-in-area relation."""

from __future__ import annotations

import pytest

from catalogue.index import areas_of
from catalogue.model import Place
from catalogue.places import load_places_file
from catalogue.problems import CatalogueError
from catalogue.regions import same_name, same_script_names
from catalogue.site import check
from conftest import FIXTURES, make_project


def places_file(tmp_path, text):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "places.yaml").write_text(text, encoding="utf-8")
    return load_places_file(tmp_path / "content" / "places.yaml", tmp_path)


def test_a_place_as_a_mapping_gives_its_point_names_areas_and_code(tmp_path):
    points, notes, problems = places_file(
        tmp_path,
        (
            "ID:\n"
            "  Jawa Barat: {coordinates: [-6.9022, 107.6187], also_known_as: [West Java], admin1: '30'}\n"
            "  Surakarta: {also_known_as: Solo}\n"
            "  Tawangmangu: {within: [Karanganyar, Jawa Tengah]}\n"
            "  Bali: [-8.65, 115.22]\n"
        ),
    )
    assert problems == []
    assert points == {
        ("ID", "jawabarat"): (-6.9022, 107.6187),
        ("ID", "bali"): (-8.65, 115.22),
    }  # the gazetteer places the others
    assert notes[("ID", "jawabarat")].also_known_as == ("West Java",) and notes[("ID", "jawabarat")].admin1 == "30"
    assert notes[("ID", "surakarta")].also_known_as == ("Solo",)  # one name needs no brackets
    assert notes[("ID", "tawangmangu")].within == ("Karanganyar", "Jawa Tengah")


def test_mistakes_in_a_place_mapping_name_the_field_and_the_fix(tmp_path):
    _, _, problems = places_file(
        tmp_path,
        (
            "ID:\n"
            "  Jawa Barat: {coordinates: [107.6, -6.9], admin1: [30]}\n"
            "  Surakarta: {aka: [Solo], also_known_as: [Solo, 3]}\n"
        ),
    )
    assert [str(p) for p in problems] == [
        "content/places.yaml:2: ID.Jawa Barat.admin1: [30] is not a code; write the GeoNames admin1 code in quotes, "
        "e.g. '30'",
        "content/places.yaml:2: ID.Jawa Barat.coordinates: [107.6, -6.9] is not [latitude, longitude] within -90..90 "
        "and -180..180; write it as [latitude, longitude], e.g. [-6.9022, 107.6187]",
        "content/places.yaml:3: ID.Surakarta.aka: unknown field; a place takes: coordinates: [latitude, longitude] of "
        "the seat of its government, e.g. [-6.9022, 107.6187]; "
        "also_known_as: other names people use for it, e.g. [Solo]; within: the regency or province it lies in, "
        "nearest first, e.g. [Karanganyar, Jawa Tengah]; "
        "admin1: its code among the gazetteer's first-level areas (GeoNames admin1), e.g. '30'; cities the gazetteer "
        "puts in that area lie in it",
        "content/places.yaml:3: ID.Surakarta.also_known_as: ['Solo', 3] is not a list of names; write it as [Name, "
        "Other name]",
    ]


def test_an_entrys_other_names_must_be_a_list_of_names(project):
    entry = project.agreements / "surakarta-xian.md"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace(
            "    region: Jawa Tengah\n", "    region: Jawa Tengah\n    also_known_as: Solo\n", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as caught:
        check(project)
    assert [str(p) for p in caught.value.problems] == [
        "content/agreements/surakarta-xian.md:7: parties.0.also_known_as: must be a list in square brackets, e.g. "
        "[Solo]"
    ]


def test_an_entrys_other_names_are_known_to_every_tie_of_the_place(project):
    # Only one of the fixture's entries names Xi'an's other name; the place, on every tie, has it.
    entry = project.agreements / "surakarta-xian.md"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace(
            "    country: CN\n", "    country: CN\n    also_known_as: [Chang'an, Xi'an]\n", 1
        ),
        encoding="utf-8",
    )
    catalogue = check(project).catalogue
    place = catalogue.places["cn/xian"].place
    assert place.also_known_as == ("Chang'an",)  # its own name is not another name
    assert all(p.also_known_as == ("Chang'an",) for e in catalogue.entries for p in e.places if p.key == "cn/xian")


def test_gazetteer_spellings_keep_names_a_reader_could_type():
    alternates = [
        "SOC",
        "Solo",
        "Soerakarta",
        "suo luo",
        "Surakarta",
        "Суракарта",
        "スラカルタ",
        "Kota Surakarta",
        "surakarta",
    ]
    assert same_script_names("Surakarta", alternates, {"Surakarta"}) == ("Kota Surakarta", "Soerakarta", "Solo")
    # A name in another script keeps its own script's names.
    assert same_script_names("Суракарта", ["Surakarta", "Суракарте"], {"Суракарта"}) == ("Суракарте",)


def test_names_differ_by_letters_and_accents_not_case_or_apostrophe():
    assert same_name("Xi'an", "xi’an")
    assert not same_name("Xi'an", "Xian")
    assert not same_name("Kochi", "Kōchi")


def place(key, name, level="city", within=(), also=()):
    return Place(
        key=key,
        name=name,
        level=level,
        country="ID",
        region=None,
        lat=None,
        lon=None,
        located_by="",
        within=within,
        also_known_as=also,
    )


def test_a_town_lies_in_its_regency_then_the_regency_in_its_province():
    places = {
        "id/tawangmangu": place("id/tawangmangu", "Tawangmangu", within=("Karanganyar",)),
        "id/karanganyar": place("id/karanganyar", "Karanganyar", "regency", within=("Jawa Tengah",)),
        "id/jawa-tengah": place("id/jawa-tengah", "Jawa Tengah", "province", also=("Central Java",)),
        "id/bandung": place("id/bandung", "Bandung", within=("West Java",)),  # a province not in the catalogue
        "id/semarang": place("id/semarang", "Semarang", within=("Central Java",)),  # by its other name
    }
    assert areas_of(places) == {
        "id/tawangmangu": ("id/karanganyar", "id/jawa-tengah"),
        "id/karanganyar": ("id/jawa-tengah",),
        "id/semarang": ("id/jawa-tengah",),
    }


def test_areas_that_name_each_other_do_not_loop():
    places = {"id/a": place("id/a", "A", within=("B",)), "id/b": place("id/b", "B", within=("A",))}
    assert areas_of(places) == {"id/a": ("id/b",), "id/b": ("id/a",)}


def test_a_city_lies_in_the_province_that_gives_its_gazetteer_code(tmp_path):
    # bandung-suwon.md names no region: Jawa Barat's admin1 '30' in places.yaml is what places Bandung in it.
    catalogue = check(make_project(tmp_path, FIXTURES / "findcity")).catalogue
    assert catalogue.places["id/bandung"].place.within == ("Jawa Barat",)
    assert catalogue.within["id/bandung"] == ("id/jawa-barat",)
    assert "id/jawa-barat" not in catalogue.within  # a province lies in nothing the catalogue lists
