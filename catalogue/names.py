"""One rule for comparing and slugging names, used by validation, places, URLs and new/import."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters NFKD does not take apart into an ASCII letter and an accent.
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "đ": "d",
                          "Đ": "d", "ð": "d", "þ": "th", "Þ": "th", "œ": "oe", "Œ": "oe", "ħ": "h", "ŧ": "t"})


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """A name reduced for matching: no accents, case or punctuation ('São Paulo' → 'saopaulo', 'Xi’an' → 'xian')."""
    if text.isascii():  # most names: skip the Unicode work (a third of the gazetteer's start-up)
        return _NOT_ALNUM.sub("", text.lower())
    return _NOT_ALNUM.sub("", _ascii(text))


def slug(text: str) -> str:
    """A name as a URL or file-name part: lower-case Latin letters and digits joined by hyphens
    ('Xi'an' → 'xian', 'Bağcılar' → 'bagcilar'); '' if none."""
    text = re.sub(r"['’`ʻʼ]", "", _ascii(text))
    return _NOT_ALNUM.sub("-", text).strip("-")
