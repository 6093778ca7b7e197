"""xml_bytes writes what ElementTree's indent and tostring write, in one pass."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

import pytest

from catalogue import i18n, urls
from catalogue.config import Config
from catalogue.dates import Dates
from catalogue.exports import absolute_url, time_text
from catalogue.sitemap import SITEMAP_NS, _urlset
from catalogue.feeds import feed_pages
from catalogue.site import check
from catalogue.xmlout import xml_bytes, xml_text

PIECES = ["", " ", "\n", "\t", "a", "&", "<", ">", '"', "'", "\r", "\r\n", "]]>", "é", "€", "😀", "x y", "&amp;"]


def by_elementtree(root: ET.Element) -> bytes:
    ET.indent(root, space="")  # changes the tree: call it after xml_bytes
    return f'<?xml version="1.0" encoding="utf-8"?>\n{ET.tostring(root, encoding="unicode")}\n'.encode("utf-8")


def text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(4)))


def tree(rng: random.Random, depth: int = 0) -> ET.Element:
    element = ET.Element(rng.choice(["feed", "entry", "link", "title"]))
    for name in rng.sample(["href", "rel", "xml:lang", "xmlns", "term"], rng.randrange(3)):
        element.set(name, text(rng))
    if rng.random() < 0.6:
        element.text = text(rng)
    if depth < 3:
        for _ in range(rng.randrange(4)):
            child = tree(rng, depth + 1)
            if rng.random() < 0.3:
                child.tail = text(rng)
            element.append(child)
    return element


@pytest.mark.parametrize("seed", range(300))
def test_random_trees_are_written_as_elementtree_writes_them(seed):
    root = tree(random.Random(seed))
    if seed % 7 == 0:
        root.tail = text(random.Random(-seed))
    assert xml_bytes(root) == by_elementtree(root)


def test_the_feeds_of_a_catalogue_hostile_to_xml_are_elementtrees_bytes(project, monkeypatch):
    from test_exports import HOSTILE

    (project.agreements / "surakarta-hostile.md").write_text(HOSTILE, encoding="utf-8")
    catalogue = check(project).catalogue
    config = Config(base_url="https://example.org/a b/")
    written = {page.path: page.content for page in feed_pages(catalogue, Dates(), config)}
    monkeypatch.setattr("catalogue.feeds.xml_bytes", by_elementtree)
    assert {page.path: page.content for page in feed_pages(catalogue, Dates(), config)} == written
    assert any(b"&lt;script&gt;" in data for data in written.values())


def test_a_namespaced_tag_is_refused_not_written_wrongly():
    with pytest.raises(ValueError, match="plain tags"):
        xml_bytes(ET.Element("{http://www.w3.org/2005/Atom}feed"))


def test_xml_text_drops_what_xml_cannot_carry():
    assert xml_text("a\x00b\x1fc\ufffe\td\n") == "abc\td\n"


def urlset_by_elements(paths, base_url, lastmod) -> bytes:
    """The sitemap's <urlset> as it was made before: ElementTree elements, written by xml_bytes."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for path in paths:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(base_url, path)
        if path in lastmod:
            ET.SubElement(url, "lastmod").text = time_text(lastmod[path])
    return xml_bytes(urlset)


@pytest.mark.parametrize("codes", [("id", "en"), ("en",), ("en", "id")])
@pytest.mark.parametrize("base_url", ["https://example.org/", 'https://ex.org/a&b"<c>/\t'])
@pytest.mark.parametrize("seed", range(5))
def test_the_sitemap_is_written_as_its_elements_would_be(codes, base_url, seed):
    rng = random.Random(seed)
    languages = i18n.table(codes)
    pages = ["index.html", "agreements/a b.html", "places/jp/kōchi.html", "x&y<z>.html", "about.html"]
    paths = sorted({urls.in_language(p, lang) for p in rng.sample(pages, rng.randrange(6)) for lang in languages})
    paths = [p for p in paths if rng.random() < 0.8]  # some pages without their other language
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
    lastmod = {p: when for p in paths if rng.random() < 0.5}
    assert _urlset(paths, base_url, lastmod) == urlset_by_elements(paths, base_url, lastmod)
