"""The statistics page's data: counts of the catalogue five ways, each as rows and a chart.

Rules of counting (each chart's note says its rule to readers):

- Decades come from `since`, the year a tie began; every decade from the first to the last
  is listed, empty ones too, and ties with no start date are one row of their own, last.
- Statuses are listed in vocabulary order, with zeros, coloured as on the map.
- A tie with several sectors counts once in each; ties with none are one row of their own.
- Countries are the partner's (the second party's); the Indonesian side is not counted, so
  Indonesia appears only where a partner is itself Indonesian.
- Levels are counted per side: the Indonesian parties, and the partners, as two charts.
- Evidence years are the year of each tie's latest evidence (as_of: its newest observation's
  date), newest first, only the years that occur; undated ties are one grey row, last. Years
  more than stale_after_years before the reference year say so in their label (not only by
  their grey bar), as the lists' badges do.
- Apart from statuses, a row with no agreements is left out. Rows run from most to fewest,
  ties broken by label, except decades and statuses, which keep their own order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from . import i18n, vocab
from .i18n import N_
from .charts import DEFAULT_COLOUR, UNKNOWN_COLOUR, bar_chart
from .freshness import STALE_AFTER_YEARS
from .index import Catalogue
from .model import Agreement

WORDS = {  # English, translated by gettext when shown (N_ marks them for Babel)
    "decades": N_("Agreements by the decade they began"),
    "decades.heading": N_("Decade"),
    "decades.note": N_("By the year each tie began; ties whose start no source gives are counted in their own row."),
    "decades.unknown": N_("Start not stated"),
    "decade": N_("{decade}s"),
    "statuses": N_("Agreements by status"),
    "statuses.heading": N_("Status"),
    "statuses.note": N_("The status when a source last observed the tie."),
    "sectors": N_("Agreements by sector"),
    "sectors.heading": N_("Sector"),
    "sectors.note": N_("A tie that covers several sectors is counted in each."),
    "sectors.none": N_("No sector stated"),
    "countries": N_("Agreements by partner country"),
    "countries.heading": N_("Country"),
    "countries.note": N_("The partner's country; the Indonesian side of each tie is not counted."),
    "levels.id": N_("Indonesian parties by level"),
    "levels.partner": N_("Partners by level"),
    "levels.heading": N_("Level"),
    "levels.note": N_("One party of each tie."),
    "evidence": N_("Agreements by the year of their latest evidence"),
    "evidence.heading": N_("Year of the latest evidence"),
    "evidence.note": N_(
        "How recent the evidence is: the year of the newest observation or report of each tie's status."
    ),
    "evidence.stale_note": N_(
        "Years more than {n} years before {year} are marked: no source since then reports on those ties, so their "
        "status may have changed."
    ),
    "evidence.unknown": N_("Date not stated"),
    "evidence.stale": N_("{year} (more than {n} years ago)"),
}


@dataclass(frozen=True)
class Chart:
    """One count: its rows (the data table a screen reader reads) and the same rows drawn."""

    key: str  # decades, statuses, sectors, countries, levels-id, levels-partner, evidence
    title: str  # the table's caption and the chart's accessible name
    heading: str  # the table's first column
    note: str
    rows: tuple[tuple[str, int], ...]
    svg: Markup  # escaped inside charts.py


@dataclass(frozen=True)
class Stats:
    total: int  # agreements in the catalogue
    charts: tuple[Chart, ...]

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)


def statistics(
    catalogue: Catalogue, lang: str, reference_year: int | None = None, stale_after_years: int = STALE_AFTER_YEARS
) -> Stats:
    """The catalogue counted six ways, labelled in the language.

    reference_year is the build's "now" (never the clock): evidence older than stale_after_years
    before it is marked stale; without it nothing is.
    """
    words = {key: i18n.gettext_for(lang)(text) for key, text in WORDS.items()}
    agreements = [e.agreement for e in catalogue.entries]

    def chart(
        key: str,
        group: str,
        rows: Iterable[tuple[str, int]],
        colour: Sequence[str] | None = None,
        title: str | None = None,
        note: str | None = None,
    ) -> Chart:
        shown, title = tuple(rows), title or words[group]
        if colour is None:  # the rows that count what no source states are grey
            unknown = {words["decades.unknown"], words["sectors.none"]}
            colour = [UNKNOWN_COLOUR if label in unknown else DEFAULT_COLOUR for label, _ in shown]
        svg = Markup(bar_chart(shown, title=title, colour=colour, ident=f"chart-{key}"))
        return Chart(key, title, words[f"{group}.heading"], note or words[f"{group}.note"], shown, svg)

    levels = [Counter(a.parties[side].level for a in agreements) for side in (0, 1)]
    partner_countries = Counter(i18n.country(a.parties[1].country, lang) for a in agreements)
    return Stats(
        total=len(agreements),
        charts=(
            chart("decades", "decades", decade_rows([a.since.year if a.since else None for a in agreements], words)),
            chart(
                "statuses", "statuses", status_rows(agreements, lang), [c.fill for c in vocab.status_colours().values()]
            ),
            chart("sectors", "sectors", sector_rows(agreements, lang, words)),
            chart("countries", "countries", ranked(partner_countries)),
            chart("levels-id", "levels", level_rows(levels[0], lang), title=words["levels.id"]),
            chart("levels-partner", "levels", level_rows(levels[1], lang), title=words["levels.partner"]),
            chart(
                "evidence",
                "evidence",
                *evidence_rows(agreements, words, reference_year, stale_after_years),
                note=words["evidence.note"]
                + (
                    ""
                    if reference_year is None
                    else " " + words["evidence.stale_note"].format(n=stale_after_years, year=reference_year)
                ),
            ),
        ),
    )


def evidence_rows(
    agreements: Sequence[Agreement], words: dict[str, str], reference_year: int | None, stale_after_years: int
) -> tuple[list[tuple[str, int]], list[str]]:
    """(rows, colours): ties by the year of their latest evidence, newest first.

    Stale years are marked in words and in grey.
    """
    counts = Counter(a.as_of.year if a.as_of else None for a in agreements)
    rows: list[tuple[str, int]] = []
    colours: list[str] = []
    for year in sorted((y for y in counts if y is not None), reverse=True):
        stale = reference_year is not None and reference_year - year > stale_after_years  # as freshness.py
        label = words["evidence.stale"].format(year=year, n=stale_after_years) if stale else str(year)
        rows.append((label, counts[year]))
        colours.append(UNKNOWN_COLOUR if stale else DEFAULT_COLOUR)
    if counts[None]:
        rows.append((words["evidence.unknown"], counts[None]))
        colours.append(UNKNOWN_COLOUR)
    return rows, colours


def decade_rows(years: list[int | None], words: dict[str, str]) -> list[tuple[str, int]]:
    """Every decade from the first to the last, empty ones included, then the undated."""
    counts = Counter(year // 10 * 10 for year in years if year is not None)
    rows = []
    if counts:
        for decade in range(min(counts), max(counts) + 10, 10):
            rows.append((words["decade"].format(decade=decade), counts[decade]))
    unknown = sum(year is None for year in years)
    if unknown:
        rows.append((words["decades.unknown"], unknown))
    return rows


def status_rows(agreements: Sequence[Agreement], lang: str) -> list[tuple[str, int]]:
    counts = Counter(a.status for a in agreements)
    return [(i18n.label(term, lang), counts[key]) for key, term in vocab.STATUSES.items()]


def sector_rows(agreements: Sequence[Agreement], lang: str, words: dict[str, str]) -> list[tuple[str, int]]:
    counts = Counter(i18n.label(vocab.SECTORS[s], lang) for a in agreements for s in a.sectors)
    rows = ranked(counts)
    none = sum(not a.sectors for a in agreements)
    if none:
        rows.append((words["sectors.none"], none))
    return rows


def level_rows(counts: Counter[str], lang: str) -> list[tuple[str, int]]:
    return ranked(Counter({i18n.label(vocab.LEVELS[key], lang): n for key, n in counts.items()}))


def ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    """Most first, ties by label; rows with no agreements are left out."""
    return sorted(
        ((label, n) for label, n in counts.items() if n), key=lambda row: (-row[1], row[0].casefold(), row[0])
    )
