"""XML documents (the Atom feeds, the sitemap) from ElementTree elements, one element a line.

ElementTree's own writer walks each tree three times (ET.indent, then its namespace pass, then the
writing, all in Python, made for namespaces these files do not use): at 25k pairs, some 33,000 place
feeds spent most of their time there. This writes the same bytes as `ET.indent(root, space="")` followed
by `ET.tostring(root, encoding="unicode")` (tests/test_xmlout.py compares the two on hostile trees), in one
pass, for trees whose tags and attribute names are plain names (a namespace is an `xmlns` attribute).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree import ElementTree as ET

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry (C0 controls, lone surrogates, U+FFFE/FFFF) dropped."""
    return _NOT_XML.sub("", text)


def xml_bytes(root: ET.Element) -> bytes:
    """An element as a UTF-8 XML document, one element a line, not indented.

    Indenting was some 6% of a place feed's bytes, spaces that readers and crawlers ignore."""
    parts: list[str] = []
    _write(root, parts.append)
    if root.tail:
        parts.append(_cdata(root.tail))
    # Joined as str, then encoded once: encoding as it writes costs ~3x more.
    return f'<?xml version="1.0" encoding="utf-8"?>\n{"".join(parts)}\n'.encode("utf-8")


def _write(element: ET.Element, write: Callable[[str], object]) -> None:
    """element and its children, with the line breaks ET.indent(space="") would put between them."""
    tag = element.tag
    if "{" in tag:
        raise ValueError(f"xml_bytes writes plain tags, not {tag!r}")
    write("<" + tag)
    for name, value in element.items():
        write(f' {name}="{_attribute(value)}"')
    text = element.text
    if len(element):
        write(">" + _cdata(text) if text and text.strip() else ">\n")
        for child in element:
            _write(child, write)
            tail = child.tail
            write(_cdata(tail) if tail and tail.strip() else "\n")
        write("</" + tag + ">")
    elif text:
        write(">" + _cdata(text) + "</" + tag + ">")
    else:
        write(" />")


def _cdata(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(text: str) -> str:
    text = _cdata(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text
