"""XML documents (the Atom feeds, the sitemap) from ElementTree elements, one element a line.

ElementTree's own writer walks each tree three times (ET.indent, then its namespace pass, then the
writing, all in Python, made for namespaces these files do not use): a third of the place feeds' CPU
(some 33,000 at 25k pairs) went there. This writes the same bytes as `ET.indent(root, space="")` followed
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
        parts.append(escape_text(root.tail))
    return xml_document("".join(parts))


def xml_document(body: str) -> bytes:
    """An element written as text (body), as a UTF-8 XML document."""
    # Joined as str, then encoded once: encoding as it writes costs ~3x more.
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode("utf-8")


def _write(element: ET.Element, write: Callable[[str], object]) -> None:
    """element and its children, with the line breaks ET.indent(space="") would put between them."""
    tag = element.tag
    if "{" in tag:
        raise ValueError(f"xml_bytes writes plain tags, not {tag!r}")
    write("<" + tag)
    for name, value in element.items():
        write(f' {name}="{escape_attribute(value)}"')
    text = element.text
    if len(element):
        write(">" + escape_text(text) if text and text.strip() else ">\n")
        for child in element:
            _write(child, write)
            tail = child.tail
            write(escape_text(tail) if tail and tail.strip() else "\n")
        write("</" + tag + ">")
    elif text:
        write(">" + escape_text(text) + "</" + tag + ">")
    else:
        write(" />")


def escape_text(text: str) -> str:
    """Text as an element's content: &, < and > escaped."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def escape_attribute(text: str) -> str:
    """Text as an attribute's value in double quotes: also the quote, and line breaks and tabs as references."""
    text = escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text
