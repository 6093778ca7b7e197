"""Two languages: Indonesian at the root, English under en/.

Labels, dates, the switch, hreflang, translations and redirects.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue import i18n
from catalogue.config import Config
from catalogue.model import PartialDate
from catalogue.site import build
from conftest import html_pages, make_project, parse


def text(element) -> str:
    return " ".join(element.get_text().split())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("i18n"))
    (project.agreements / "surakarta-xian.id.md").write_text(
        "Surat Pernyataan Kehendak ditandatangani pada 25 September 2015.\n", encoding="utf-8"
    )
    out = project.root / "site"
    build(project, out, Config(tiles="none"))
    return out


def test_dates_as_each_language_writes_them():
    assert i18n.date_text(PartialDate(2015, 9, 25), "id") == "25 September 2015"
    assert i18n.date_text(PartialDate(2016, 11), "id") == "November 2016"
    assert i18n.date_text(PartialDate(2016, 8), "id") == "Agustus 2016"
    assert i18n.date_text(PartialDate(2016, 8), "en") == "August 2016"
    assert i18n.date_text(PartialDate(1985), "en") == "1985"
    assert i18n.date_text(None, "en") is None


def test_indonesian_at_the_root_english_under_en(site):
    root, en = parse(site / "agreements/surakarta-xian.html"), parse(site / "en/agreements/surakarta-xian.html")
    assert root.html["lang"] == "id" and en.html["lang"] == "en"
    assert text(root.select_one(".status-line")) == "Mandek per 2017"
    assert text(en.select_one(".status-line")) == "Stalled as of 2017"
    facts_id = [text(dd) for dd in root.select("dl.facts dd")]
    assert facts_id == ["Kota kembar", "25 September 2015", "Perdagangan Kebudayaan"]
    assert [text(p.select_one("p")) for p in root.select(".party")] == [
        "Kota, Jawa Tengah, Indonesia",
        "Kota, Tiongkok",
    ]
    assert [text(p.select_one("p")) for p in en.select(".party")] == ["City, Jawa Tengah, Indonesia", "City, China"]


def test_every_page_exists_in_both_languages(site):
    pages = {p.relative_to(site).as_posix() for p in html_pages(site)}
    indonesian = {p for p in pages if not p.startswith("en/")}
    assert {"en/" + p for p in indonesian} == pages - indonesian


def test_language_switch_and_hreflang_point_at_the_same_page(site):
    for path in ("index.html", "agreements/surakarta-xian.html", "places/cn/xian.html"):
        depth = "../" * path.count("/")
        root = parse(site / path)
        switch = root.select_one("nav.languages a")
        assert switch["hreflang"] == "en" and switch["href"] == depth + "en/" + path
        assert (site / path).parent.joinpath(switch["href"]).resolve() == (site / "en" / path).resolve()
        assert text(root.select_one("nav.languages [aria-current]")) == "Bahasa Indonesia"
        en = parse(site / "en" / path)
        back = en.select_one("nav.languages a")
        assert (
            back["hreflang"] == "id"
            and (site / "en" / path).parent.joinpath(back["href"]).resolve() == (site / path).resolve()
        )
        # Without base_url the switch is the page's only hreflang: search engines ignore relative alternates
        # (with base_url the head has them, absolute: test_languages, test_a_shared_link_shows_the_title_and_status).
        assert root.select('link[rel="alternate"][hreflang]') == []


def test_a_translated_body_is_shown_and_an_untranslated_one_says_so(site):
    translated = parse(site / "agreements/surakarta-xian.html").select_one("section.body")
    assert translated.select(".untranslated") == []
    assert translated.select_one("div[lang]")["lang"] == "id"
    assert "ditandatangani pada 25 September 2015" in text(translated)
    untranslated = parse(site / "agreements/sragen-usaid.html").select_one("section.body")
    assert (
        text(untranslated.select_one(".untranslated"))
        == "Entri ini belum tersedia dalam bahasa Indonesia; teks di bawah ini masih dalam bahasa aslinya."
    )
    assert untranslated.select_one("div[lang]")["lang"] == "en"  # screen readers and search read it as English
    english = parse(site / "en/agreements/sragen-usaid.html").select_one("section.body")
    assert english.select(".untranslated") == []


def test_interface_strings_come_from_the_catalogue(site):
    home = parse(site / "index.html")
    assert [text(a) for a in home.select("header nav:not(.languages) a")][:5] == [
        "Perjanjian",
        "Tempat",
        "Negara",
        "Bidang",
        "Status",
    ]
    assert text(home.title) == "Beranda · Kota kembar Indonesia"


def test_every_translatable_string_has_an_indonesian_translation():
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / "id" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert untranslated == []


def extracted() -> dict[tuple[str | None, str], list[str]]:
    """Every message extracted as babel.cfg says (N_ for defaults and word lists, vocab.py's labels
    and notes by i18n.extract_vocabulary) → its extraction comments."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    repo = Path(__file__).parent.parent
    with (repo / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[tuple[str | None, str], list[str]] = {}
    for _file, _line, message, comments, context in extract_from_dir(
        repo, method_map, options_map, keywords={**DEFAULT_KEYWORDS, "N_": None}
    ):
        found.setdefault((context, message if isinstance(message, str) else message[0]), []).extend(comments)
    return found


def catalogue_ids(path: Path) -> set[tuple[str | None, str]]:
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(f) if m.id}


def test_every_string_marked_in_code_and_templates_is_in_the_indonesian_catalogue():
    """A string added to code or a template without its Indonesian translation would show in English
    on Indonesian pages. Vocabulary labels are the exception: their Indonesian is in vocab.py."""
    marked = {key for key, comments in extracted().items() if not any("vocabulary" in c for c in comments)}
    translated = catalogue_ids(i18n.LOCALE_DIR / "id" / "LC_MESSAGES" / "messages.po")
    assert len(marked) > 100 and sorted(marked - translated) == []


def test_the_committed_template_lists_every_vocabulary_label_a_new_language_translates():
    """catalogue/locale/messages.pot is what `pybabel init` starts a new language from: a new language
    translates the vocabulary's labels and notes by their English (regenerate it as babel.cfg says)."""
    vocabulary = {key for key, comments in extracted().items() if any("vocabulary" in c for c in comments)}
    assert (None, "Stalled") in vocabulary and len(vocabulary) > 50
    assert sorted(vocabulary - catalogue_ids(i18n.LOCALE_DIR / "messages.pot")) == []


def test_renamed_entry_keeps_its_old_address(tmp_path):
    project = make_project(tmp_path)
    old = project.agreements / "surakarta-xian.md"
    text_ = old.read_text(encoding="utf-8").replace(
        "kind: sister-city\n", "kind: sister-city\naliases: [surakarta-xian]\n"
    )
    (project.agreements / "surakarta-xi-an.md").write_text(text_, encoding="utf-8")
    old.unlink()
    out = project.root / "site"
    build(project, out, Config(tiles="none", base_url="https://example.org/"))
    for prefix in ("", "en/"):
        redirect = parse(out / prefix / "agreements/surakarta-xian.html")
        refresh = redirect.select_one('meta[http-equiv="refresh"]')["content"]
        assert refresh == "0; url=../agreements/surakarta-xi-an.html"
        target = (out / prefix / "agreements").joinpath("../agreements/surakarta-xi-an.html").resolve()
        assert target == (out / prefix / "agreements/surakarta-xi-an.html").resolve() and target.is_file()
        assert (
            redirect.select_one('link[rel="canonical"]')["href"]
            == f"https://example.org/{prefix}agreements/surakarta-xi-an.html"
        )
        assert redirect.select_one("main a")["href"] == "../agreements/surakarta-xi-an.html"


def test_a_shared_link_shows_the_title_and_status(tmp_path):
    project = make_project(tmp_path)
    out = project.root / "site"
    build(project, out, Config(tiles="none", base_url="https://example.org/"))
    for prefix, description in (
        ("", "Kota kembar: Surakarta – Xi'an. Mandek (per 2017)."),
        ("en/", "Sister city: Surakarta – Xi'an. Stalled (as of 2017)."),
    ):
        soup = parse(out / prefix / "agreements/surakarta-xian.html")
        meta = {
            m.get("property") or m.get("name"): m["content"]
            for m in soup.select("meta[content]")
            if m.get("property") or m.get("name")
        }
        assert meta["og:title"] == "Surakarta – Xi'an"
        assert meta["og:description"] == description and "twitter:description" not in meta  # cards read og:'s
        assert meta["og:type"] == "article"
        assert meta["og:url"] == f"https://example.org/{prefix}agreements/surakarta-xian.html"
        assert soup.select_one('link[rel="canonical"]')["href"] == meta["og:url"]
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/agreements/surakarta-xian.html</loc>" in sitemap
    assert "<loc>https://example.org/en/agreements/surakarta-xian.html</loc>" in sitemap
    # The versions in other languages are named in each page's head, not repeated in the sitemap (sitemap.py).
    head = parse(out / "agreements/surakarta-xian.html").select_one('link[rel="alternate"][hreflang="en"]')
    assert head["href"].endswith("en/agreements/surakarta-xian.html") and "hreflang" not in sitemap
