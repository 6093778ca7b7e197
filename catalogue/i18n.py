"""Two languages: Indonesian (the default, at the site root) and English (under en/).

Interface strings are written in English in templates and code, marked with _() / ngettext,
and translated in gettext catalogues (catalogue/locale/<lang>/LC_MESSAGES/messages.po),
which Babel extracts (babel.cfg) and which are compiled in memory at build time, so no
compiled .mo file is committed. Vocabulary labels come from vocab.py, country names and
date formats from Babel's CLDR data.
"""

from __future__ import annotations

import datetime
import gettext
import io
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from . import countries
from .model import PartialDate
from .vocab import LEVELS, Term

LANGUAGES = ("id", "en")
DEFAULT = "id"
NAMES = {"id": "Bahasa Indonesia", "en": "English"}
# Babel locales for dates: British English writes "25 September 2015", as Indonesian does.
DATE_LOCALES = {"id": "id", "en": "en_GB"}
LOCALE_DIR = Path(__file__).parent / "locale"


def prefix(lang: str) -> str:
    """Where a language's pages live under the site root: '' for Indonesian, 'en/' for English."""
    return "" if lang == DEFAULT else f"{lang}/"


def label(term: Term, lang: str) -> str:
    """A vocabulary term's label in the language."""
    return term.id if lang == "id" else term.en


def note(term: Term, lang: str) -> str:
    """A vocabulary term's explanation in the language, or ''."""
    return (term.note_id or term.note) if lang == "id" else term.note


def country(code: str, lang: str) -> str:
    return countries.name(code, lang)


def date_text(date: PartialDate | None, lang: str) -> str | None:
    """'1985', 'November 2016' / 'November 2016', '25 September 2015': as precise as known."""
    if date is None:
        return None
    locale = DATE_LOCALES[lang]
    if date.day:
        return format_date(datetime.date(date.year, date.month, date.day), format="long", locale=locale)
    if date.month:
        return format_skeleton("yMMMM", datetime.date(date.year, date.month, 1), locale=locale)
    return str(date.year)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The language's gettext catalogue, compiled from its .po file in memory."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == "en" or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str):
    """_() for Python code outside templates."""
    return translations(lang).gettext


def not_a_place(level: str, lang: str) -> str:
    """Why a party of this level is off the map ('organisation, not a place'): the data's English
    reason (places.py) and each page's translated one are this one sentence."""
    _ = gettext_for(lang)
    return _("%(level)s, not a place") % {"level": label(LEVELS[level], lang).lower()}
