"""One place makes site paths (catalogue/urls.py): templates ask url_for and never join a path by hand,
and every link a built page holds leads to a file the build wrote."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from catalogue import urls
from catalogue.routes import reserved_slugs
from conftest import REPO, html_pages, parse

TEMPLATES = REPO / "templates"
ATTRIBUTE = re.compile(r'\b(?:href|src|action)="([^"]*)"')
# A link a template may write: a fragment, an external address, one expression (url_for, or an
# address the renderer made), or the page's root followed by a language path a view record holds.
ALLOWED = re.compile(
    r"""
    \#.*                                   # a fragment of this page
    | https://[^{]*(\{\{[^}]*\}\})?         # an address elsewhere (a DOI)
    | \{\{\ site\.repository\ \}\}.*        # the repository, elsewhere
    | \{\{\ [^{}]+\ \}\}                    # one expression: url_for(...) or an address given whole
    | \{\{\ root\ \}\}\{\{\ [\w.\[\]]+\ \}\} # root + a language path from a view (EntryView.url, Group.url, Pager)
    |                                       # empty: the page itself (the filters' reset)
    """,
    re.VERBOSE,
)
# A quoted page, feed or data file, or any quoted path with a folder in it (an asset's bare name is a key).
PATH_LITERAL = re.compile(r"""["'](?:[\w.<>-]*\.(?:html|xml|json)|[\w.<>-]+/[\w./<>-]*)["']""")
TAG = re.compile(r"\{[{%](.*?)[}%]\}", re.DOTALL)
LOADS = re.compile(r"^\s*-?\s*(extends|include|import|from)\b")


def hand_built(text: str) -> list[str]:
    """The links and path literals in a template's text that join a site path by hand."""
    found = [value for value in ATTRIBUTE.findall(text) if not ALLOWED.fullmatch(value)]
    for tag in TAG.findall(text):
        if LOADS.match(tag):
            continue
        found += PATH_LITERAL.findall(tag)
        if re.search(r"\broot\s*~", tag):
            found.append(tag.strip())
    return found


def templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html") if "assets" not in p.parts)


def test_the_checker_finds_paths_joined_by_hand():
    assert hand_built('<a href="{{ root }}statuses/{{ key }}.html">') == ["{{ root }}statuses/{{ key }}.html"]
    assert hand_built('<a href="{{ site_root }}data/catalogue.json">')
    assert hand_built('{{ map_block(map, list_href=root ~ "agreements/index.html") }}')
    assert hand_built("{% set feed = 'feed.xml' %}") == ["'feed.xml'"]
    assert hand_built("<a href=\"{{ url_for('term', 'statuses', key) }}\">") == []
    assert hand_built('<a href="{{ root }}{{ e.url }}">') == []
    assert hand_built('{% include "partials/report.html" %}') == []


@pytest.mark.parametrize("template", templates(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_no_template_builds_a_site_path_by_hand(template):
    assert hand_built(template.read_text(encoding="utf-8")) == [], "use url_for (catalogue/urls.py) for site paths"


def test_every_kind_of_path_is_made_in_the_language_asked():
    assert urls.site_path("place", "jp/kochi", lang="en") == "en/" + urls.place("jp/kochi")
    assert urls.site_path("place", "jp/kochi", lang="id") == urls.place("jp/kochi")
    assert urls.site_path("agreement_json", "x", lang="en") == urls.agreement_json("x")  # data: one for all languages
    assert urls.without_language(urls.site_path("term", "sectors", "health", lang="en")) == urls.term(
        "sectors", "health"
    )
    with pytest.raises(KeyError, match="no kind of path named 'nowhere'"):
        urls.site_path("nowhere")


def local_links(page: Path) -> list[str]:
    soup = parse(page)
    found = []
    for tag in soup.find_all(["a", "link", "script", "img"]):
        value = tag.get("href") or tag.get("src")
        if not value or value.startswith(("#", "mailto:", "data:")) or urlsplit(value).scheme:
            continue
        found.append(value)
    return found


def test_every_link_of_a_built_site_leads_to_a_file_it_wrote(built):
    """What url_for and the view records' paths point at exists, from every page of both languages."""
    missing, checked = [], 0
    for page in html_pages(built):
        for link in local_links(page):
            target = (page.parent / unquote(urlsplit(link).path)).resolve()
            checked += 1
            if link and not target.exists():
                missing.append(f"{page.relative_to(built)} → {link}")
    assert checked > 100
    assert missing == []


def test_the_site_s_own_pages_reserve_their_slugs():
    agreements, pages = reserved_slugs()
    assert "index" in agreements  # agreements/index.html is the list of all agreements
    assert {"index", "statistics", "freshness", "open-data"} <= pages
