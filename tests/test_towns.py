"""Every town placed: the 1,000-people gazetteer and its index, administrative words set aside for
matching and for the duplicate check, and hints that name the nearest names and can be pasted."""

from __future__ import annotations

import re

import pytest
import yaml

from catalogue.gazetteer import CountryIndex, Gazetteer, _write
from catalogue.model import Party
from catalogue.names import fold, slug
from catalogue.places import default_gazetteer, load_overrides, locate, place_key
from catalogue.problems import CatalogueError
from catalogue.site import check
from test_validate import problems


def party(name, country="ID", level="regency") -> Party:
    return Party(name=name, level=level, country=country)


@pytest.mark.parametrize(
    "written, plain",
    [
        ("Kabupaten Wonosobo", "Wonosobo"),
        ("Kab. Sragen", "Sragen"),
        ("Kota Bogor", "Bogor"),
        ("Provinsi Jawa Barat", "Jawa Barat"),
        ("Kisarazu-shi", "Kisarazu"),
        ("Kyoto Prefecture", "Kyoto"),
        ("City of Fort Worth", "Fort Worth"),
        ("Landkreis Göttingen", "Göttingen"),
        ("Bandung Regency", "Bandung"),
        # Indonesia's special regions and their administrative cities and regencies
        ("DI Yogyakarta", "Yogyakarta"),
        ("Daerah Istimewa Yogyakarta", "Yogyakarta"),
        ("Provinsi Daerah Istimewa Yogyakarta", "Yogyakarta"),
        ("Special Region of Yogyakarta", "Yogyakarta"),
        ("Yogyakarta Special Region", "Yogyakarta"),
        ("DKI Jakarta", "Jakarta"),
        ("Daerah Khusus Ibukota Jakarta", "Jakarta"),
        ("Daerah Khusus Ibu Kota Jakarta", "Jakarta"),
        ("Daerah Khusus Jakarta", "Jakarta"),
        ("Pemerintah Provinsi DKI Jakarta", "Jakarta"),
        ("Kota Administrasi Jakarta Selatan", "Jakarta Selatan"),
        ("Kota Adm. Jakarta Pusat", "Jakarta Pusat"),
        ("Kabupaten Administrasi Kepulauan Seribu", "Kepulauan Seribu"),
        ("Pemerintah Kabupaten Boyolali", "Boyolali"),
        ("Pemkot Surakarta", "Surakarta"),
        # other languages
        ("Kreis Gütersloh", "Gütersloh"),
        ("Stadt Göttingen", "Göttingen"),
        ("Landeshauptstadt München", "München"),
        ("Freie und Hansestadt Hamburg", "Hamburg"),
        ("Comune di Roma", "Roma"),
        ("Municipality of Ljubljana", "Ljubljana"),
        ("Ville de Lyon", "Lyon"),
        ("Miasto Kraków", "Kraków"),
        ("Orange County", "Orange"),
        ("Seoul Special City", "Seoul"),
        ("Busan Metropolitan City", "Busan"),
        ("Istanbul Metropolitan Municipality", "Istanbul"),
        ("Jung-gu", "Jung"),
        ("Gyeongju-si", "Gyeongju"),
        ("Yangpyeong-gun", "Yangpyeong"),
        ("Shinjuku-ku", "Shinjuku"),
    ],
)
def test_administrative_words_are_set_aside_for_matching(written, plain):
    assert fold(written) == fold(plain)


@pytest.mark.parametrize(
    "name", ["Toledo", "Kota", "Halle (Saale)", "Surakarta", "Citta di Castello", "Markt Erlbach", "Dinan", "Stade"]
)
def test_a_name_is_never_folded_away_or_cut_inside_a_word(name):
    assert fold(name) == re.sub(r"[^a-z0-9]", "", name.lower())


def test_small_towns_are_in_the_gazetteer():
    gazetteer = default_gazetteer()
    for country, name in [
        ("DE", "Abensberg"),
        ("DE", "Adelebsen"),
        ("ID", "Wonosobo"),
        ("ID", "Sragen"),
        ("ID", "Kabupaten Sukoharjo"),
    ]:
        assert gazetteer.find(country, name) is not None, name
    assert gazetteer.find("ID", "Kochi") is None  # still by country: Kochi is in Japan and India
    assert gazetteer.find("JP", "Kochi") != gazetteer.find("IN", "Kochi")


def test_the_index_is_read_back_as_it_was_written(tmp_path):
    index = {
        "ID": CountryIndex(
            ((-7.3589, 109.9031, "Wonosobo", "07"), (-7.0, 110.0, "Wonosobo", "08")),
            {"wonosobo": (0, 1)},
            {"wsb": (1,)},
        ),
        "DE": CountryIndex(((48.8168, 11.8498, "Abensberg", "02"),), {"abensberg": (0,)}, {}),
    }
    _write(tmp_path / "index", index)
    gazetteer = Gazetteer(tmp_path / "index")
    assert gazetteer.countries() == ["DE", "ID"]
    assert gazetteer.country("ID") == index["ID"]
    assert gazetteer.find("ID", "Kabupaten Wonosobo") == (-7.3589, 109.9031)  # the most populous namesake
    assert gazetteer.namesakes("ID", "Wonosobo") == [(-7.3589, 109.9031), (-7.0, 110.0)]
    assert gazetteer.find("ID", "WSB") == (-7.0, 110.0)  # an alias
    assert gazetteer.find("XX", "Wonosobo") is None and gazetteer.find("../ID", "x") is None


def test_a_place_keeps_the_name_the_entry_wrote():
    place = locate(party("Kabupaten Wonosobo"), {}, default_gazetteer())
    assert (place.name, place.located_by, (place.lat, place.lon)) == (
        "Kabupaten Wonosobo",
        "gazetteer",
        default_gazetteer().find("ID", "Wonosobo"),
    )
    assert place_key(party("Kabupaten Wonosobo")) == "id/" + slug("Kabupaten Wonosobo")


def test_a_tie_written_with_an_administrative_word_is_not_a_second_tie(project):
    entry = project.agreements / "sragen-usaid.md"
    text = entry.read_text(encoding="utf-8")
    assert "name: Sragen\n" in text
    (project.agreements / "kabupaten-sragen-usaid.md").write_text(
        text.replace("name: Sragen\n", "name: Kabupaten Sragen\n"), encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as caught:
        check(project)
    assert [p.message for p in caught.value.problems] == [
        "this cooperation tie is already entered in content/agreements/kabupaten-sragen-usaid.md; correct that "
        "file instead, or merge the two",  # files are read in name order
    ]


def test_a_miss_names_the_nearest_gazetteer_names():
    message = locate(party("Wonosoba"), {}, default_gazetteer())
    assert message.startswith("'Wonosoba' (ID) is not in the offline gazetteer (did you mean 'Wonosobo'?); ")


@pytest.mark.parametrize("listed", [True, False])
@pytest.mark.parametrize("name", ["Desa Sukamaju Kidul", "Kampung: Baru #2", "Xi'an Lama"])
def test_the_places_yaml_suggestion_pastes_as_it_is(tmp_path, name, listed):
    file = tmp_path / "places.yaml"
    before = "ID:\n  Jawa Barat: [-6.9022, 107.6187]\n" if listed else "MY:\n  Penang: [5.4141, 100.3288]\n"
    file.write_text(before, encoding="utf-8")
    overrides, _ = load_overrides(file, tmp_path)
    message = locate(party(name, level="district"), overrides, default_gazetteer())
    quoted = re.findall(r"'((?:[^']|'(?=[^ ,]))*)'", message.split("; ", 1)[1])
    if listed:
        line, section = quoted[0], quoted[1]
        assert section == "ID:" and "under 'ID:'" in message
        text = before.replace("ID:\n", "ID:\n" + line.replace("[latitude, longitude]", "[-7.0, 110.0]") + "\n")
    else:
        section, line = quoted[0], quoted[1]
        assert section == "ID:"
        text = before + section + "\n" + line.replace("[latitude, longitude]", "[-7.0, 110.0]") + "\n"
    file.write_text(text, encoding="utf-8")
    overrides, problems = load_overrides(file, tmp_path)
    assert problems == []
    assert yaml.safe_load(text)["ID"][name] == [-7.0, 110.0]
    assert locate(party(name, level="district"), overrides, default_gazetteer()).located_by == "places.yaml"


def test_a_city_and_the_regency_of_its_name_are_two_places(project):
    """Kota Bandung and Kabupaten Bandung fold to one name, but one is a city and the other a regency: two ties."""
    entry = project.agreements / "sragen-usaid.md"
    text = entry.read_text(encoding="utf-8")
    assert "name: Sragen\n    level: regency\n" in text
    (project.agreements / "kota-sragen-usaid.md").write_text(
        text.replace("name: Sragen\n    level: regency\n", "name: Kota Sragen\n    level: city\n"), encoding="utf-8"
    )
    assert sorted(e.agreement.slug for e in check(project).catalogue.entries if "usaid" in e.agreement.slug) == [
        "kota-sragen-usaid",
        "sragen-usaid",
    ]


SPECIAL_REGION = """---
parties:
  - name: {name}
    level: {level}
    country: ID
  - name: Kyoto Prefecture
    level: prefecture
    country: JP
kind: sister-province
status: active
as_of: 2019
sources:
  - title: A fixture source
    url: https://example.org/paper.pdf
---
A fixture tie.
"""


@pytest.mark.parametrize(
    "first, second",
    [
        ("Daerah Istimewa Yogyakarta", "DI Yogyakarta"),
        ("DI Yogyakarta", "Provinsi Daerah Istimewa Yogyakarta"),
        ("DKI Jakarta", "Daerah Khusus Ibukota Jakarta"),
        ("Jakarta", "Pemerintah Provinsi DKI Jakarta"),
    ],
)
def test_a_special_region_written_another_way_is_not_a_second_tie(project, first, second):
    project.places.write_text(
        "ID:\n  Daerah Istimewa Yogyakarta: [-7.8014, 110.3647]\n  DKI Jakarta: [-6.2146, 106.8451]\n"
        "  Jawa Barat: [-6.9022, 107.6187]\nJP:\n  Kyoto Prefecture: [35.0211, 135.7555]\n"
        "MY:\n  Penang: [5.4141, 100.3288]\n",
        encoding="utf-8",
    )
    for file, name in (("a", first), ("b", second)):
        text = SPECIAL_REGION.format(name=name, level="province")
        (project.agreements / f"special-{file}.md").write_text(text, encoding="utf-8")
    assert problems(project) == [
        "content/agreements/special-b.md:2: parties: this sister-province tie is already entered in "
        "content/agreements/special-a.md; correct that file instead, or merge the two"
    ]
    # The city of Yogyakarta (or of Jakarta) is another government than the province: a tie of its own.
    (project.agreements / "special-b.md").write_text(SPECIAL_REGION.format(name=second, level="city"), encoding="utf-8")
    assert problems(project) == []
