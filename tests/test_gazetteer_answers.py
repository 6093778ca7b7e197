"""The gazetteer's answers kept between builds: a rebuild places unchanged entries without reading
a country's index, and gets exactly the answers the index gives."""

from __future__ import annotations

import marshal

import pytest

from catalogue.gazetteer import CountryIndex, Elsewhere, Found, Gazetteer, _write

INDEX = {
    "ID": CountryIndex(
        ((-7.0, 110.4, "Semarang", "07"), (-6.9, 107.6, "Semarang", "30"), (-7.36, 109.9, "Wonosobo", "07")),
        {"semarang": [0, 1], "wonosobo": [2]},
        {"wsb": [2]},
        {"07": "Jawa Tengah", "30": "Jawa Barat"},
        {"jawatengah": ["07"], "jawabarat": ["30"]},
        (("Smg",), (), ("WSB", "Wonosobo Kota")),
    )
}
QUESTIONS = [
    ("ID", "Semarang", None),
    ("ID", "Semarang", "Jawa Barat"),  # a namesake the region picks
    ("ID", "Semarang", "Bali"),  # a region without a place of that name
    ("ID", "WSB", ""),  # an alias
    ("ID", "Atlantis", None),  # not found
    ("XX", "Semarang", None),  # no such country
]


@pytest.fixture
def folder(tmp_path):
    _write(tmp_path / "index", INDEX)
    return tmp_path / "index"


def answers(gazetteer: Gazetteer) -> list[object]:
    return [(gazetteer.resolve(*q), gazetteer.about(*q)) for q in QUESTIONS]


def test_saved_answers_are_given_again_without_reading_the_index(folder, tmp_path):
    first = Gazetteer(folder)
    expected = answers(first)
    assert {type(found) for found, _ in expected} == {Found, Elsewhere, type(None)}  # every kind of answer
    first.save_answers(tmp_path / "state" / "answers")

    again = Gazetteer(folder)
    again.read_answers(tmp_path / "state" / "answers")
    assert answers(again) == expected
    assert again._countries == {}  # no country's index was read
    assert again.resolve("ID", "Wonosobo") == Found(-7.36, 109.9, "07", "Jawa Tengah", 2, False)  # a new question
    assert list(again._countries) == ["ID"]  # is answered from the index


def test_answers_of_another_index_are_not_used(folder, tmp_path):
    other = tmp_path / "other"
    _write(other, {"ID": CountryIndex(((1.0, 2.0, "Semarang", ""),), {"semarang": [0]}, {})})
    elsewhere = Gazetteer(other)
    assert elsewhere.find("ID", "Semarang") == (1.0, 2.0)
    elsewhere.save_answers(tmp_path / "answers")

    gazetteer = Gazetteer(folder)
    gazetteer.read_answers(tmp_path / "answers")
    assert gazetteer.find("ID", "Semarang") == (-7.0, 110.4)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not marshal at all",
        marshal.dumps((99, "x", (), ())),
        marshal.dumps([1, 2, 3]),
    ],
)
def test_a_damaged_answers_file_is_ignored(folder, tmp_path, content):
    path = tmp_path / "answers"
    path.write_bytes(content)
    gazetteer = Gazetteer(folder)
    gazetteer.read_answers(path)
    assert answers(gazetteer) == answers(Gazetteer(folder))


def test_a_row_the_gazetteer_did_not_write_is_ignored(folder, tmp_path):
    path = tmp_path / "answers"
    Gazetteer(folder).save_answers(path)  # the header of this index
    _, where, _, _ = marshal.loads(path.read_bytes())
    rows = ((("ID", "Semarang", ""), ("found", "north", 2.0, "", "", 0, False)), (("ID",), ("none",)))
    path.write_bytes(marshal.dumps((1, where, rows, ((("ID", "Semarang", ""), (3, ())),))))
    gazetteer = Gazetteer(folder)
    gazetteer.read_answers(path)
    assert gazetteer.find("ID", "Semarang") == (-7.0, 110.4)
    assert gazetteer.about("ID", "Semarang") == ("07", ["Smg"])


def test_a_rebuild_keeps_the_answers_beside_the_site(project):
    from catalogue.config import Config
    from catalogue.site import GAZETTEER_ANSWERS, build

    out = project.root / "site"
    build(project, out, Config(tiles="none"), search=False, jobs=1)
    saved = marshal.loads((project.root / ".site-state" / GAZETTEER_ANSWERS).read_bytes())
    assert saved[2] and saved[3]  # resolve() and about() answers of the fixture's parties
    assert not (out / GAZETTEER_ANSWERS).exists()  # never in the site (never deployed)
