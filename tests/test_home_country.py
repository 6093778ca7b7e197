"""The home country is a setting (home_country in catalogue.toml): a catalogue of Japan's ties checks
with Japan's party first, and its places index puts Japan's places by prefecture and the partners
by country; a catalogue without a home country lists every place by country."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.config import load_config
from catalogue.problems import CatalogueError
from catalogue.site import build, check
from conftest import FIXTURES, make_project, parse

HOME_JP = FIXTURES / "home_jp"


def text(element) -> str:
    return " ".join(element.get_text().split())


def headed(soup, section_id: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The place groups under one h2 of the places index: (heading, [(place, its note)])."""
    groups = []
    for section in soup.find(id=section_id).find_all_next("section", class_="place-group"):
        if section.find_previous("h2")["id"] != section_id:
            break
        groups.append((text(section.h3), [(text(li.a), text(li.select_one(".meta"))) for li in section.select("li")]))
    return groups


@pytest.fixture(scope="module")
def japan(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("home-jp"), HOME_JP)
    out = project.root / "site"
    build(project, out, load_config(project.root), search=False)
    return out


def test_the_home_countrys_places_are_listed_by_prefecture_in_english(japan):
    soup = parse(japan / "en" / "places" / "index.html")
    assert [text(h2) for h2 in soup.select("main h2")] == [
        "Places in Japan, by prefecture",
        "Partner places, by country",
    ]
    assert [text(a) for a in soup.select("nav.toc a")] == ["Places in Japan", "Partner places"]
    assert "the places in Japan by prefecture" in text(soup.select_one("p.lead"))
    assert headed(soup, "home") == [
        ("Chiba", [("Kisarazu", "City · 1 tie")]),
        ("Kyoto Prefecture", [("Kyoto Prefecture", "Prefecture · 1 tie"), ("Uji", "City · 1 tie")]),
        ("Prefecture not recorded", [("Hachioji", "City · 1 tie")]),
    ]
    assert headed(soup, "partners") == [
        (
            "Indonesia",
            [
                ("Bandung", "City · 1 tie"),
                ("Bogor", "City · 1 tie"),
                ("Daerah Istimewa Yogyakarta", "Province · 1 tie"),
                ("Surakarta", "City · 1 tie"),
            ],
        )
    ]
    assert soup.find(string=lambda s: "Indonesian places" in s) is None


def test_the_home_countrys_places_are_listed_by_prefecture_in_indonesian(japan):
    soup = parse(japan / "places" / "index.html")
    assert [text(h2) for h2 in soup.select("main h2")] == [
        "Tempat di Jepang, menurut prefektur",
        "Tempat mitra, menurut negara",
    ]
    assert headed(soup, "home")[-1] == ("Prefektur tidak tercatat", [("Hachioji", "Kota · 1 kerja sama")])


def test_without_a_home_country_every_place_is_listed_by_country(tmp_path):
    project = make_project(tmp_path, HOME_JP)
    (project.root / "catalogue.toml").write_text('home_country = ""\n', encoding="utf-8")
    out = project.root / "site"
    build(project, out, load_config(project.root), search=False)
    soup = parse(out / "en" / "places" / "index.html")
    assert [text(h2) for h2 in soup.select("main h2")] == ["Places, by country"]
    assert soup.find(id="home") is None and soup.select("nav.toc") == []
    assert [heading for heading, _ in headed(soup, "partners")] == ["Indonesia", "Japan"]


def test_the_home_countrys_party_goes_first_in_its_ties(tmp_path):
    project = make_project(tmp_path, HOME_JP)
    assert len(check(project).catalogue.entries) == len(list(project.agreements.glob("*.md")))
    entry = project.agreements / "uji-surakarta.md"
    text = entry.read_text(encoding="utf-8")
    uji, surakarta = (
        "  - name: Uji\n    level: city\n    country: JP\n    region: Kyoto Prefecture\n",
        ("  - name: Surakarta\n    level: city\n    country: ID\n"),
    )
    entry.write_text(text.replace(uji + surakarta, surakarta + uji), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        check(project)
    assert [str(p) for p in caught.value.problems] == [
        "content/agreements/uji-surakarta.md:6: parties.1.name: 'Uji' is the party in JP (Japan), the home country, "
        "and goes first; swap the two parties, so 'Uji' comes before 'Surakarta'"
    ]
