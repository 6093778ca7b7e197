"""sitemap.xml: every page a search engine should index, in every language, with the date of an agreement's page.

A page's versions in the other languages (hreflang) are not repeated here: every page names them in its head
(`<link rel="alternate" hreflang>`, tests/test_i18n.py), which search engines read as they would the sitemap's;
listed here as well, they were three quarters of its bytes (some 50 MB at 25k pairs).
Over 50,000 URLs (the protocol's limit per file) it is an index of sitemap-1.xml, sitemap-2.xml, ...
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from xml.etree import ElementTree as ET

from . import i18n, urls
from .dates import Dates
from .exports import absolute_url, time_text
from .index import Catalogue
from .inputs import Inputs, pickled
from .model import Page
from .write import Kept
from .xmlout import escape_attribute, escape_text, xml_bytes, xml_document

SITEMAP_URLS = 50_000  # the sitemap protocol's limit per file
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page_dates(
    catalogue: Catalogue, dates: Dates, languages: tuple[i18n.Language, ...] | None = None
) -> dict[str, datetime]:
    """Agreement page paths in every language → their last commit, for the sitemap's lastmod."""
    found = {}
    for entry in catalogue.entries:
        updated = dates.of(entry.agreement.slug).updated
        if updated:
            found.update({urls.in_language(entry.url, lang): updated for lang in languages or i18n.table()})
    return found


def sitemap(
    paths: Iterable[str],
    base_url: str,
    lastmod: dict[str, datetime] | None = None,
    inputs: Inputs | None = None,
) -> list[Page | Kept]:
    """sitemap.xml for the given HTML page paths (each language's version of a page is a path of its own).

    Sitemaps need absolute URLs: without base_url there is none (an empty list). Pass only pages
    a search engine should index (not redirects). Over 50,000 URLs, sitemap.xml is an index of
    sitemap-1.xml, sitemap-2.xml, ...  With inputs (a rebuild), Kept when its paths and dates are unchanged.
    """
    if not base_url:
        return []
    paths = sorted({p for p in paths if p.endswith(".html")})
    lastmod = lastmod or {}
    if inputs is None:
        made: list[Page | Kept] = list(_sitemap_files(paths, base_url, lastmod))
        return made
    parts = len(range(0, len(paths), SITEMAP_URLS))
    files = [urls.SITEMAP, *(urls.sitemap_part(n) for n in range(1, parts + 1))] if parts > 1 else [urls.SITEMAP]
    dated = sorted((path, time_text(when)) for path, when in lastmod.items())
    reads = [pickled((paths, dated))]
    return inputs.outputs(files, reads, lambda: _sitemap_files(paths, base_url, lastmod))


def _sitemap_files(paths: list[str], base_url: str, lastmod: dict[str, datetime]) -> list[Page]:
    chunks = [paths[i : i + SITEMAP_URLS] for i in range(0, len(paths), SITEMAP_URLS)] or [[]]
    files = [_urlset(chunk, base_url, lastmod) for chunk in chunks]
    if len(files) == 1:
        return [Page(urls.SITEMAP, files[0])]
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for n in range(1, len(files) + 1):
        ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = absolute_url(base_url, urls.sitemap_part(n))
    return [
        Page(urls.SITEMAP, xml_bytes(index)),
        *(Page(urls.sitemap_part(n), data) for n, data in enumerate(files, 1)),
    ]


def _urlset(paths: list[str], base_url: str, lastmod: dict[str, datetime]) -> bytes:
    """A <urlset>, written as text: at 25k pairs it lists some 90,000 pages. The bytes xml_bytes writes of the
    same elements (tests/test_xmlout.py compares the two)."""
    head = f'<urlset xmlns="{escape_attribute(SITEMAP_NS)}"'
    if not paths:
        return xml_document(head + " />")
    parts = [head + ">\n"]
    for path in paths:
        parts.append(f"<url>\n<loc>{escape_text(absolute_url(base_url, path))}</loc>\n")
        if path in lastmod:
            parts.append(f"<lastmod>{time_text(lastmod[path])}</lastmod>\n")
        parts.append("</url>\n")
    parts.append("</urlset>")
    return xml_document("".join(parts))
