"""Free text in every language a reader sees (issue 10 item 5): notes, renewals, document titles.

A field is plain text (written in the entry's `language`, English by default) or a map of the
site's languages {id: ..., en: ...}. A page shows its own language, else the text as written,
marked with its lang and a visible note that the translation is missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogue.config import Config
from catalogue.problems import CatalogueError
from catalogue.schema import entry_schema
from catalogue.site import build, check
from conftest import make_project, parse

ENTRY = """---
parties:
  - name: Surakarta
    level: city
    country: ID
    region: Jawa Tengah
  - name: Xi'an
    level: city
    country: CN
kind: sister-city
status: stalled
as_of: 2017
since: 2015-09-25
sectors: [trade, culture]
documents:
  - type: loi
    title: Letter of Intent
    signed: 2015-09-25
    renewal:
      id: Diperpanjang tiap lima tahun.
      en: Renewed every five years.
progress:
  trade:
    state: not-done
    note:
      en: No trade mission followed.
      id: Tidak ada misi dagang yang menyusul.
  culture:
    state: not-reported
    note: No source reports on culture.
sources:
  - title: Kerjasama luar negeri pemerintah daerah
    type: journal-article
    year: 2017
    note:
      id: Artikel jurnal, bab II.
---
A Letter of Intent was signed on 25 September 2015.
"""


def text(element) -> str:
    return " ".join(element.get_text().split())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("texts"))
    (project.agreements / "surakarta-xian.md").write_text(ENTRY, encoding="utf-8")
    out = project.root / "site"
    build(project, out, Config(tiles="none"))
    return out


def progress_notes(page) -> dict[str, object]:
    return {text(row.th): row.select("td")[1] for row in page.select("table.progress tbody tr")}


def test_a_note_given_in_both_languages_shows_each_page_its_own(site):
    indonesian = progress_notes(parse(site / "agreements/surakarta-xian.html"))
    english = progress_notes(parse(site / "en/agreements/surakarta-xian.html"))
    assert text(indonesian["Perdagangan"]) == "Tidak ada misi dagang yang menyusul."
    assert text(english["Trade"]) == "No trade mission followed."
    assert indonesian["Perdagangan"].select("[lang], .untranslated-mark") == []
    renewal = parse(site / "agreements/surakarta-xian.html").select_one("ul.documents .meta")
    assert text(renewal) == "Perpanjangan: Diperpanjang tiap lima tahun."


def test_a_note_in_one_language_is_shown_as_written_and_says_the_translation_is_missing(site):
    cell = progress_notes(parse(site / "agreements/surakarta-xian.html"))["Kebudayaan"]
    assert cell.select_one("span[lang]")["lang"] == "en"  # plain text is in the entry's language
    assert text(cell.select_one("span[lang]")) == "No source reports on culture."
    assert text(cell.select_one(".untranslated-mark")) == "(belum diterjemahkan ke dalam bahasa Indonesia)"
    assert progress_notes(parse(site / "en/agreements/surakarta-xian.html"))["Culture"].select("[lang]") == []
    # An Indonesian-only source note on the English page: shown in Indonesian, marked as such.
    source = parse(site / "en/agreements/surakarta-xian.html").select_one("ol.sources li")
    assert source.select_one("span[lang]")["lang"] == "id"
    assert text(source.select_one(".untranslated-mark")) == "(not yet translated into English)"


def test_a_document_title_is_shown_as_printed_without_a_missing_translation_note(site):
    document = parse(site / "agreements/surakarta-xian.html").select_one("ul.documents li")
    assert document.select_one("span[lang]")["lang"] == "en" and "Letter of Intent" in text(document)
    assert document.select_one("strong + span.untranslated-mark") is None


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (
            "      id: Tidak ada misi",
            "      ind: Tidak ada misi",
            "content/agreements/surakarta-xian.md:27: progress.trade.note.ind: 'ind' is not one of: id, en "
            "(did you mean 'id'?); write one of the site's languages, or add it to `languages` in catalogue.toml",
        ),
        (
            "    note:\n      id: Artikel jurnal, bab II.",
            "    note: {}",
            "content/agreements/surakarta-xian.md:35: sources.0.note: is an empty map; write the text, or {id: ..., "
            "en: ...}",
        ),
        (
            "      en: Renewed every five years.",
            "      en: [Renewed]",
            "content/agreements/surakarta-xian.md:21: documents.0.renewal.en: must be text, not a list",
        ),
    ],
)
def test_a_wrong_text_map_names_file_line_field_and_fix(tmp_path, replace, by, message):
    project = make_project(tmp_path)
    assert replace in ENTRY
    (project.agreements / "surakarta-xian.md").write_text(ENTRY.replace(replace, by), encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        check(project)
    assert [str(p) for p in err.value.problems] == [message]


def test_the_editor_schema_accepts_text_or_a_map_of_languages():
    jsonschema = pytest.importorskip("jsonschema")
    schema = entry_schema()
    note = {"state": "done", "note": {"id": "Terlaksana.", "en": "Done."}}
    entry = {
        "parties": [
            {"name": "Surakarta", "level": "city", "country": "ID"},
            {"name": "Xi'an", "level": "city", "country": "CN"},
        ],
        "kind": "sister-city",
        "status": "active",
        "as_of": 2017,
        "sectors": ["trade"],
        "progress": {"trade": note},
        "sources": [{"title": "A paper", "note": "plain text"}],
    }
    jsonschema.validate(entry, schema)
    entry["progress"]["trade"]["note"] = {"Indonesian": "Terlaksana."}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(entry, schema)
    assert json.dumps(schema)  # serialisable as committed
