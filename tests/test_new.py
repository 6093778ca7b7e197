"""`catalogue new`: a valid entry from answers or options, a good slug, never an overwrite, then the check."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from catalogue.scaffold import BODY_HINT, pair_slug, slug_words
from catalogue.site import check

GUILIN = [
    "--name1",
    "Surakarta",
    "--country1",
    "ID",
    "--name2",
    "Guilin",
    "--country2",
    "Tiongkok",
    "--kind",
    "sister-city",
    "--status",
    "exploratory",
    "--as-of",
    "2017",
    "--source-title",
    "Kerjasama luar negeri pemerintah daerah",
    "--source-url",
    "https://example.org/paper.pdf",
    "--source-year",
    "2017",
]

GUILIN_FILE = (
    """---
# One file per agreement. Field reference: README.md ("Entry fields").
parties:
  - name: Surakarta
    level: city
    country: ID
  - name: Guilin
    level: city
    country: CN
kind: sister-city
status: exploratory
as_of: 2017
sources:
  - title: Kerjasama luar negeri pemerintah daerah
    year: 2017
    url: https://example.org/paper.pdf
---
"""
    + BODY_HINT
)


def given(args: list[str], option: str, value: str) -> list[str]:
    """args with option's value replaced."""
    at = args.index(option) + 1
    return [*args[:at], value, *args[at + 1 :]]


def new(project, *args, input=None):
    return CliRunner().invoke(main, ["new", "--root", str(project.root), *args], input=input)


def files(project) -> list[str]:
    return sorted(p.name for p in project.agreements.glob("*.md"))


def test_new_with_every_option_writes_a_valid_entry_and_checks_it(project):
    result = new(project, *GUILIN)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "Country 'Tiongkok': using CN (China).",
        "content/agreements/surakarta-guilin.md written; catalogue check: no problems. Now write what the source says "
        "in its body.",
    ]
    assert (project.agreements / "surakarta-guilin.md").read_text(encoding="utf-8") == GUILIN_FILE
    entry = next(e for e in check(project).catalogue.entries if e.agreement.slug == "surakarta-guilin")
    assert entry.agreement.status == "exploratory" and entry.agreement.sources[0].year == 2017
    assert "Write here" not in entry.body_html  # the hint is for the contributor, not the reader


def test_new_asks_for_what_it_is_not_given_and_shows_the_allowed_values(project):
    answers = [
        "Surakarta",
        "",
        "Indonesia",
        "Guilin",
        "",
        "Tiongkok",
        "",
        "bogus",
        "exploratory",
        "2017",
        "Kerjasama luar negeri pemerintah daerah",
        "ftp://x",
        "https://example.org/paper.pdf",
        "2017",
    ]
    result = new(project, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert (
        "Home party: level (city, regency, municipality, district, county, province, state, prefecture, "
        "governorate, region, school, organisation, national) [city]:" in result.output
    )
    assert (
        "Kind of tie (sister-city, sister-province, friendship-city, sister-school, cooperation) [sister-city]:"
        in result.output
    )
    assert "Status, as the source reports it (active, stalled, exploratory, ended, not-reported):" in result.output
    assert (
        "'bogus' is not one of 'active', 'stalled', 'exploratory', 'ended', 'not-reported'." in result.output
    )  # asked again
    assert "'ftp://x' is not link, http:// or https://" in result.output  # asked again
    assert "Country 'Indonesia': using ID (Indonesia)." in result.output
    assert (project.agreements / "surakarta-guilin.md").read_text(encoding="utf-8") == GUILIN_FILE


def test_options_switch_off_the_questions_that_have_defaults(project):
    args = [a for a in GUILIN if a not in ("--kind", "sister-city", "--country1", "ID")]
    result = new(project, *args, input="")  # nothing to answer: a script never waits
    assert result.exit_code == 0, result.output
    assert "Home party" not in result.output
    assert (project.agreements / "surakarta-guilin.md").read_text(encoding="utf-8") == GUILIN_FILE


def test_the_indonesian_party_goes_first(project):
    args = ["--name1", "Guilin", "--country1", "CN", "--name2", "Surakarta", "--country2", "ID", *GUILIN[8:]]
    result = new(project, *args)
    assert result.exit_code == 0, result.output
    assert "The party in ID (Indonesia), the home country, goes first: the two parties were swapped." in result.stdout
    assert (project.agreements / "surakarta-guilin.md").read_text(encoding="utf-8") == GUILIN_FILE


def test_another_kind_of_tie_between_the_same_places_gets_the_kind_in_its_slug(project):
    args = [
        "--name1",
        "Surakarta",
        "--name2",
        "Xi'an",
        "--country2",
        "CN",
        "--kind",
        "sister-school",
        "--status",
        "active",
        "--as-of",
        "2019",
        "--source-title",
        "A school's page",
    ]
    result = new(project, *args)
    assert result.exit_code == 0, result.output
    assert "content/agreements/surakarta-xian-sister-school.md written; catalogue check: no problems." in result.stdout
    assert (project.agreements / "surakarta-xian.md").read_text(encoding="utf-8").count("kind: sister-city") == 1


def test_a_tie_already_entered_is_refused_whichever_side_comes_first(project):
    before = files(project)
    args = [
        "--name1",
        "Xian",
        "--country1",
        "China",
        "--name2",
        "Surakarta",
        "--country2",
        "ID",
        "--status",
        "active",
        "--as-of",
        "2019",
        "--source-title",
        "A newer paper",
    ]
    result = new(project, *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: Surakarta – Xian (sister-city) is already entered in content/agreements/surakarta-xian.md; "
        "correct that file instead of adding another"
    )
    assert "Traceback" not in result.output
    assert files(project) == before


def test_new_never_overwrites_a_file(project):
    entry = project.agreements / "sragen-usaid.md"
    text = entry.read_text(encoding="utf-8")
    result = new(project, *GUILIN, "--slug", "sragen-usaid")
    assert result.exit_code == 1
    assert (
        "Error: content/agreements/sragen-usaid.md exists; refusing to overwrite it: choose another --slug"
        in result.stderr
    )
    assert entry.read_text(encoding="utf-8") == text


def test_a_bad_value_writes_nothing_and_says_what_is_wrong(project):
    before = files(project)
    result = new(project, *given(GUILIN, "--as-of", "2017-13"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/agreements/surakarta-guilin.md:12: as_of: '2017-13' has no month 13; write it as 1985, 2016-11 or "
        "2015-09-25, or 'unknown'",
        "1 problem in 1 file; nothing was written.",
    ]
    assert files(project) == before


def test_an_unknown_country_is_a_usage_error(project):
    result = new(project, *given(GUILIN, "--country2", "Atlantis"))
    assert result.exit_code == 2
    assert (
        "Invalid value for '--country2': 'Atlantis' is neither an ISO country code nor a country name "
        "in English or Indonesian; write the code, e.g. JP for Japan"
    ) in result.stderr
    assert "Traceback" not in result.output


def test_a_place_the_gazetteer_lacks_is_written_and_the_check_says_how_to_place_it(project):
    args = ["--name1", "Sukoharja", "--level1", "regency", "--name2", "Guilin", "--country2", "CN", *GUILIN[8:]]
    result = new(project, *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/agreements/sukoharja-guilin.md written; catalogue check found 1 problem in it:",
        "  content/agreements/sukoharja-guilin.md:4: parties.0.name: 'Sukoharja' (ID) is not in the offline gazetteer "
        "(did you mean 'Sukoharjo', 'Sukaraja' or 'Sukoharjo Satu'?); "
        "add the line '  Sukoharja: [latitude, longitude]' under 'ID:' in content/places.yaml, or give the party "
        "'coordinates: [latitude, longitude]'",
        "Fix it in the file, then run `catalogue check`.",
    ]
    assert "sukoharja-guilin.md" in files(project)


@pytest.mark.parametrize(
    "name, words",
    [
        ("Surakarta", "surakarta"),
        ("Xi'an", "xian"),
        ("Xi’an", "xian"),
        ("Bağcılar", "bagcilar"),
        ("Kraków", "krakow"),
        ("Łódź", "lodz"),
        ("Jeollanam-do", "jeollanam-do"),
        ("DKI Jakarta", "dki-jakarta"),
        ("Fort Worth, Texas", "fort-worth-texas"),
        ("東京", ""),
    ],
)
def test_slug_words(name, words):
    assert slug_words(name) == words


def test_a_name_in_another_script_gives_its_country_code_in_the_slug():
    assert pair_slug({"name": "Surakarta", "country": "ID"}, {"name": "東京", "country": "JP"}) == "surakarta-jp"
