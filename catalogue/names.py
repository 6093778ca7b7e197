"""One rule for comparing and slugging names, used by validation, places, URLs and new/import."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters NFKD does not take apart into an ASCII letter and an accent.
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "Þ": "th",
        "œ": "oe",
        "Œ": "oe",
        "ħ": "h",
        "ŧ": "t",
    }
)


def _ascii(text: str) -> str:
    if text.isascii():  # nothing to translate, decompose or drop: most names
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


# Words that say what kind of government a place has, not which place it is: "Kabupaten Wonosobo"
# is Wonosobo, "Kisarazu-shi" is Kisarazu. Words before the name (one or more: "Pemerintah Provinsi
# DKI Jakarta" is Jakarta), words after it (a space before them), and the short Japanese and Korean
# suffixes (only after a hyphen, so Toledo keeps its "do"). A word that begins real town names is
# left out: "Città di Castello" and "Markt Erlbach" are towns, not Castello and Erlbach. The level
# of a party, not its name, tells Kota Bandung (a city) from Kabupaten Bandung (validate.place_identity).
_ADMIN_BEFORE = (
    # Indonesian: regencies, cities, provinces, their governments, and the special regions' forms
    # (Daerah Istimewa Yogyakarta, DI Yogyakarta; Daerah Khusus Ibukota Jakarta, DKI Jakarta;
    # Kota Administrasi Jakarta Selatan, Kabupaten Administrasi Kepulauan Seribu).
    "kabupaten",
    "kab",
    "kabupaten administrasi",
    "kab adm",
    "kota",
    "kotamadya",
    "kota administrasi",
    "kota adm",
    "provinsi",
    "propinsi",
    "pemerintah",
    "pemerintah daerah",
    "pemda",
    "pemkab",
    "pemkot",
    "pemprov",
    "daerah istimewa",
    "di",
    "daerah khusus ibukota",
    "daerah khusus ibu kota",
    "daerah khusus",
    "dki",
    "dk",
    # English
    "city of",
    "town of",
    "county of",
    "province of",
    "prefecture of",
    "municipality of",
    "regency of",
    "state of",
    "district of",
    "borough of",
    "special region of",
    "special capital region of",
    # German
    "landkreis",
    "kreis",
    "stadt",
    "kreisfreie stadt",
    "hansestadt",
    "freie und hansestadt",
    "landeshauptstadt",
    "gemeinde",
    # Italian, French, Spanish, Portuguese, Polish
    "comune di",
    "ville de",
    "commune de",
    "municipio de",
    "municipalidad de",
    "prefeitura de",
    "gmina",
    "miasto",
)
_ADMIN_AFTER = (
    "regency",
    "city",
    "prefecture",
    "province",
    "county",
    "municipality",
    "district",
    "metropolitan city",
    "metropolitan municipality",
    "special city",
    "metropolis",
    "special region",
    "special capital region",
)
_ADMIN_SUFFIX = ("shi", "si", "gun", "gu", "ku", "ken", "fu", "do", "to")
_ADMIN = re.compile(
    rf"^(?:(?:{'|'.join(sorted(_ADMIN_BEFORE, key=len, reverse=True))})\.?\s+)*"
    rf"(?P<name>.+?)"
    rf"(?:\s+(?:{'|'.join(sorted(_ADMIN_AFTER, key=len, reverse=True))})|-(?:{'|'.join(_ADMIN_SUFFIX)}))?$"
)

# The rule's identity: an index of folded names (gazetteer.py) is rebuilt when the rule changes.
RULE = hashlib.sha256(f"{_ADMIN.pattern}{sorted(_LETTERS.items())}".encode()).hexdigest()[:10]


def fold(text: str) -> str:
    """A name reduced for matching: no accents, case, punctuation or administrative words
    ('São Paulo' → 'saopaulo', 'Xi’an' → 'xian', 'Kabupaten Wonosobo' → 'wonosobo', 'Kisarazu-shi' → 'kisarazu')."""
    text = (text.lower() if text.isascii() else _ascii(text)).strip()  # most names skip the Unicode work
    return _NOT_ALNUM.sub("", _without_admin(text)) or _NOT_ALNUM.sub("", text)


def _without_admin(text: str) -> str:
    if " " not in text and "-" not in text:  # one word: nothing to set aside (most names)
        return text
    match = _ADMIN.fullmatch(text)
    return match["name"] if match else text


def slug(text: str) -> str:
    """A name as a URL or file-name part: lower-case Latin letters and digits joined by hyphens
    ('Xi'an' → 'xian', 'Bağcılar' → 'bagcilar'); '' if none."""
    text = re.sub(r"['’`ʻʼ]", "", _ascii(text))
    return _NOT_ALNUM.sub("-", text).strip("-")
