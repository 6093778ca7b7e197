"""validate.py: every contributor mistake gives exactly the message written for it, with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogue.load import load_folder
from catalogue.problems import CatalogueError, did_you_mean, one_of
from catalogue.site import Project, check
from catalogue.validate import validate_all
from conftest import FIXTURES, REPO, entry_files

INVALID = FIXTURES / "invalid"

# Fixtures are named after their mistake with underscores, which a slug may not have, so each is
# copied in under the hyphenated name a contributor would give it; except where the name is the mistake.
NAME_IS_THE_MISTAKE = {"Bad_Name.md"}

# One entry per file in tests/fixtures/invalid/, with every problem check() reports for it, in order.
EXPECTED = {
    "accessed_without_url.md": [
        "content/agreements/accessed-without-url.md:28: sources.0.accessed: an access date needs a url; add the url "
        "or remove 'accessed'",
    ],
    "as_of_missing.md": [
        "content/agreements/as-of-missing.md:3: missing required field 'as_of': When that status was observed (the "
        "year the source reports it), or 'unknown'. Leave it out when observations are given: it is the newest "
        "one's date.",
    ],
    "Bad_Name.md": [
        "content/agreements/Bad_Name.md:1: the file name 'Bad_Name.md' must be lower-case words joined by hyphens; "
        "rename it to 'bad-name.md'",
    ],
    "coordinates_not_a_pair.md": [
        "content/agreements/coordinates-not-a-pair.md:11: parties.1.coordinates: '35.3833, 139.9167' is not a pair of "
        "numbers; write [latitude, longitude], e.g. [-7.5561, 110.8317]",
    ],
    "coordinates_out_of_range.md": [
        "content/agreements/coordinates-out-of-range.md:11: parties.1.coordinates: latitude 139.9167 is out of range "
        "-90 to 90 (are latitude and longitude swapped?)",
    ],
    "country_lowercase.md": [
        "content/agreements/country-lowercase.md:10: parties.1.country: 'jp' is not an ISO 3166-1 alpha-2 country "
        "code such as ID, JP or KR (write it in upper case: 'JP')",
    ],
    "country_name_instead_of_code.md": [
        "content/agreements/country-name-instead-of-code.md:10: parties.1.country: 'Japan' is not an ISO 3166-1 "
        "alpha-2 country code such as ID, JP or KR (did you mean 'JP', the code for Japan?)",
    ],
    "country_unknown.md": [
        "content/agreements/country-unknown.md:10: parties.1.country: 'JA' is not an ISO 3166-1 alpha-2 country code "
        "such as ID, JP or KR",
    ],
    "date_bad_day.md": [
        "content/agreements/date-bad-day.md:18: documents.0.signed: '2016-02-30' has no day 30: February 2016 has 29 "
        "days",
    ],
    "date_bad_format.md": [
        "content/agreements/date-bad-format.md:14: since: '11-2016' is not a date; write it as 1985, 2016-11 or "
        "2015-09-25",
    ],
    "date_bad_month.md": [
        "content/agreements/date-bad-month.md:14: since: '2016-13' has no month 13; write it as 1985, 2016-11 or "
        "2015-09-25",
    ],
    "date_year_out_of_range.md": [
        "content/agreements/date-year-out-of-range.md:14: since: '1016-11': year 1016 is out of range 1800-2100; "
        "check it for a typo",
    ],
    "document_type_unknown.md": [
        "content/agreements/document-type-unknown.md:17: documents.0.type: 'memorandum' is not one of: mou, loi, "
        "agreement, joint-declaration, draft, other",
    ],
    "duplicate_field.md": [
        "content/agreements/duplicate-field.md:14: status: is given twice, on lines 12 and 14; keep one of them",
    ],
    "ended_before_since.md": [
        "content/agreements/ended-before-since.md:15: ended: ends (2016-03) before it began (2016-11)",
    ],
    "ended_date_but_active.md": [
        "content/agreements/ended-date-but-active.md:15: ended: an end date is set but status is 'active'; set "
        "'status: ended' or remove 'ended'",
    ],
    "front_matter_a_list.md": [
        "content/agreements/front-matter-a-list.md:3: the front matter must be a set of 'field: value' lines, not a "
        "list or a single value",
    ],
    "front_matter_not_closed.md": [
        "content/agreements/front-matter-not-closed.md:1: the front matter is not closed; add a line '---' after the "
        "last field",
    ],
    "kind_unknown.md": [
        "content/agreements/kind-unknown.md:11: kind: 'twin-city' is not one of: sister-city, sister-province, "
        "friendship-city, sister-school, cooperation (did you mean 'sister-city'?)",
    ],
    "level_unknown.md": [
        "content/agreements/level-unknown.md:9: parties.1.level: 'town' is not one of: city, regency, municipality, "
        "district, county, province, state, prefecture, governorate, region, school, organisation, national",
    ],
    "no_front_matter.md": [
        "content/agreements/no-front-matter.md:1: no front matter; the file must start with a line '---', then the "
        "fields, then a line '---'",
    ],
    "no_sources.md": [
        "content/agreements/no-sources.md:3: missing required field 'sources': At least one source for the facts.",
    ],
    "one_party.md": [
        "content/agreements/one-party.md:3: parties: needs exactly 2 parties (the Indonesian one, then its partner), "
        "found 1",
    ],
    "parties_not_a_list.md": [
        "content/agreements/parties-not-a-list.md:3: parties: must be a list of parties, each starting with '- '",
    ],
    "place_not_in_gazetteer.md": [
        "content/agreements/place-not-in-gazetteer.md:4: parties.0.name: 'Atlantis' (ID) is not in the offline "
        "gazetteer; add the line '  Atlantis: [latitude, longitude]' under 'ID:' in content/places.yaml, or give "
        "the party 'coordinates: [latitude, longitude]'",
    ],
    "progress_as_list.md": [
        "content/agreements/progress-as-list.md:20: progress: must map each sector to its state, e.g. 'education: "
        "{state: done}'",
    ],
    "progress_sector_not_in_sectors.md": [
        "content/agreements/progress-sector-not-in-sectors.md:21: progress.health: sector 'health' is not in this "
        "entry's sectors; add it there or remove it here",
    ],
    "progress_state_unknown.md": [
        "content/agreements/progress-state-unknown.md:22: progress.education.state: 'finished' is not one of: done, "
        "under-way, not-done, not-reported",
    ],
    "province_not_in_places_yaml.md": [
        "content/agreements/province-not-in-places-yaml.md:4: parties.0.name: 'Jawa Tengah' (ID) is a province, and "
        "the offline gazetteer has only cities; add the line '  Jawa Tengah: [latitude, longitude]' under 'ID:' "
        "in content/places.yaml, or give the party 'coordinates: [latitude, longitude]'",
    ],
    "same_party_twice.md": [
        "content/agreements/same-party-twice.md:3: parties: both parties are the same place; the second must be the "
        "partner",
    ],
    "same_special_region_twice.md": [
        "content/agreements/same-special-region-twice.md:3: parties: both parties are the same place; the second must "
        "be the partner",
    ],
    "sector_listed_twice.md": [
        "content/agreements/sector-listed-twice.md:15: sectors: 'education' is listed twice",
    ],
    "sector_unknown.md": [
        "content/agreements/sector-unknown.md:15: sectors.2: 'fishery' is not one of: agriculture, arts, "
        "civil-service, culture, dairy, economy, education, environment, fisheries, governance, health, industry, "
        "information-exchange, infrastructure, investment, labour, language, sanitation, science, sport, "
        "technology, tourism, trade, transport, waste-management, water, youth (did you mean 'fisheries'?)",
    ],
    "sectors_not_a_list.md": [
        "content/agreements/sectors-not-a-list.md:15: sectors: must be a list in square brackets, e.g. [education, "
        "culture]",
    ],
    "source_type_unknown.md": [
        "content/agreements/source-type-unknown.md:26: sources.0.type: 'skripsi' is not one of: journal-article, "
        "thesis, book, report, official-document, news, web-page",
    ],
    "source_url_javascript.md": [
        "content/agreements/source-url-javascript.md:28: sources.0.url: 'javascript:alert(1)' is not a web link; only "
        "http:// and https:// links are allowed",
    ],
    "source_url_relative.md": [
        "content/agreements/source-url-relative.md:28: sources.0.url: '/papers/bogor-kisarazu.pdf' is not a web link; "
        "only http:// and https:// links are allowed",
    ],
    "source_without_title.md": [
        "content/agreements/source-without-title.md:25: sources.0: missing required field 'title': The title of the "
        "paper, page or document.",
    ],
    "source_year_two_digits.md": [
        "content/agreements/source-year-two-digits.md:27: sources.0.year: 18 is not a year; write four digits, e.g. "
        "2018",
    ],
    "sources_blank.md": [
        "content/agreements/sources-blank.md:24: sources: is empty; it is required: At least one source for the facts.",
    ],
    "sources_empty.md": [
        "content/agreements/sources-empty.md:24: sources: needs at least 1 source",
    ],
    "status_empty.md": [
        "content/agreements/status-empty.md:12: status: is empty; it is required: Its state when last observed. Leave "
        "it out when observations are given: the newest one sets it.",
    ],
    "status_misspelt.md": [
        "content/agreements/status-misspelt.md:12: status: 'actve' is not one of: active, stalled, exploratory, "
        "ended, not-reported (did you mean 'active'?)",
    ],
    "term_years_not_a_number.md": [
        "content/agreements/term-years-not-a-number.md:19: documents.0.term_years: 'five' is not a whole number of "
        "years above 0",
    ],
    "tie_again_with_government_words.md": [
        "content/agreements/tie-again-with-government-words.md:3: parties: this sister-province tie is already "
        "entered in content/agreements/jawa-barat-penang.md; correct that file instead, or merge the two",
    ],
    "three_parties.md": [
        "content/agreements/three-parties.md:3: parties: needs exactly 2 parties (the Indonesian one, then its "
        "partner), found 3",
    ],
    "unknown_field.md": [
        "content/agreements/unknown-field.md:13: mayor: unknown field; an agreement takes: parties, kind, status, "
        "as_of, since, ended, sectors, documents, progress, sources, title, language, aliases, observations",
    ],
    "unknown_field_in_party.md": [
        "content/agreements/unknown-field-in-party.md:7: parties.0.province: unknown field; a party takes: name, "
        "level, country, region, body, coordinates, also_known_as",
    ],
    "unknown_field_misspelt.md": [
        "content/agreements/unknown-field-misspelt.md:11: knid: unknown field (did you mean 'kind'?); an agreement "
        "takes: parties, kind, status, as_of, since, ended, sectors, documents, progress, sources, title, "
        "language, aliases, observations",
    ],
    "yaml_syntax_error.md": [
        "content/agreements/yaml-syntax-error.md:25: YAML syntax error: mapping values are not allowed in this "
        "context; check the indentation and quote values that contain ': ' or start with a special character",
    ],
    "yaml_tab_indent.md": [
        "content/agreements/yaml-tab-indent.md:10: YAML syntax error: found a tab character that violates "
        "indentation; check the indentation and quote values that contain ': ' or start with a special character",
    ],
}


def copied_name(fixture: Path) -> str:
    return fixture.name if fixture.name in NAME_IS_THE_MISTAKE else fixture.stem.replace("_", "-") + ".md"


def problems(project: Project) -> list[str]:
    """Every problem check() finds, as the contributor reads it; [] when there are none."""
    try:
        check(project)
    except CatalogueError as err:
        return [str(problem) for problem in err.problems]
    return []


@pytest.mark.parametrize("fixture", sorted(INVALID.glob("*.md")), ids=lambda fixture: fixture.name)
def test_each_invalid_fixture_gives_exactly_its_messages(project, fixture):
    assert fixture.name in EXPECTED, f"{fixture.name} has no expected message; add it to EXPECTED"
    shutil.copy(fixture, project.agreements / copied_name(fixture))
    assert problems(project) == EXPECTED[fixture.name]


def test_every_expected_message_has_its_fixture():
    assert sorted(EXPECTED) == sorted(f.name for f in INVALID.glob("*.md"))


def test_the_fixture_site_is_valid_before_anything_is_added(project):
    assert problems(project) == []


# -- every problem at once -----------------------------------------------------

BASE = (INVALID.parent / "site" / "content" / "agreements" / "surakarta-xian.md").read_text(encoding="utf-8")


def entry(*replacements: tuple[str, str]) -> str:
    """The fixture site's surakarta-xian.md with some text replaced (each once)."""
    text = BASE
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_one_file_with_three_mistakes_gives_three_problems(project):
    (project.agreements / "surakarta-xian.md").write_text(
        entry(("status: stalled", "status: stalld"), ("country: CN", "country: cn"), ("type: loi", "type: letter")),
        encoding="utf-8",
    )
    assert problems(project) == [
        "content/agreements/surakarta-xian.md:9: parties.1.country: 'cn' is not an ISO 3166-1 alpha-2 country code "
        "such as ID, JP or KR (write it in upper case: 'CN')",
        "content/agreements/surakarta-xian.md:11: status: 'stalld' is not one of: active, stalled, exploratory, "
        "ended, not-reported (did you mean 'stalled'?)",
        "content/agreements/surakarta-xian.md:16: documents.0.type: 'letter' is not one of: mou, loi, agreement, "
        "joint-declaration, draft, other",
    ]


def test_two_bad_files_give_problems_for_both_and_one_summary(project):
    (project.agreements / "surakarta-xian.md").write_text(entry(("as_of: 2017\n", "")), encoding="utf-8")
    (project.agreements / "sragen-usaid.md").write_text("parties: []\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        check(project)
    assert [str(p) for p in caught.value.problems] == [
        "content/agreements/sragen-usaid.md:1: no front matter; the file must start with a line '---', then the "
        "fields, then a line '---'",
        "content/agreements/surakarta-xian.md:2: missing required field 'as_of': When that status was observed (the "
        "year the source reports it), or 'unknown'. Leave it out when observations are given: it is the newest "
        "one's date.",
    ]
    assert str(caught.value) == "2 problems in 2 files; nothing was written."


def test_problems_in_entries_places_and_pages_are_reported_together(project):
    (project.agreements / "surakarta-xian.md").write_text(
        entry(("kind: sister-city", "kind: sistercity")), encoding="utf-8"
    )
    (project.places).write_text(
        "ID:\n  Jawa Barat: [-6.9022, 1107.6187]\nMY:\n  Penang: [5.4141, 100.3288]\n", encoding="utf-8"
    )
    (project.pages / "about.md").write_text("---\ntitel: About\n---\n", encoding="utf-8")
    (project.pages / "help.md").write_text("---\nsources: []\n---\n", encoding="utf-8")
    assert problems(project) == [
        # The broken override is dropped, so Jawa Barat cannot be placed either: both are reported.
        "content/agreements/jawa-barat-penang.md:3: parties.0.name: 'Jawa Barat' (ID) is a province, and the offline "
        "gazetteer has only cities; add the lines 'ID:' and '  Jawa Barat: [latitude, longitude]' to "
        "content/places.yaml, or give the party 'coordinates: [latitude, longitude]'",
        "content/agreements/surakarta-xian.md:10: kind: 'sistercity' is not one of: sister-city, sister-province, "
        "friendship-city, sister-school, cooperation (did you mean 'sister-city'?)",
        "content/pages/about.md:2: titel: unknown field (did you mean 'title'?); a page takes: title (text, or a map "
        "of languages: {id: ..., en: ...}), sources",
        "content/pages/help.md:2: missing required field 'title': the page's heading, e.g. 'title: About'",
        "content/places.yaml:2: ID.Jawa Barat: [-6.9022, 1107.6187] is not [latitude, longitude] within -90..90 and "
        "-180..180; write it as [latitude, longitude], e.g. [-6.9022, 107.6187]",
    ]


# -- hints ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, allowed, hint",
    [
        ("actve", ["active", "stalled", "exploratory", "ended"], " (did you mean 'active'?)"),
        ("Sister-City", ["sister-city", "friendship-city"], " (did you mean 'sister-city'?)"),
        ("educaton", ["economy", "education"], " (did you mean 'education'?)"),
        ("xyz", ["active", "stalled"], ""),
        (2017, ["active"], ""),
        (None, ["active"], ""),
    ],
)
def test_did_you_mean(value, allowed, hint):
    assert did_you_mean(value, allowed) == hint


def test_one_of_lists_the_terms_and_the_near_miss():
    assert one_of("don", ["done", "not-done"]) == "'don' is not one of: done, not-done (did you mean 'done'?)"
    assert one_of(["done"], ["done"]) == "['done'] is not one of: done"


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "status: stalled",
            "Status: stalled",
            "content/agreements/surakarta-xian.md:11: Status: unknown field (did you mean 'status'?); an agreement "
            "takes: parties, kind, status, as_of, since, ended, sectors, documents, progress, sources, title, "
            "language, aliases, observations",
        ),
        (
            "    level: city\n    country: CN",
            "    levle: city\n    country: CN",
            "content/agreements/surakarta-xian.md:8: parties.1.levle: unknown field (did you mean 'level'?); a party "
            "takes: name, level, country, region, body, coordinates, also_known_as",
        ),
        (
            "level: city\n    country: CN",
            "level: cty\n    country: CN",
            "content/agreements/surakarta-xian.md:8: parties.1.level: 'cty' is not one of: city, regency, "
            "municipality, district, county, province, state, prefecture, governorate, region, school, "
            "organisation, national (did you mean 'city'?)",
        ),
        (
            "    signed: 2015-09-25",
            "    signd: 2015-09-25",
            "content/agreements/surakarta-xian.md:17: documents.0.signd: unknown field (did you mean 'signed'?); a "
            "document takes: type, title, signed, term_years, renewal, renewed",
        ),
        (
            "    type: journal-article",
            "    type: journal",
            "content/agreements/surakarta-xian.md:20: sources.0.type: 'journal' is not one of: journal-article, "
            "thesis, book, report, official-document, news, web-page (did you mean 'journal-article'?)",
        ),
        (
            "country: CN",
            "country: China",
            "content/agreements/surakarta-xian.md:9: parties.1.country: 'China' is not an ISO 3166-1 alpha-2 country "
            "code such as ID, JP or KR (did you mean 'CN', the code for China?)",
        ),
        (
            "country: CN",
            "country: Tiongkok",
            "content/agreements/surakarta-xian.md:9: parties.1.country: 'Tiongkok' is not an ISO 3166-1 alpha-2 "
            "country code such as ID, JP or KR (did you mean 'CN', the code for Tiongkok?)",
        ),
    ],
    ids=[
        "field-case",
        "party-field",
        "level",
        "document-field",
        "source-type",
        "country-english",
        "country-indonesian",
    ],
)
def test_near_misses_get_a_did_you_mean_hint(project, old, new, message):
    (project.agreements / "surakarta-xian.md").write_text(entry((old, new)), encoding="utf-8")
    assert problems(project) == [message]


# -- across files ----------------------------------------------------------------


def test_the_same_slug_in_two_subfolders_is_rejected(project):
    for folder in ("a", "b"):
        (project.agreements / folder).mkdir()
    shutil.move(project.agreements / "surakarta-xian.md", project.agreements / "a" / "x.md")
    shutil.move(project.agreements / "sragen-usaid.md", project.agreements / "b" / "x.md")
    assert problems(project) == [
        "content/agreements/b/x.md:1: slug 'x' is already used by content/agreements/a/x.md; give one of the files "
        "another name",
    ]


def reversed_entry(kind: str) -> str:
    """surakarta-xian.md written the other way round: Xi'an first, then Surakarta."""
    return entry(
        (
            "  - name: Surakarta\n    level: city\n    country: ID\n    region: Jawa Tengah\n  - name: Xi'an\n    "
            "level: city\n    country: CN\n",
            "  - name: Xi’an\n    level: city\n    country: CN\n  - name: Surakarta\n    level: city\n    country: "
            "ID\n",
        ),
        ("kind: sister-city", f"kind: {kind}"),
    )


def test_the_same_pair_entered_twice_in_reverse_order_is_rejected(project):
    (project.root / "catalogue.toml").write_text(
        'home_country = ""\n', encoding="utf-8"
    )  # no home-first rule: only the duplicate
    (project.agreements / "xian-surakarta.md").write_text(reversed_entry("sister-city"), encoding="utf-8")
    assert problems(project) == [
        "content/agreements/xian-surakarta.md:2: parties: this sister-city tie is already entered in "
        "content/agreements/surakarta-xian.md; correct that file instead, or merge the two",
    ]


def test_the_same_pair_with_another_kind_is_a_separate_tie(project):
    (project.root / "catalogue.toml").write_text('home_country = ""\n', encoding="utf-8")  # no home-first rule here
    (project.agreements / "xian-surakarta.md").write_text(reversed_entry("cooperation"), encoding="utf-8")
    checked = check(project)
    assert sorted(e.agreement.slug for e in checked.catalogue.entries) == [
        "jawa-barat-penang",
        "sragen-usaid",
        "surakarta-xian",
        "xian-surakarta",
    ]


# -- the shipped catalogue ---------------------------------------------------------


def test_every_shipped_entry_validates_with_no_problems():
    raws, load_problems = load_folder(REPO / "content" / "agreements", REPO)
    agreements, problems_found = validate_all(raws)
    assert [str(p) for p in load_problems + problems_found] == []
    assert sorted(a.slug for a in agreements) == [p.stem for p in entry_files(REPO / "content" / "agreements")]


def test_the_shipped_catalogue_passes_the_whole_check():
    entries = check(Project(REPO)).catalogue.entries
    assert len(entries) == len(entry_files(REPO / "content" / "agreements")) > 0


def test_names_the_build_writes_itself_are_refused(project):
    text = (project.agreements / "surakarta-xian.md").read_text(encoding="utf-8")
    (project.agreements / "surakarta-xian.md").rename(project.agreements / "index.md")
    (project.pages / "statistics.md").write_text("---\ntitle: Numbers\n---\nText.\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        check(project)
    assert [str(p) for p in caught.value.problems] == [
        "content/agreements/index.md:2: the file name 'index.md' is taken by the list of all agreements; name the "
        "file after the two parties, e.g. 'surakarta-xian.md'",
        "content/pages/statistics.md:2: 'statistics.html' is a page the build makes itself; rename the file, e.g. "
        "'about.md' or 'how-to-help.md'",
    ]
    assert "Xi'an" in text


def test_a_name_without_latin_letters_is_refused_not_merged(project):
    entry = project.agreements / "surakarta-xian.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("name: Xi'an", "name: 西安"), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        check(project)
    assert [str(p) for p in caught.value.problems] == [
        "content/agreements/surakarta-xian.md:7: parties.1.name: '西安' has no Latin letters or digits; write the name "
        "as it is usually spelt in Latin letters (e.g. 'Tokyo', 'Xi'an'), so it can be compared, found and given "
        "an address",
    ]


def test_accents_do_not_make_a_second_tie(project):
    entry = project.agreements / "surakarta-xian.md"
    text = entry.read_text(encoding="utf-8")
    (project.agreements / "surakarta-xian-again.md").write_text(
        text.replace("name: Xi'an", "name: Xí’an"), encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as caught:
        check(project)
    assert [p.message for p in caught.value.problems] == [
        "this sister-city tie is already entered in content/agreements/surakarta-xian-again.md; correct that file "
        "instead, or merge the two",  # files are read in name order
    ]
