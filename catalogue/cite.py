"""'Cite this agreement': one entry as a plain-text citation, a BibTeX entry and CSL-JSON.

The version date comes from the caller (the entry's last commit), never from today: the same
content cites the same way whenever it is built. The output is plain text; the template escapes it.

The page shows the plain text; assets/copy.js makes the BibTeX and CSL-JSON in the browser from the
entry's JSON export, the version date and the marked parts of the text, the same bytes as bibtex and
csl_json here (tests/test_browser_cite.py compares them), so ~1.3 KB of each page is not repeated
on every agreement page.

BibTeX and CSL-JSON carry the entry's sources too, as items of their own after the entry's
(BibTeX entries keyed <slug>-<source key>, linked from the entry by `related`; CSL items
after the first). A supplied title stays in its square brackets, an estimated year reads
"c. 2017" (BibTeX `year`, CSL `issued.literal`), and DOI, ISBN and links go in their fields.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from . import i18n, vocab
from .i18n import N_
from .config import Config
from .model import Entry, PartialDate, Source

WORDS = {  # English, translated by gettext when shown (N_ marks them for Babel)
    "as_of": N_("latest evidence {date}"),
    "as_of_unknown": N_("date of the evidence not stated"),
    "version": N_("Entry last changed {date}."),
    "undated": N_("Undated version."),
    "source": N_("Source"),
    "sources": N_("Sources"),
}


@dataclass(frozen=True)
class Citation:
    """One entry cited three ways; all plain text, to be escaped where shown."""

    text: str
    bibtex: str
    csl_json: str  # a JSON array holding one CSL item, as csl-data.json defines the format
    # text in five pieces, "".join(parts) == text: the second ("friendship city; status: ...") and the fourth
    # ("Entry last changed ...") are what the BibTeX and CSL note says, which the cite box marks for copy.js.
    parts: tuple[str, str, str, str, str] = ("", "", "", "", "")
    version: str | None = None  # the version date, ISO (2026-11-22): BibTeX's year, CSL's issued


def plain_citation(
    entry: Entry, *, permalink: str, version_date: str | None, lang: str, site_title: str = Config.title
) -> Citation:
    """The citation a page shows (text, parts, version), without the BibTeX and CSL-JSON, which the cite
    box's copy.js makes from the agreement's JSON export: the page never holds them."""
    return _citation(entry, permalink, version_date, lang, site_title, formats=False)


def citations(
    entry: Entry, *, permalink: str, version_date: str | None, lang: str, site_title: str = Config.title
) -> Citation:
    """The entry's citations in the language; version_date is ISO (2026-11-22, or a git timestamp) or None."""
    return _citation(entry, permalink, version_date, lang, site_title, formats=True)


def _citation(
    entry: Entry, permalink: str, version_date: str | None, lang: str, site_title: str, formats: bool
) -> Citation:
    agreement = entry.agreement
    version = parse_version(version_date)
    words = {key: i18n.gettext_for(lang)(text) for key, text in WORDS.items()}
    title = clean(agreement.display_title)
    about = summary(entry, lang)
    dated = words["version"].format(date=i18n.date_text(version, lang)) if version else words["undated"]
    sources = "; ".join(source_text(s) for s in agreement.sources)
    heading = words["source"] if len(agreement.sources) == 1 else words["sources"]
    parts = (f'{clean(site_title)}. "{title}" (', about, "). ", dated, f" <{permalink}>. {heading}: {sources}.")
    text = "".join(parts)
    stated = version_date[:10] if version_date else None  # parse_version read it as this day
    if not formats:
        return Citation(text=text, bibtex="", csl_json="", parts=parts, version=stated)
    note = f"{capitalised(about)}. {dated}"
    ids = tuple(bibtex_key(i) for i in source_ids(agreement.slug, agreement.sources))  # one id in both formats
    return Citation(
        text=text,
        bibtex=bibtex(
            agreement.slug,
            title=title,
            site_title=clean(site_title),
            permalink=permalink,
            version=version,
            note=note,
            related=ids,
        )
        + "".join("\n" + source_bibtex(key, source, lang) for key, source in zip(ids, agreement.sources)),
        csl_json=csl_json(
            agreement.slug,
            title=title,
            site_title=clean(site_title),
            permalink=permalink,
            version=version,
            note=note,
            lang=lang,
            sources=tuple(source_csl(key, source, lang) for key, source in zip(ids, agreement.sources)),
        ),
        parts=parts,
        version=stated,
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
    words = {key: i18n.gettext_for(lang)(text) for key, text in WORDS.items()}
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
    parts = [
        source.author,
        title,
        source.publisher,
        source.year_text,
        f"doi:{source.doi}" if source.doi else None,
        f"ISBN {source.isbn}" if source.isbn else None,
        f"<{source.url}>" if source.url else None,
    ]
    return ", ".join(clean(p) for p in parts if p)


def bibtex(
    slug: str,
    *,
    title: str,
    site_title: str,
    permalink: str,
    version: PartialDate | None,
    note: str,
    related: tuple[str, ...] = (),
) -> str:
    """An @misc entry keyed by the slug; the site is its corporate author (double braces keep it whole).

    related: the BibTeX keys of the entry's sources (biblatex's `related`; plain BibTeX ignores it)."""
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
    if related:
        fields.append(("related", ",".join(related)))
    return bibtex_entry("misc", bibtex_key(slug), fields)


def bibtex_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    """@kind{key, name = {value}, ...}: values already escaped."""
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{key},\n{body}}}\n"


# What each source type is in BibTeX (entry type, the field naming its publisher) and in CSL.
BIBTEX_TYPES = {
    "journal-article": ("article", "journal"),
    "book": ("book", "publisher"),
    "report": ("techreport", "institution"),
}
CSL_TYPES = {
    "journal-article": "article-journal",
    "thesis": "thesis",
    "book": "book",
    "report": "report",
    "official-document": "document",
    "news": "article-newspaper",
    "web-page": "webpage",
}
SOURCE_WORDS = {  # English, translated by gettext when shown
    "supplied": N_("The work prints no title; the bracketed title describes it."),
    "estimated": N_("The work prints no year; {year} is an estimate."),
    "archive": N_("Archived copy: {url}"),
}


def source_ids(slug: str, sources: tuple[Source, ...]) -> tuple[str, ...]:
    """An id per source: <slug>-<key>, or <slug>-source-<n> for a source without a key."""
    return tuple(f"{slug}-{s.key}" if s.key else f"{slug}-source-{n}" for n, s in enumerate(sources, 1))


def source_notes(source: Source, lang: str) -> list[str]:
    """What a reader of the reference must know: a supplied title, an estimated year, an archived copy."""
    words = {key: i18n.gettext_for(lang)(text) for key, text in SOURCE_WORDS.items()}
    notes = []  # not the source's own note: free text in one language, shown on the page
    if source.title_supplied:
        notes.append(words["supplied"])
    if source.year_estimated and source.year_text:
        notes.append(words["estimated"].format(year=source.year_text))
    if source.archive:
        notes.append(words["archive"].format(url=source.archive))
    return notes


def source_bibtex(ident: str, source: Source, lang: str) -> str:
    """One source as a BibTeX entry: its title as printed or bracketed, 'c. 2017' for an estimated year."""
    kind, publisher_field = BIBTEX_TYPES.get(source.type or "", ("misc", "howpublished"))
    if not source.publisher and kind != "misc":
        kind, publisher_field = "misc", "howpublished"
    fields: list[tuple[str, str]] = []
    if source.author:
        fields.append(("author", f"{{{bibtex_escape(clean(source.author))}}}"))
    # Double braces keep the title as written (no case changes), its square brackets included.
    fields.append(("title", f"{{{bibtex_escape(clean(source.title))}}}"))
    if source.publisher:
        fields.append((publisher_field, bibtex_escape(clean(source.publisher))))
    if source.year_text:
        fields.append(("year", bibtex_escape(source.year_text)))
    if source.doi:
        fields.append(("doi", bibtex_escape(source.doi)))
    if source.isbn:
        fields.append(("isbn", bibtex_escape(source.isbn)))
    if source.url:
        fields.append(("url", bibtex_url(source.url)))
    notes = source_notes(source, lang)
    if notes:
        fields.append(("note", bibtex_escape(" ".join(notes))))
    return bibtex_entry(kind, bibtex_key(ident), fields)


def source_csl(ident: str, source: Source, lang: str) -> dict[str, object]:
    """One source as a CSL item: an estimated year as a literal date ('c. 2017'), identifiers in their variables."""
    item: dict[str, object] = {"id": ident, "type": CSL_TYPES.get(source.type or "", "document")}
    item["title"] = clean(source.title)
    if source.author:
        item["author"] = [{"literal": clean(source.author)}]
    if source.publisher:
        item["container-title" if source.type == "journal-article" else "publisher"] = clean(source.publisher)
    if source.year is not None:
        item["issued"] = {"literal": source.year_text} if source.year_estimated else {"date-parts": [[source.year]]}
    for field, value in (("DOI", source.doi), ("ISBN", source.isbn), ("URL", source.url)):
        if value:
            item[field] = value
    notes = source_notes(source, lang)
    if notes:
        item["note"] = " ".join(notes)
    return item


def csl_json(
    slug: str,
    *,
    title: str,
    site_title: str,
    permalink: str,
    version: PartialDate | None,
    note: str,
    lang: str,
    sources: tuple[dict[str, object], ...] = (),
) -> str:
    """A CSL-JSON array: the entry's item first, then its sources'. No 'accessed': that is the reader's date."""
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
    blocks = [
        ",\n".join(f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in one.items())
        for one in (item, *sources)
    ]
    return "[\n" + ",\n".join(f"  {{\n{lines}\n  }}" for lines in blocks) + "\n]\n"


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
