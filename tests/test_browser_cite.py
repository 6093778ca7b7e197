"""A citation copied from a site built without base_url, opened from a server, holds an absolute link."""

from __future__ import annotations

import json

import pytest

from catalogue.config import Config
from catalogue.site import build
from conftest import make_project
from test_browser import serve  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("cite-anywhere"))
    out = project.root / "site"
    build(project, out, Config(tiles="none"), search=False)  # no base_url
    return out


def test_the_built_page_holds_its_path_for_the_script_to_replace(site):
    html = (site / "en" / "agreements" / "surakarta-xian.html").read_text(encoding="utf-8")
    assert 'data-relative-url="en/agreements/surakarta-xian.html"' in html
    assert "&lt;en/agreements/surakarta-xian.html&gt;" in html  # without JavaScript: the path, as before


def test_copied_citation_holds_the_absolute_address(browser, site):
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
        assert "url = {" + address + "}" in page.inner_text("#cite-bibtex")
        assert json.loads(page.inner_text("#cite-csl"))[0]["URL"] == address
        context.close()
