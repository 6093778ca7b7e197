"""Search in the real browser: a self-made two-language site, indexed by Pagefind in shards, served from a sub-folder."""

from __future__ import annotations

import pytest

from catalogue.search import index_site, shard_name
from test_browser import serve, visit  # noqa: F401 (fixtures)
from test_search import LANGUAGES, write_search_site

pytestmark = pytest.mark.browser

RESULT_LINKS = ".pagefind-ui__result-link"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The site in sub/ of the served folder, as on a host where it is not at the root."""
    root = tmp_path_factory.mktemp("search-browser")
    index_site(write_search_site(root / "sub"), LANGUAGES, shard_from=0)  # in shards, few as its pages are
    with serve(root) as base:
        yield base, root / "sub"


def search(page, text: str) -> list[str]:
    """Type into the search box; the hrefs of the results once all have loaded ([] when none is found)."""
    # Cleared first, and the previous results gone: "budaya" is inside "membudayakan", so a message
    # still naming the previous term would otherwise pass for this one's, with its stale results.
    page.fill(".pagefind-ui__search-input", "")
    page.wait_for_function("() => !document.querySelector('.pagefind-ui__result-link')")
    page.fill(".pagefind-ui__search-input", text)
    # Pagefind's message names the term: "Mencari Kyoto..." while it searches, then the count
    # ("Ditemukan 2 hasil untuk Kyoto", "2 results for Kyoto"; no number when nothing is found);
    # its first page of results (5) loads after that.
    page.wait_for_function(
        """text => {
            const message = document.querySelector('.pagefind-ui__message');
            if (!message || !message.textContent.includes(text) || message.textContent.trim().endsWith('...')) return false;
            const count = Number((message.textContent.replace(text, '').match(/\\d+/) || ['0'])[0]);
            return document.querySelectorAll('.pagefind-ui__result-link').length === Math.min(count, 5);
        }""",
        arg=text,
    )
    return page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_a_place_name_finds_its_page_and_the_result_opens_it(visit, served):
    base, _ = served
    v = visit(base)
    v.open("sub/agreements/yogyakarta-kyoto.html")
    assert v.page.get_attribute(".pagefind-ui__search-input", "placeholder") == "Cari"  # Pagefind's own Indonesian
    hrefs = search(v.page, "Kyoto")
    assert hrefs[0] == "/sub/places/jp/kyoto.html"  # the title match first
    assert set(hrefs) == {"/sub/places/jp/kyoto.html", "/sub/agreements/yogyakarta-kyoto.html"}
    with v.page.expect_navigation():
        v.page.locator(RESULT_LINKS, has_text="Kyoto").first.click()
    assert v.page.url == base + "sub/places/jp/kyoto.html"
    assert v.page.locator("h1").inner_text() == "Kyoto"
    v.assert_clean()  # no request left 127.0.0.1: the UI, its index and its wasm come from the site


def test_indonesian_words_are_stemmed(visit, served):
    base, _ = served
    v = visit(base)
    v.open("sub/index.html")
    # The page says "pendidikan" and "kebudayaan"; other forms of the same roots find it.
    for word in ("mendidik", "didik", "membudayakan", "budaya"):
        assert search(v.page, word)[0] == "/sub/agreements/yogyakarta-kyoto.html", word
    # Known limit of shards: Pagefind answers a word missing from a shard's index with the longest
    # prefix of it there ("di" for "mendidik"), so the shards without the word give pages saying
    # "di"; search.js ranks such near misses after the page that has the word.
    hrefs = search(v.page, "mendidik")
    assert hrefs[0] == "/sub/agreements/yogyakarta-kyoto.html"
    assert set(hrefs[1:]) <= {"/sub/countries/jp.html", "/sub/places/jp/kyoto.html"}
    # Known limit: Pagefind has no synonyms, so the one-word spelling misses "kerja sama".
    assert search(v.page, "kerjasama") == []
    v.assert_clean()


def test_english_pages_search_the_english_index(visit, served):
    base, _ = served
    v = visit(base)
    v.open("sub/en/agreements/yogyakarta-kyoto.html")
    assert v.page.get_attribute(".pagefind-ui__search-input", "placeholder") == "Search"
    assert set(search(v.page, "Kyoto")) == {"/sub/en/places/jp/kyoto.html", "/sub/en/agreements/yogyakarta-kyoto.html"}
    assert search(v.page, "educational") == ["/sub/en/agreements/yogyakarta-kyoto.html"]  # English stemming
    assert search(v.page, "pendidikan") == []  # the Indonesian pages are in the other index
    v.assert_clean()


def test_search_works_from_the_keyboard(visit, served):
    base, _ = served
    v = visit(base)
    v.open("sub/places/index.html")
    for _ in range(10):
        v.page.keyboard.press("Tab")
        if v.page.evaluate("() => document.activeElement.classList.contains('pagefind-ui__search-input')"):
            break
    else:
        pytest.fail("Tab never reached the search box")
    v.page.keyboard.type("Yogyakarta")
    v.page.wait_for_selector(RESULT_LINKS)
    for _ in range(10):
        v.page.keyboard.press("Tab")
        if v.page.evaluate("() => document.activeElement.classList.contains('pagefind-ui__result-link')"):
            break
    else:
        pytest.fail("Tab never reached a result")
    target = v.page.evaluate("() => document.activeElement.getAttribute('href')")
    with v.page.expect_navigation():
        v.page.keyboard.press("Enter")
    assert v.page.url == base + target.lstrip("/")
    v.assert_clean()


def test_opened_as_a_file_the_box_says_to_serve_the_site(browser, served):
    _, site = served
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((site / "places" / "jp" / "kyoto.html").as_uri())
        page.wait_for_selector("#site-search-note", state="visible")
        assert "served over http(s)" in page.inner_text("#site-search-note")
        assert page.locator(".pagefind-ui__search-input").count() == 0
    finally:
        context.close()


def test_one_search_finds_an_agreement_a_place_and_a_country_across_shards_in_each_language(visit, served):
    """Each kind lives in a bundle of its own here (the country in the primary, the place and the
    agreement in two shards), so a search finds all three only by merging the page's language's shards."""
    base, _ = served
    bundles = {shard_name(path, LANGUAGES) for path in ("agreements/yogyakarta-kyoto.html", "places/jp/kyoto.html")}
    assert len(bundles | {""}) == 3
    for start, prefix, word in (("sub/index.html", "", "Jepang"), ("sub/en/index.html", "en/", "Japan")):
        v = visit(base)
        v.open(start)
        hrefs = search(v.page, word)
        assert set(hrefs) == {f"/sub/{prefix}countries/jp.html", f"/sub/{prefix}places/jp/kyoto.html"}, word
        assert set(search(v.page, "Yogyakarta")) == {
            f"/sub/{prefix}places/jp/kyoto.html",
            f"/sub/{prefix}agreements/yogyakarta-kyoto.html",
        }
        # Only the page's language's shards are merged: nothing of the other language is fetched.
        other = "en" if prefix == "" else "id"
        assert not [url for url in v.requests if f"/pagefind/{other}-" in url]
        v.assert_clean()
