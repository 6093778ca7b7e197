"""One rule for comparing and slugging names, used by validation, places, URLs and new/import."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """A name reduced for matching: no accents, case or punctuation ('São Paulo' → 'saopaulo', 'Xi’an' → 'xian')."""
    if text.isascii():  # most names: skip the Unicode work (a third of the gazetteer's start-up)
        return _NOT_ALNUM.sub("", text.lower())
    return _NOT_ALNUM.sub("", _ascii(text))


def slug(text: str) -> str:
    """A name as a URL part: lower-case Latin letters and digits joined by hyphens ('Xi'an' → 'xian'); '' if none."""
    text = re.sub(r"['’`]", "", _ascii(text))
    return _NOT_ALNUM.sub("-", text).strip("-")
