"""The statistics page's data: counts of the catalogue five ways, each as rows and a chart.

Rules of counting (each chart's note says its rule to readers):

- Decades come from `since`, the year a tie began; every decade from the first to the last
  is listed, empty ones too, and ties with no start date are one row of their own, last.
- Statuses are listed in vocabulary order, with zeros, coloured as on the map.
- A tie with several sectors counts once in each; ties with none are one row of their own.
- Countries are the partner's (the second party's); the Indonesian side is not counted, so
  Indonesia appears only where a partner is itself Indonesian.
- Levels are counted per side: the Indonesian parties, and the partners, as two charts.
- Apart from statuses, a row with no agreements is left out. Rows run from most to fewest,
  ties broken by label, except decades and statuses, which keep their own order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from . import i18n, vocab
from .charts import DEFAULT_COLOUR, UNKNOWN_COLOUR, bar_chart
from .index import Catalogue

WORDS = {
    "en": {
        "decades": "Agreements by the decade they began",
        "decades.heading": "Decade",
        "decades.note": "By the year each tie began; ties whose start no source gives are counted in their own row.",
        "decades.unknown": "Start not stated",
        "decade": "{decade}s",
        "statuses": "Agreements by status",
        "statuses.heading": "Status",
        "statuses.note": "The status when a source last observed the tie.",
        "sectors": "Agreements by sector",
        "sectors.heading": "Sector",
        "sectors.note": "A tie that covers several sectors is counted in each.",
        "sectors.none": "No sector stated",
        "countries": "Agreements by partner country",
        "countries.heading": "Country",
        "countries.note": "The partner's country; the Indonesian side of each tie is not counted.",
        "levels.id": "Indonesian parties by level",
        "levels.partner": "Partners by level",
        "levels.heading": "Level",
        "levels.note": "One party of each tie.",
    },
    "id": {
        "decades": "Perjanjian menurut dasawarsa dimulainya",
        "decades.heading": "Dasawarsa",
        "decades.note": "Menurut tahun dimulainya tiap kerja sama; kerja sama yang awalnya tidak disebutkan sumber mana pun dihitung pada barisnya sendiri.",
        "decades.unknown": "Awal tidak disebutkan",
        "decade": "{decade}-an",
        "statuses": "Perjanjian menurut status",
        "statuses.heading": "Status",
        "statuses.note": "Status ketika sumber terakhir mengamati kerja sama ini.",
        "sectors": "Perjanjian menurut bidang",
        "sectors.heading": "Bidang",
        "sectors.note": "Kerja sama yang mencakup beberapa bidang dihitung pada setiap bidang.",
        "sectors.none": "Bidang tidak disebutkan",
        "countries": "Perjanjian menurut negara mitra",
        "countries.heading": "Negara",
        "countries.note": "Negara pihak mitra; pihak Indonesia dari tiap kerja sama tidak dihitung.",
        "levels.id": "Pihak Indonesia menurut jenisnya",
        "levels.partner": "Pihak mitra menurut jenisnya",
        "levels.heading": "Jenis pihak",
        "levels.note": "Satu pihak dari tiap kerja sama.",
    },
}
assert WORDS["en"].keys() == WORDS["id"].keys() and WORDS.keys() == set(i18n.LANGUAGES)


@dataclass(frozen=True)
class Chart:
    """One count: its rows (the data table a screen reader reads) and the same rows drawn."""

    key: str  # decades, statuses, sectors, countries, levels-id, levels-partner
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


def statistics(catalogue: Catalogue, lang: str) -> Stats:
    """The catalogue counted five ways, labelled in the language."""
    words = WORDS[lang]
    agreements = [e.agreement for e in catalogue.entries]

    def chart(key: str, group: str, rows, colour=None, title: str | None = None) -> Chart:
        rows, title = tuple(rows), title or words[group]
        if colour is None:  # the rows that count what no source states are grey
            unknown = {words["decades.unknown"], words["sectors.none"]}
            colour = [UNKNOWN_COLOUR if label in unknown else DEFAULT_COLOUR for label, _ in rows]
        svg = Markup(bar_chart(rows, title=title, colour=colour, ident=f"chart-{key}"))
        return Chart(key, title, words[f"{group}.heading"], words[f"{group}.note"], rows, svg)

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
        ),
    )


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


def status_rows(agreements, lang: str) -> list[tuple[str, int]]:
    counts = Counter(a.status for a in agreements)
    return [(i18n.label(term, lang), counts[key]) for key, term in vocab.STATUSES.items()]


def sector_rows(agreements, lang: str, words: dict[str, str]) -> list[tuple[str, int]]:
    counts = Counter(i18n.label(vocab.SECTORS[s], lang) for a in agreements for s in a.sectors)
    rows = ranked(counts)
    none = sum(not a.sectors for a in agreements)
    if none:
        rows.append((words["sectors.none"], none))
    return rows


def level_rows(counts: Counter, lang: str) -> list[tuple[str, int]]:
    return ranked(Counter({i18n.label(vocab.LEVELS[key], lang): n for key, n in counts.items()}))


def ranked(counts: Counter) -> list[tuple[str, int]]:
    """Most first, ties by label; rows with no agreements are left out."""
    return sorted(
        ((label, n) for label, n in counts.items() if n), key=lambda row: (-row[1], row[0].casefold(), row[0])
    )
