"""'Cite this agreement': one entry as a plain-text citation, a BibTeX entry and CSL-JSON.

The version date comes from the caller (the entry's last commit), never from today: the same
content cites the same way whenever it is built. The output is plain text; the template escapes it.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from . import i18n, vocab
from .config import Config
from .model import Entry, PartialDate, Source

WORDS = {
    "en": {
        "as_of": "latest evidence {date}",
        "as_of_unknown": "date of the evidence not stated",
        "version": "Entry last changed {date}.",
        "undated": "Undated version.",
        "source": "Source",
        "sources": "Sources",
    },
    "id": {
        "as_of": "bukti terbaru {date}",
        "as_of_unknown": "tanggal bukti tidak disebutkan",
        "version": "Entri terakhir diubah {date}.",
        "undated": "Versi tanpa tanggal.",
        "source": "Sumber",
        "sources": "Sumber",
    },
}
assert WORDS["en"].keys() == WORDS["id"].keys() and WORDS.keys() == set(i18n.LANGUAGES)


@dataclass(frozen=True)
class Citation:
    """One entry cited three ways; all plain text, to be escaped where shown."""

    text: str
    bibtex: str
    csl_json: str  # a JSON array holding one CSL item, as csl-data.json defines the format


def citations(
    entry: Entry, *, permalink: str, version_date: str | None, lang: str, site_title: str = Config.title
) -> Citation:
    """The entry's citations in the language; version_date is ISO (2026-11-22, or a git timestamp) or None."""
    agreement = entry.agreement
    version = parse_version(version_date)
    words = WORDS[lang]
    title = clean(agreement.display_title)
    about = summary(entry, lang)
    dated = words["version"].format(date=i18n.date_text(version, lang)) if version else words["undated"]
    sources = "; ".join(source_text(s) for s in agreement.sources)
    heading = words["source"] if len(agreement.sources) == 1 else words["sources"]
    text = f'{clean(site_title)}. "{title}" ({about}). {dated} <{permalink}>. {heading}: {sources}.'
    note = f"{capitalised(about)}. {dated}"
    return Citation(
        text=text,
        bibtex=bibtex(
            agreement.slug, title=title, site_title=clean(site_title), permalink=permalink, version=version, note=note
        ),
        csl_json=csl_json(
            agreement.slug,
            title=title,
            site_title=clean(site_title),
            permalink=permalink,
            version=version,
            note=note,
            lang=lang,
        ),
    )


def parse_version(version_date: str | None) -> PartialDate | None:
    if version_date is None:
        return None
    try:
        day = datetime.date.fromisoformat(version_date[:10])
    except ValueError:
        raise ValueError(f"version date {version_date!r} is not an ISO date such as 2026-11-22") from None
    return PartialDate(day.year, day.month, day.day)


def summary(entry: Entry, lang: str) -> str:
    """'friendship city; status: active, latest evidence 2018'."""
    agreement = entry.agreement
    words = WORDS[lang]
    kind = lowered(i18n.label(vocab.KINDS[agreement.kind], lang))
    status = lowered(i18n.label(vocab.STATUSES[agreement.status], lang))
    if agreement.as_of:
        # Two dates, each labelled: the evidence cited (here) and the entry's last change (the version).
        observed = ", " + words["as_of"].format(date=i18n.date_text(agreement.as_of, lang))
    else:
        observed = ", " + words["as_of_unknown"]
    return f"{kind}; status: {status}{observed}"


def source_text(source: Source) -> str:
    """'Author, "Title", Publisher, 2018': what the source names, in that order."""
    # An untitled work keeps its bracketed description unquoted; an estimated year reads 'c. 2017'.
    title = clean(source.title) if source.title_supplied else f'"{clean(source.title)}"'
    parts = [source.author, title, source.publisher, source.year_text, f"doi:{source.doi}" if source.doi else None]
    return ", ".join(clean(p) for p in parts if p)


def bibtex(slug: str, *, title: str, site_title: str, permalink: str, version: PartialDate | None, note: str) -> str:
    """An @misc entry keyed by the slug; the site is its corporate author (double braces keep it whole)."""
    url = bibtex_url(permalink)
    fields = [
        ("author", f"{{{bibtex_escape(site_title)}}}"),
        ("title", f"{{{bibtex_escape(title)}}}"),
        ("howpublished", f"\\url{{{url}}}"),
        ("url", url),
    ]
    if version:
        fields.append(("year", str(version.year)))
    fields.append(("note", bibtex_escape(note)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{bibtex_key(slug)},\n{body}}}\n"


def csl_json(
    slug: str, *, title: str, site_title: str, permalink: str, version: PartialDate | None, note: str, lang: str
) -> str:
    """A one-item CSL-JSON array. No 'accessed': that is the reader's date, not the version's."""
    item: dict[str, object] = {
        "id": slug,
        "type": "webpage",
        "title": title,
        "container-title": site_title,
        "URL": permalink,
    }
    if version:
        item["issued"] = {"date-parts": [[version.year, version.month, version.day]]}
    item["note"] = note
    item["language"] = lang
    # One field a line, each value compact: readable in a <pre>, still plain JSON.
    lines = ",\n".join(f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in item.items())
    return f"[\n  {{\n{lines}\n  }}\n]\n"


BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIAL = re.compile("|".join(re.escape(c) for c in BIBTEX_SPECIALS))


def bibtex_escape(text: str) -> str:
    """User text made literal in a BibTeX field: one pass, so no replacement is escaped again."""
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_SPECIALS[m.group()], text)


def bibtex_url(url: str) -> str:
    """The permalink with the characters that would unbalance a field or \\url percent-encoded."""
    return quote(url, safe="/:?&=+;,@!'()*[]-._~#%$")


def bibtex_key(slug: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", slug.lower()) or "entry"


def clean(text: str) -> str:
    """Whitespace (a folded YAML line break, say) collapsed to single spaces."""
    return " ".join(text.split())


def lowered(label: str) -> str:
    return label[:1].lower() + label[1:]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
