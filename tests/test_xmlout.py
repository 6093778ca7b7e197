"""xml_bytes writes what ElementTree's indent and tostring write, in one pass."""

from __future__ import annotations

import random
from xml.etree import ElementTree as ET

import pytest

from catalogue.config import Config
from catalogue.dates import Dates
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
