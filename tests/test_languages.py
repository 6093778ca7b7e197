"""Languages as data: a third language is one gettext catalogue and one line of settings.

The fixture catalogue is built with `languages = ["id", "en", "nl"]` and a small Dutch catalogue
(tests/fixtures/locale/nl) in the catalogue's own locale/ folder; nothing in the package changes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogue.config import ConfigError, load_config
from catalogue.problems import CatalogueError
from catalogue.site import build, check
from conftest import FIXTURES, html_pages, make_project, parse

LANGUAGES = ("id", "en", "nl")
PREFIXES = {"id": "", "en": "en/", "nl": "nl/"}


def text(element) -> str:
    return " ".join(element.get_text().split())


def with_dutch(root: Path, settings: str = 'languages = ["id", "en", "nl"]\n') -> None:
    shutil.copytree(FIXTURES / "locale", root / "locale")
    (root / "catalogue.toml").write_text(f'tiles = "none"\nbase_url = "https://example.org/"\n{settings}')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("languages"))
    with_dutch(project.root)
    (project.agreements / "surakarta-xian.nl.md").write_text(
        "Op 25 september 2015 werd een intentieverklaring getekend.\n", encoding="utf-8"
    )
    penang = project.agreements / "jawa-barat-penang.md"
    note = "    note: Investment cooperation set out in an MoU.\n"
    assert note in penang.read_text(encoding="utf-8")
    penang.write_text(
        penang.read_text(encoding="utf-8").replace(
            note,
            "    note:\n      en: Investment cooperation set out in an MoU.\n"
            "      nl: Samenwerking op het gebied van investeringen, vastgelegd in een MoU.\n",
        ),
        encoding="utf-8",
    )
    out = project.root / "site"
    build(project, out, load_config(project.root))
    return out


def test_every_page_exists_under_each_language_prefix(site):
    pages = {p.relative_to(site).as_posix() for p in html_pages(site)}
    root = {p for p in pages if not p.startswith(("en/", "nl/"))}
    assert root and {"nl/" + p for p in root} == {p for p in pages if p.startswith("nl/")}
    assert {"en/" + p for p in root} == {p for p in pages if p.startswith("en/")}


@pytest.mark.parametrize("path", ["index.html", "agreements/surakarta-xian.html", "places/cn/xian.html"])
def test_switcher_and_hreflang_link_all_three_languages(site, path):
    for lang in LANGUAGES:
        file = site / PREFIXES[lang] / path
        soup = parse(file)
        assert soup.html["lang"] == lang
        current = soup.select_one("nav.languages [aria-current]")
        assert current["lang"] == lang
        links = {a["hreflang"]: a["href"] for a in soup.select("nav.languages a")}
        assert set(links) == set(LANGUAGES) - {lang}
        for other, href in links.items():
            assert file.parent.joinpath(href).resolve() == (site / PREFIXES[other] / path).resolve()
        alternates = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')}
        assert alternates == {
            **{code: f"https://example.org/{PREFIXES[code]}{path}" for code in LANGUAGES},
            "x-default": f"https://example.org/{path}",
        }
    dutch = parse(site / "nl" / path)
    assert text(dutch.select_one("nav.languages [aria-current]")) == "Nederlands"  # its own name, from CLDR
    assert dutch.html["lang"] == "nl"  # the page's language: no og:locale repeats it


def test_dutch_strings_come_from_its_catalogue_and_the_rest_falls_back_to_english(site):
    nav = [text(a) for a in parse(site / "nl/index.html").select("header nav:not(.languages) a")]
    assert nav[:3] == ["Overeenkomsten", "Plaatsen", "Countries"]  # 'Countries' is not in the Dutch catalogue
    assert [text(a) for a in parse(site / "index.html").select("header nav:not(.languages) a")][:3] == [
        "Perjanjian",
        "Tempat",
        "Negara",
    ]


def test_a_vocabulary_label_from_the_catalogue_appears_and_others_fall_back(site):
    page = parse(site / "nl/agreements/surakarta-xian.html")
    assert text(page.select_one(".status-line .badge")) == "Vastgelopen"
    assert text(page.select_one("dl.facts dd")) == "Sister city"  # no Dutch label for the kind: English
    assert text(parse(site / "agreements/surakarta-xian.html").select_one("dl.facts dd")) == "Kota kembar"


def test_dates_and_countries_are_written_the_dutch_way(site):
    page = parse(site / "nl/agreements/surakarta-xian.html")
    facts = [text(dd) for dd in page.select("dl.facts dd")]
    assert facts[1] == "25 september 2015"
    assert "China" in [text(p.select_one("p")) for p in page.select(".party")][1]


def test_a_dutch_translation_file_is_shown_and_a_missing_one_is_said_in_dutch(site):
    translated = parse(site / "nl/agreements/surakarta-xian.html").select_one("section.body")
    assert translated.select(".untranslated") == [] and translated.select_one("div[lang]")["lang"] == "nl"
    assert "intentieverklaring" in text(translated)
    assert "intentieverklaring" not in text(parse(site / "agreements/surakarta-xian.html").select_one("section.body"))
    untranslated = parse(site / "nl/agreements/sragen-usaid.html").select_one("section.body")
    assert text(untranslated.select_one(".untranslated")) == (
        "Dit item bestaat nog niet in het Nederlands; de tekst hieronder staat in de oorspronkelijke taal."
    )
    assert untranslated.select_one("div[lang]")["lang"] == "en"


def test_a_note_written_for_the_third_language_shows_there_and_falls_back_elsewhere(site):
    def note(path):
        return parse(site / path).select_one("table.progress tbody td:last-child")

    assert text(note("nl/agreements/jawa-barat-penang.html")) == (
        "Samenwerking op het gebied van investeringen, vastgelegd in een MoU."
    )
    assert note("nl/agreements/jawa-barat-penang.html").select("[lang]") == []
    assert text(note("en/agreements/jawa-barat-penang.html")) == "Investment cooperation set out in an MoU."
    indonesian = note("agreements/jawa-barat-penang.html")  # no Indonesian text: the English, marked
    assert indonesian.select_one("span[lang]")["lang"] == "en"
    assert text(indonesian.select_one(".untranslated-mark")) == "(belum diterjemahkan ke dalam bahasa Indonesia)"


def test_feeds_and_sitemap_cover_the_third_language(site):
    assert (site / "nl/feed.xml").is_file() and (site / "nl/places/cn/xian.xml").is_file()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/nl/agreements/surakarta-xian.html</loc>" in sitemap
    # Its versions in the other languages are named in each page's head, not repeated in the sitemap (sitemap.py).
    head = (site / "agreements/surakarta-xian.html").read_text(encoding="utf-8")
    assert 'hreflang="nl" href="https://example.org/nl/agreements/surakarta-xian.html"' in head


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            'languages = ["id", "en", "nederlands"]',
            "catalogue.toml: languages: 'nederlands' is not a language code CLDR knows",
        ),
        (
            'languages = ["id", "en", "id"]',
            "catalogue.toml: languages lists id more than once; write each language once",
        ),
        ("languages = []", "catalogue.toml: languages = [] must be a list of language codes"),
        ('languages = "id"', "catalogue.toml: languages = 'id' must be a list of language codes"),
        (
            'languages = ["id", "en", "de"]',
            "catalogue.toml: languages: 'de' has no translation catalogue; add "
            "catalogue/locale/de/LC_MESSAGES/messages.po",
        ),
    ],
)
def test_a_wrong_languages_setting_says_what_to_write(tmp_path, settings, message):
    project = make_project(tmp_path)
    with_dutch(project.root, settings + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(project.root)
    assert str(err.value).startswith(message)


def test_a_translation_or_text_in_a_language_the_site_lacks_is_a_problem(tmp_path):
    project = make_project(tmp_path)
    (project.agreements / "surakarta-xian.nl.md").write_text("Tekst.\n", encoding="utf-8")
    (project.agreements / "sragen-usaid.md").write_text(
        (project.agreements / "sragen-usaid.md")
        .read_text(encoding="utf-8")
        .replace("---\n", "---\nlanguage: ind\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as err:
        check(project)
    messages = [str(p) for p in err.value.problems]
    assert (
        "content/agreements/surakarta-xian.nl.md:1: a translation into 'nl', which is not one of the site's languages "
        "(id, en); "
        "rename it to 'surakarta-xian.<language>.md', or add 'nl' to `languages` in catalogue.toml"
    ) in messages
    assert (
        "content/agreements/sragen-usaid.md:2: language: 'ind' is not one of: id, en (did you mean 'id'?); "
        "write one of the site's languages, or add it to `languages` in catalogue.toml"
    ) in messages
