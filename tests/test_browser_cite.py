"""The cite box in a real browser: the BibTeX and CSL-JSON copy.js makes are cite.py's, byte for byte; a
citation copied from a site built without base_url, opened from a server, holds an absolute link; a page
opened as a file keeps its plain citation and says why the other formats are missing."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from catalogue.cite import citations
from catalogue.config import Config
from catalogue.exports import source_record
from catalogue.model import Source
from catalogue.site import build, check
from catalogue.words import copy_words
from conftest import REPO, make_project
from test_browser import serve  # noqa: F401 (fixture)
from test_cite import PRINTED, UNTITLED

pytestmark = pytest.mark.browser

COPY_JS = REPO / "templates" / "assets" / "copy.js"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("cite-anywhere"))
    out = project.root / "site"
    build(project, out, Config(tiles="none"), search=False)  # no base_url
    return project, out


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built[1]


def made_by_script(page, entry, citation, *, permalink: str, site_title: str, lang: str) -> dict:
    """What copy.js's CatalogueCite.formats makes of the entry's JSON export record and the page's parts."""
    record = {"slug": entry.agreement.slug, "title": entry.agreement.display_title}
    record["sources"] = [source_record(s) for s in entry.agreement.sources]
    parts = {
        "site": site_title,
        "permalink": permalink,
        "version": citation.version or "",
        "about": citation.parts[1],
        "dated": citation.parts[3],
        "lang": lang,
    }
    return page.evaluate("a => CatalogueCite.formats(a[0], a[1], a[2])", [record, parts, copy_words(lang)])


HOSTILE = Source(
    title="[a}b] , year = {1}\\  \u00a0spaced\n out",
    author="{x ^ ~ _ # $ & %",
    publisher="} @misc{y,",
    url="https://e.org/}{ é?q=1&r=[2]#x%20",
    type="report",
    year=1999,
    year_estimated=True,
    archive="https://web.archive.org/web/2020/https://e.org/ü",
    doi="10.1/a_b",
    isbn="978 0",
    key="K-1",
)
VARIANTS = {
    "as built": {},
    "several sources": {"sources": (UNTITLED, PRINTED, Source(title="A  page\n spread over lines"))},
    "hostile": {
        "title": 'R&D} , note = {pwned \\end{document} 100% #1 a_b ~ ^ "quoted" <b>',
        "sources": (HOSTILE, Source(title="Plain", type="book", publisher="P", key="Ünï code")),
    },
}


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("version", ["2026-11-22", None])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_script_makes_the_bibtex_and_csl_json_cite_py_makes(browser, project, variant, version, lang):
    (entry,) = [e for e in check(project).catalogue.entries if e.agreement.slug == "surakarta-xian"]
    entry = dataclasses.replace(entry, agreement=dataclasses.replace(entry.agreement, **VARIANTS[variant]))
    permalink, site_title = "https://example.org/a b{c}é.html", "Kota  kembar & {Indonesia}"
    citation = citations(entry, permalink=permalink, version_date=version, lang=lang, site_title=site_title)
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(COPY_JS))
        made = made_by_script(page, entry, citation, permalink=permalink, site_title=site_title, lang=lang)
    finally:
        page.close()
    assert made["bibtex"] == citation.bibtex
    assert made["csl"] == citation.csl_json


def test_the_built_page_holds_its_path_for_the_script_to_replace(site):
    html = (site / "en" / "agreements" / "surakarta-xian.html").read_text(encoding="utf-8")
    assert 'data-relative-url="en/agreements/surakarta-xian.html"' in html
    assert "&lt;en/agreements/surakarta-xian.html&gt;" in html  # without JavaScript: the path, as before


def test_copied_citation_holds_the_absolute_address(browser, built):
    project, site = built
    (entry,) = [e for e in check(project).catalogue.entries if e.agreement.slug == "surakarta-xian"]
    with serve(site) as base:
        context = browser.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
        page = context.new_page()
        address = base + "en/agreements/surakarta-xian.html"
        page.goto(address)
        page.click('button[data-copy-target="cite-text"]')
        page.wait_for_function(
            "() => document.querySelector('button[data-copy-target=\"cite-text\"]').classList.contains('copied')"
        )
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied.startswith("http://") is False  # the citation starts with the site's title...
        assert f"<{address}>" in copied  # ...and holds the page's own absolute address
        page.wait_for_selector("section.cite[data-formats=ready]")
        bibtex, csl = (
            page.evaluate(f"() => document.getElementById('{i}').textContent") for i in ("cite-bibtex", "cite-csl")
        )
        assert "url = {" + address + "}" in bibtex
        assert json.loads(csl)[0]["URL"] == address
        # From the entry's JSON export, as cite.py makes them for this page.
        version = page.get_attribute("section.cite", "data-version")
        expected = citations(entry, permalink=address, version_date=version, lang="en", site_title=Config.title)
        assert (bibtex, csl) == (expected.bibtex, expected.csl_json)
        page.click('button[data-copy-target="cite-bibtex"]')
        page.wait_for_function("() => navigator.clipboard.readText().then(t => t.startsWith('@misc{'))")
        context.close()


def test_opened_as_a_file_the_plain_citation_stays_and_the_box_says_why_the_rest_is_missing(browser, site):
    page = browser.new_page()
    try:
        page.goto((site / "agreements" / "surakarta-xian.html").as_uri())
        page.wait_for_selector("section.cite[data-formats=unavailable]")
        assert "agreements/surakarta-xian.html" in page.inner_text("#cite-text")
        assert page.locator("#cite-bibtex, #cite-csl").count() == 0
        assert "catalogue serve" in page.inner_text("section.cite")
    finally:
        page.close()
