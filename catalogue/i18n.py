"""Languages as data: the locale table, labels, dates and gettext catalogues, for any configured language.

The languages a site is built in are a setting (`languages` in catalogue.toml, default
["id", "en"]): the first is at the site root, every other under <code>/. Each language's row of
the locale table (LOCALES below, else derived from Babel's CLDR data) gives its native name,
its URL prefix and the CLDR locale its dates are written in.

Interface strings are written in English in templates and code, marked with _() / ngettext / N_(),
and translated in gettext catalogues (catalogue/locale/<code>/LC_MESSAGES/messages.po, or a
catalogue's own locale/<code>/LC_MESSAGES/messages.po), which Babel extracts (babel.cfg) and which
are compiled in memory at build time, so no compiled .mo file is committed. Adding a language is
one such catalogue file and one line of settings.

Vocabulary labels are {language: text} maps (vocab.py); a language a term has no label for
takes the translation of its English label from the language's catalogue (msgid = the English
label), else the English label. Country names and date formats come from Babel's CLDR data.
"""

from __future__ import annotations

import datetime
import gettext
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Self

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from . import countries
from .model import PartialDate
from .vocab import LEVELS, Term

SOURCE = "en"  # the language interface strings and vocabulary msgids are written in
DEFAULT_LANGUAGES = ("id", "en")  # the setting's default: Indonesian at the root, English under en/
LOCALE_DIR = Path(__file__).parent / "locale"
CATALOGUE = Path("LC_MESSAGES") / "messages.po"

# The locale table's rows for languages whose CLDR defaults are not what the site shows:
# code → (native name in the language switcher, CLDR locale for dates). British English writes
# "25 September 2015", as Indonesian does. Any other language's row comes from CLDR (Babel).
LOCALES = {
    "id": ("Bahasa Indonesia", "id"),
    "en": ("English", "en_GB"),
}


class Language(str):
    """A language code ('id') that carries its row of the locale table.

    A str, so the many functions and templates that take a language code take one of these
    unchanged (as keys, in lang="..." attributes, compared with an entry's language).
    """

    name: str  # its own name for itself, for the language switcher: "Bahasa Indonesia"
    prefix: str  # where its pages live under the site root: "" for the first language, else "en/"
    locale: str  # the CLDR locale its dates are written in: "en_GB"
    og_locale: str  # language_TERRITORY, for og:locale: "id_ID"
    catalogue: Path | None  # its gettext catalogue (.po); None: interface strings stay in English

    def __new__(cls, code: str, *, name: str, prefix: str, locale: str, og_locale: str, catalogue: Path | None) -> Self:
        self = super().__new__(cls, code)
        self.name, self.prefix, self.locale, self.og_locale, self.catalogue = name, prefix, locale, og_locale, catalogue
        return self


def known_language(code: str) -> bool:
    """Whether CLDR (Babel) knows the language code, so its dates and country names can be written."""
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def catalogue_path(code: str, folders: Iterable[Path] = ()) -> Path | None:
    """The language's .po file: in the first of folders that has one, else the package's; None if none."""
    for folder in (*folders, LOCALE_DIR):
        po = folder / code / CATALOGUE
        if po.is_file():
            return po
    return None


def language(code: str, position: int, folders: Iterable[Path] = ()) -> Language:
    """One row of the locale table; position 0 is the language at the site root."""
    own = str(Locale.parse(code).display_name or code)
    name, locale = LOCALES.get(code) or (own[:1].upper() + own[1:], code)
    cldr = Locale.parse(locale)
    likely = str(get_global("likely_subtags").get(cldr.language) or "")
    territory = cldr.territory or (likely.split("_")[-1] if likely else "")
    return Language(
        code,
        name=name,
        prefix="" if position == 0 else f"{code}/",
        locale=locale,
        og_locale=f"{cldr.language}_{territory}" if territory else cldr.language,
        catalogue=catalogue_path(code, folders),
    )


@cache
def table(codes: tuple[str, ...] = DEFAULT_LANGUAGES, folders: tuple[Path, ...] = ()) -> tuple[Language, ...]:
    """The locale table of a site: its configured languages in order, the first at the root."""
    return tuple(language(code, n, folders) for n, code in enumerate(codes))


def prefix(lang: str) -> str:
    """Where a language's pages live under the site root: '' for the first language, else '<code>/'.
    A plain code (not a row of the site's table) is placed as the default languages place it."""
    if isinstance(lang, Language):
        return lang.prefix
    return next((row.prefix for row in table() if row == lang), f"{lang}/")


def name_in_text(lang: str) -> str:
    """The language's name as its own text writes it in a sentence ('English', 'bahasa Indonesia')."""
    own = translations(lang).pgettext("the name of this language, in a sentence", "English")
    return own if own != "English" or lang == SOURCE else Locale.parse(lang).languages.get(lang.split("_")[0], lang)


def text_in(texts: Mapping[str, str], lang: str) -> str:
    """A {language: text} map's text in lang: its own, else the catalogue's translation of the
    English text, else the English text ('' if there is none)."""
    if lang in texts:
        return texts[lang]
    english = texts.get(SOURCE, "")
    return translations(lang).gettext(english) if english else ""


def label(term: Term, lang: str) -> str:
    """A vocabulary term's label in the language."""
    return text_in(term.labels, lang)


def note(term: Term, lang: str) -> str:
    """A vocabulary term's explanation in the language, or ''."""
    return text_in(term.notes, lang)


# Each country's name and each date's text in a language, once: CLDR's are looked up through Locale.parse at every
# call (a place page names its country, an agreement page both parties' and its dates, in every language).
_COUNTRIES: dict[tuple[str, str], str] = {}
_DATES: dict[tuple[PartialDate, str], str] = {}


def country(code: str, lang: str) -> str:
    key = (code, str(lang))
    found = _COUNTRIES.get(key)
    if found is None:
        found = _COUNTRIES[key] = countries.name(code, lang)
    return found


def date_text(date: PartialDate | None, lang: str) -> str | None:
    """'1985', 'November 2016' / 'November 2016', '25 September 2015': as precise as known."""
    if date is None:
        return None
    locale = getattr(lang, "locale", None) or (LOCALES[lang][1] if lang in LOCALES else lang)
    key = (date, str(locale))
    found = _DATES.get(key)
    if found is None:
        if date.day:
            found = format_date(datetime.date(date.year, date.month, date.day), format="long", locale=locale)
        elif date.month:
            found = format_skeleton("yMMMM", datetime.date(date.year, date.month, 1), locale=locale)
        else:
            found = str(date.year)
        _DATES[key] = found
    return found


def translations(lang: str) -> gettext.NullTranslations:
    """The language's gettext catalogue, compiled from its .po file in memory (English: none needed)."""
    po = lang.catalogue if isinstance(lang, Language) else catalogue_path(lang)
    return _compiled(str(lang), po)


@cache
def _compiled(code: str, po: Path | None) -> gettext.NullTranslations:
    if code == SOURCE or po is None:
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str) -> Callable[[str], str]:
    """_() for Python code outside templates."""
    return translations(lang).gettext


def N_(text: str) -> str:
    """Marks a string for translation (Babel extracts it: -k N_); translated where it is shown."""
    return text


def extract_vocabulary(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor for catalogue/vocab.py (babel.cfg): every term's English label and note, so
    messages.pot lists them for a new language's catalogue. Their Indonesian stays in vocab.py."""
    from . import vocab

    source = fileobj.read().decode("utf-8")
    for name, terms in vars(vocab).items():
        if not (isinstance(terms, dict) and terms and all(isinstance(t, Term) for t in terms.values())):
            continue
        for term in terms.values():
            for kind, text in (("label", term.labels.get(SOURCE)), ("note", term.notes.get(SOURCE))):
                if text:
                    line = source.count("\n", 0, max(source.find(repr(text)[1:-1]), 0)) + 1
                    yield line, None, text, [f"vocabulary {kind}: vocab.{name}[{term.key!r}]"]


def not_a_place(level: str, lang: str) -> str:
    """Why a party of this level is off the map ('organisation, not a place'): the data's English
    reason (places.py) and each page's translated one are this one sentence."""
    _ = gettext_for(lang)
    return _("%(level)s, not a place") % {"level": label(LEVELS[level], lang).lower()}
