"""A tie's row in a list, made once per tie and language and reused by every page that lists it.

A tie is in some eight lists (all agreements, both countries, its sectors, status and kind) and on
its places' pages, in every language: 25k ties make some 450,000 rows a build. Each row was a
Jinja macro call (about 0.2 ms: the macro, a nested badge macro, gettext, filters); here its record
(views.ListRow) is made once per tie and language, its words looked up once per value, and its
markup made once per tie and way back to the language root (the only part of a row that depends on
the page), in plain Python with every value escaped, as Jinja's autoescape would. The markup is the
one templates/assets/filters.js draws for rows it fetches (rowNode); macros.html entry_list lays
the rows out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from markupsafe import Markup, escape

from . import i18n, vocab
from .freshness import STALE_AFTER_YEARS, freshness
from .model import Entry, PartialDate
from .views import ListRow, badge_text


class Rows:
    """Each tie's list row in one language: its record, and its markup for each root, each made once.

    entries: slug → Entry (one record per slug: the build's catalogue); gettext: the templates'
    escaping _() (render.escaped_gettext), so a row says what the page's other words say."""

    def __init__(
        self,
        entries: Mapping[str, Entry],
        lang: str,
        gettext: Callable[..., Markup],
        reference: PartialDate | None = None,
        stale_after_years: int = STALE_AFTER_YEARS,
    ) -> None:
        self.entries, self.lang, self._ = entries, lang, gettext
        self.reference, self.stale_after_years = reference, stale_after_years
        self._records: dict[str, ListRow] = {}
        self._markup: dict[tuple[str, str, bool], Markup] = {}
        # Words by value: babel's lookups cost tens of microseconds each, and a few hundred values recur.
        self._words: dict[tuple[str, object], str | None] = {}

    def record(self, slug: str) -> ListRow:
        """What a list shows of the tie: the same words as its views.entry_view."""
        made = self._records.get(slug)
        if made is None:
            made = self._records[slug] = self._record(self.entries[slug])
        return made

    def markup(self, slug: str, root: str, keys: bool = False) -> Markup:
        """The tie's <li> on a page whose way back to the language root is root ('../', '../../'); keys: with the
        keys filters.js filters the page's own rows on (data-f), where it does (a place's page, a list of one
        page). A page of a long list does without: its filters cover the whole list, from the list's data file
        (paging.list_index), not from its rows."""
        key = (slug, root, keys)
        made = self._markup.get(key)
        if made is None:
            made = self._markup[key] = self._row(self.record(slug), root, keys)
        return made

    def _word(self, kind: str, value: object, make: Callable[[], str | None]) -> str | None:
        key = (kind, value)
        if key not in self._words:
            self._words[key] = make()
        return self._words[key]

    def _label(self, kind: str, terms: Mapping[str, vocab.Term], key: str) -> str:
        return self._word(kind, key, lambda: i18n.label(terms[key], self.lang)) or key

    def _country(self, code: str) -> str:
        return self._word("country", code, lambda: i18n.country(code, self.lang)) or code

    def _date(self, date: PartialDate | None) -> str | None:
        return None if date is None else self._word("date", date, lambda: i18n.date_text(date, self.lang))

    def _record(self, entry: Entry) -> ListRow:
        a = entry.agreement
        evidence_year = a.as_of.year if a.as_of else None
        stale = freshness(entry, self.reference, self.stale_after_years).stale
        status_label = self._label("status", vocab.STATUSES, a.status)
        badge = self._word(
            "badge",
            (status_label, evidence_year, stale),
            lambda: badge_text(status_label, evidence_year, stale, self.lang),
        )
        first, second = (self._country(place.country) for place in entry.places)  # as views.party_view names them
        return ListRow(
            slug=a.slug,
            title=a.display_title,
            url=entry.url,
            status=a.status,
            kind_key=a.kind,
            kind=self._label("kind", vocab.KINDS, a.kind),
            since=self._date(a.since),
            as_of=self._date(a.as_of),
            sector_keys=a.sectors,
            sectors=tuple(self._label("sector", vocab.SECTORS, s) for s in a.sectors),
            countries=tuple(dict.fromkeys(p.country for p in a.parties)),
            country_names=(first, second),
            stale=stale,
            badge_text=badge or "",
        )

    def _row(self, e: ListRow, root: str, keys: bool) -> Markup:
        """One line of markup, no class but the badge's: a list holds hundreds of thousands of rows a build, so
        every byte of a row is some 400 KB of a 25k site. The list (ul.entries) styles its rows, their title link
        and their badge (site.css); the two lines after the badge are plain text, split by <br>. The badge carries
        the status and its evidence year, so the row does not say the status date again; its dot is the
        stylesheet's (.entries span::before). data-f holds the keys filters.js filters on, in one attribute:
        status|kind|sector keys|country codes, each list space-separated."""
        _ = self._
        since = _("since %(date)s", date=e.since) if e.since else _("start date not stated")
        sectors = Markup(" · ") + escape(", ".join(e.sectors)) if e.sectors else ""
        stale = " stale" if e.stale else ""
        f = "|".join((e.status, e.kind_key, " ".join(e.sector_keys), " ".join(e.countries)))
        return Markup(
            (f'<li data-f="{escape(f)}">' if keys else "<li>")
            + f'<a href="{escape(root)}{escape(e.url)}">{escape(e.title)}</a> '
            f'<span class="badge-{escape(e.status)}{stale}">{escape(e.badge_text)}</span>'
            f"<br>{escape(e.kind)} · {since}"
            f"<br>{escape(e.country_names[0])} – {escape(e.country_names[1])}{sectors}</li>\n"
        )
