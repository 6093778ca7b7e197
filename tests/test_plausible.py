"""The check refuses what would mislead a reader: dates after the check's reference date, and a
tie without a party in the home country (catalogue.toml's home_country), or with it second."""

from __future__ import annotations

import datetime
import shutil

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from catalogue.config import load_config
from catalogue.plausible import check_reference, home_first
from conftest import FIXTURES
from test_validate import problems

IMPLAUSIBLE = FIXTURES / "implausible"
EPOCH = "1748736000"  # 2025-06-01T00:00:00Z: the date these fixtures are checked for

EXPECTED = {
    "home_party_second.md": [
        "content/agreements/home-party-second.md:7: parties.1.name: 'Bogor' is the party in ID (Indonesia), the home "
        "country, "
        "and goes first; swap the two parties, so 'Bogor' comes before 'Kisarazu'",
    ],
    "no_home_party.md": [
        "content/agreements/no-home-party.md:3: parties: neither party is in ID (Indonesia), the catalogue's home "
        "country "
        "(home_country in catalogue.toml); every tie here has a party in ID, written first: correct the countries, or "
        "publish this tie elsewhere",
    ],
    "as_of_in_the_future.md": [
        "content/agreements/as-of-in-the-future.md:13: as_of: 2030 is after 2025-06-01, the date this catalogue is "
        "checked for; "
        "no source can report it yet: write the date the source gives, or 'unknown'",
    ],
    "since_in_the_future.md": [
        "content/agreements/since-in-the-future.md:14: since: 2031 is after 2025-06-01, the date this catalogue is "
        "checked for; "
        "no source can report it yet: write the date the source gives, or remove it",
    ],
    "signed_in_the_future.md": [
        "content/agreements/signed-in-the-future.md:18: documents.0.signed: 2027-03 is after 2025-06-01, the date "
        "this catalogue is checked for; "
        "no source can report it yet: write the date the source gives, or remove it",
    ],
    "accessed_in_the_future.md": [
        "content/agreements/accessed-in-the-future.md:29: sources.0.accessed: 2025-07-01 is after 2025-06-01, the "
        "date this catalogue is checked for; "
        "no source can report it yet: write the date the source gives, or remove it",
    ],
    "source_year_in_the_future.md": [
        "content/agreements/source-year-in-the-future.md:27: sources.0.year: 2026 is after 2025-06-01, the date this "
        "catalogue is checked for; "
        "no source can report it yet: write the date the source gives, or remove it",
    ],
}


@pytest.fixture(autouse=True)
def reference(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.mark.parametrize("fixture", sorted(IMPLAUSIBLE.glob("*.md")), ids=lambda fixture: fixture.name)
def test_each_implausible_fixture_gives_exactly_its_message(project, fixture):
    shutil.copy(fixture, project.agreements / (fixture.stem.replace("_", "-") + ".md"))
    assert problems(project) == EXPECTED[fixture.name]


def test_every_expected_message_has_its_fixture():
    assert sorted(EXPECTED) == sorted(f.name for f in IMPLAUSIBLE.glob("*.md"))


def test_a_date_within_the_reference_year_or_month_is_not_after_it(project, monkeypatch):
    text = (IMPLAUSIBLE / "as_of_in_the_future.md").read_text(encoding="utf-8")
    for as_of in ("2025", "2025-06", "2025-06-01"):
        (project.agreements / "as-of.md").write_text(text.replace("as_of: 2030", f"as_of: {as_of}"), encoding="utf-8")
        assert problems(project) == [], as_of
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert check_reference() == datetime.date.today()  # without it, today: an entry not yet committed is judged fairly


def test_another_home_country_is_a_setting(project):
    fixture = IMPLAUSIBLE / "no_home_party.md"
    shutil.copy(fixture, project.agreements / "kerkrade-aachen.md")
    (project.root / "catalogue.toml").write_text('home_country = ""\n', encoding="utf-8")
    assert problems(project) == []  # a catalogue of ties between any places
    (project.root / "catalogue.toml").write_text('home_country = "NL"\n', encoding="utf-8")
    found = problems(project)
    assert "content/agreements/jawa-barat-penang.md:2: parties: neither party is in NL (The Netherlands)" in found[0]
    assert not any("kerkrade-aachen" in p for p in found)


def test_a_home_country_that_is_not_a_code_is_refused_with_its_fix(project, tmp_path):
    (project.root / "catalogue.toml").write_text('home_country = "Indonesia"\n', encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        load_config(project.root)
    message = (
        "catalogue.toml: home_country = 'Indonesia' is not an ISO 3166-1 alpha-2 country code; write e.g. "
        'home_country = "ID", or "" for none'
    )
    assert str(caught.value) == message
    result = CliRunner().invoke(main, ["check", "--root", str(project.root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert message in result.stderr.splitlines()


def test_home_first_is_one_rule():
    assert home_first(["JP", "ID"], str, "ID") == (["ID", "JP"], True)
    assert home_first(["ID", "JP"], str, "ID") == (["ID", "JP"], False)
    assert home_first(["ID", "ID"], str, "ID") == (["ID", "ID"], False)
    assert home_first(["JP", "DE"], str, "ID") == (["JP", "DE"], False)
    assert home_first(["JP", "ID"], str, "") == (["JP", "ID"], False)


def test_new_and_import_put_the_configured_home_party_first(project, tmp_path):
    (project.root / "catalogue.toml").write_text('home_country = "JP"\n', encoding="utf-8")
    args = [
        "--name1",
        "Surabaya",
        "--country1",
        "ID",
        "--name2",
        "Kochi",
        "--country2",
        "JP",
        "--level2",
        "city",
        "--status",
        "active",
        "--as-of",
        "2020",
        "--source-title",
        "A paper",
    ]
    result = CliRunner().invoke(main, ["new", "--root", str(project.root), *args])
    assert "The party in JP (Japan), the home country, goes first: the two parties were swapped." in result.stdout
    assert (project.agreements / "kochi-surabaya.md").is_file()
    sheet = tmp_path / "ties.csv"
    sheet.write_text("city1,country1,city2,country2\nSurabaya,ID,Kyoto,JP\nSurabaya,ID,Seoul,KR\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "import",
            str(sheet),
            "--root",
            str(project.root),
            "--status",
            "active",
            "--as-of",
            "2020",
            "--source-title",
            "A list",
        ],
    )
    assert (project.agreements / "kyoto-surabaya.md").is_file()
    assert (
        "row 3: neither Surabaya (ID) nor Seoul (KR) is in JP (Japan), the catalogue's home country (home_country in "
        "catalogue.toml)" in result.stdout
    )


@pytest.mark.parametrize(
    "option, value, message",
    [
        (
            "--status",
            "actve",
            "Invalid value for '--status': 'actve' is not one of 'active', 'stalled', 'exploratory', 'ended', "
            "'not-reported' (did you mean 'active'?).",
        ),
        (
            "--kind",
            "sister-citty",
            "Invalid value for '--kind': 'sister-citty' is not one of 'sister-city', 'sister-province', "
            "'friendship-city', 'sister-school', 'cooperation' (did you mean 'sister-city'?).",
        ),
        (
            "--country2",
            "Jepng",
            "Invalid value for '--country2': 'Jepng' is neither an ISO country code nor a country name in English or "
            "Indonesian (did you mean 'Jepang', code JP?); write the code, e.g. JP for Japan",
        ),
    ],
)
def test_new_options_get_did_you_mean_like_the_check(project, option, value, message):
    args = {
        "--name1": "Surakarta",
        "--name2": "Kyoto",
        "--country2": "JP",
        "--status": "active",
        "--kind": "sister-city",
        "--as-of": "2020",
        "--source-title": "A paper",
    } | {option: value}
    result = CliRunner().invoke(main, ["new", "--root", str(project.root), *[x for pair in args.items() for x in pair]])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
