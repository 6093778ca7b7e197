"""Statistics: counts for the fixtures (the frozen copy of the shipped content counted independently
from its files and by hand), the SVG charts (well-formed, escaped, accessible) and the page partial."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from catalogue import countries, vocab
from catalogue.charts import bar_chart
from catalogue.index import build_index
from catalogue.mapping import STATUS_COLOURS
from catalogue.site import Project, check
from catalogue.stats import statistics
from conftest import SHIPPED, entry_files
from test_cite import partial

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '</svg><script>alert("x")</script> & <b>Côte d\'Ivoire</b> ]]>'


@pytest.fixture(scope="session")
def real_agreements(tmp_path_factory):
    """The frozen copy of the shipped agreements (and places.yaml), checked on their own.

    Statistics read nothing else.
    """
    root = tmp_path_factory.mktemp("agreements")
    shutil.copytree(SHIPPED / "content" / "agreements", root / "content" / "agreements")
    shutil.copy(SHIPPED / "content" / "places.yaml", root / "content" / "places.yaml")
    return check(Project(root)).catalogue


def front_matter(folder: Path) -> list[dict]:
    """Every entry's front matter, read with plain YAML: the independent count.

    Translations of a body (surakarta-xian.id.md) are skipped: a slug has no dot.
    """
    paths = [p for p in sorted(folder.glob("*.md")) if "." not in p.stem]
    return [yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1]) for path in paths]


def since_year(meta: dict) -> int | None:
    since = meta.get("since")
    return None if since is None else int(str(since)[:4])


def table(chart) -> dict[str, int]:
    return dict(chart.rows)


# -- the fixture catalogue ---------------------------------------------------------------


def test_fixture_counts_in_english(project):
    stats = statistics(check(project).catalogue, "en")
    assert stats.total == 3
    assert stats.chart("decades").rows == (("2010s", 2), ("Start not stated", 1))
    assert stats.chart("statuses").rows == (
        ("Active", 1),
        ("Stalled", 1),
        ("Exploratory", 0),
        ("Ended", 1),
        ("Not reported", 0),
    )
    assert stats.chart("sectors").rows == (("Culture", 1), ("Education", 1), ("Investment", 1), ("Trade", 1))
    assert stats.chart("countries").rows == (("China", 1), ("Malaysia", 1), ("United States", 1))
    assert stats.chart("levels-id").rows == (("City", 1), ("Province", 1), ("Regency", 1))
    assert stats.chart("levels-partner").rows == (("City", 1), ("Organisation", 1), ("State", 1))


def test_fixture_counts_in_indonesian(project):
    stats = statistics(check(project).catalogue, "id")
    assert stats.chart("decades").rows == (("2010-an", 2), ("Awal tidak disebutkan", 1))
    assert stats.chart("statuses").rows == (
        ("Aktif", 1),
        ("Mandek", 1),
        ("Penjajakan", 0),
        ("Berakhir", 1),
        ("Tidak dilaporkan", 0),
    )
    assert stats.chart("countries").rows == (("Amerika Serikat", 1), ("Malaysia", 1), ("Tiongkok", 1))
    assert stats.chart("statuses").title == "Perjanjian menurut status"


def test_decades_are_bucketed_with_gaps_and_the_undated_kept(project):
    folder = project.agreements
    extra = (folder / "surakarta-xian.md").read_text(encoding="utf-8")
    for slug, since, partner in [
        ("a-1985", "1985-12-31", "Kyoto"),
        ("b-1990", "1990", "Lyon"),
        ("c-1989", "1989-01", "Nara"),
    ]:
        text = (
            extra.replace("since: 2015-09-25", f"since: {since}")
            .replace("Xi'an", partner)
            .replace("country: CN", "country: JP" if partner != "Lyon" else "country: FR")
        )
        (folder / f"surakarta-{slug}.md").write_text(text, encoding="utf-8")
    (project.root / "content" / "places.yaml").write_text(
        (project.root / "content" / "places.yaml").read_text(encoding="utf-8")
        + "JP:\n  Kyoto: [35.0, 135.7]\n  Nara: [34.7, 135.8]\nFR:\n  Lyon: [45.7, 4.8]\n",
        encoding="utf-8",
    )
    stats = statistics(check(project).catalogue, "en")
    assert stats.chart("decades").rows == (
        ("1980s", 2),
        ("1990s", 1),
        ("2000s", 0),
        ("2010s", 2),
        ("Start not stated", 1),
    )
    assert sum(n for _, n in stats.chart("decades").rows) == stats.total == 6


def test_evidence_years_newest_first_with_stale_years_said_in_words(project):
    xian = (project.agreements / "surakarta-xian.md").read_text(encoding="utf-8")
    (project.agreements / "surakarta-kyoto.md").write_text(
        xian.replace("as_of: 2017", "as_of: 2024-03").replace("Xi'an", "Kyoto").replace("country: CN", "country: JP"),
        encoding="utf-8",
    )
    catalogue = check(project).catalogue
    # No reference date: nothing is judged old, and the years read plainly.
    plain = statistics(catalogue, "en").chart("evidence")
    assert plain.rows == (("2024", 1), ("2017", 2), ("Date not stated", 1))
    assert "more than" not in plain.note
    # Against 2026 with 3 years: 2017 is stale, and says so in its label (the table's row too), 2024 is not.
    stats = statistics(catalogue, "en", 2026, 3)
    chart = stats.chart("evidence")
    assert chart.rows == (("2024", 1), ("2017 (more than 3 years ago)", 2), ("Date not stated", 1))
    assert "more than 3 years before 2026" in chart.note
    fills = [r.get("fill") for r in ET.fromstring(str(chart.svg)).iter(f"{SVG}rect")]
    assert fills == ["#0072B2", "#6B6B6B", "#6B6B6B"]  # stale and undated grey as well as worded
    assert sum(n for _, n in chart.rows) == stats.total == 4
    indonesian = statistics(catalogue, "id", 2026, 3).chart("evidence")
    assert indonesian.rows == (("2024", 1), ("2017 (lebih dari 3 tahun lalu)", 2), ("Tanggal tidak disebutkan", 1))
    assert indonesian.title == "Perjanjian menurut tahun bukti terbarunya"
    # A longer stale_after_years moves the line.
    assert statistics(catalogue, "en", 2026, 9).chart("evidence").rows[1] == ("2017", 2)


# -- the frozen shipped content, counted independently ---------------------------------------------


def test_frozen_shipped_copy_counts(real_agreements):
    """Figures counted by hand on tests/fixtures/shipped (a frozen copy), never on the live content/."""
    metas = front_matter(SHIPPED / "content" / "agreements")
    for lang in ("en", "id"):
        stats = statistics(real_agreements, lang)
        assert stats.total == len(metas) == len(entry_files(SHIPPED / "content" / "agreements"))

        statuses = Counter(m["status"] for m in metas)
        assert [n for _, n in stats.chart("statuses").rows] == [statuses[k] for k in STATUS_COLOURS]

        years = [since_year(m) for m in metas]
        decades = Counter(y // 10 * 10 for y in years if y is not None)
        expected = {
            f"{d}s" if lang == "en" else f"{d}-an": decades[d] for d in range(min(decades), max(decades) + 10, 10)
        }
        expected["Start not stated" if lang == "en" else "Awal tidak disebutkan"] = years.count(None)
        assert table(stats.chart("decades")) == expected
        assert list(table(stats.chart("decades"))) == list(expected)  # in order, unknown last

        partners = Counter(countries.name(m["parties"][1]["country"], lang) for m in metas)
        assert table(stats.chart("countries")) == dict(partners)

        sectors = Counter(vocab.SECTORS[k].labels[lang] for m in metas for k in m.get("sectors") or [])
        none = sum(not m.get("sectors") for m in metas)
        assert table(stats.chart("sectors")) == dict(sectors) | {
            "No sector stated" if lang == "en" else "Bidang tidak disebutkan": none
        }

        for key, side in (("levels-id", 0), ("levels-partner", 1)):
            levels = Counter(vocab.LEVELS[m["parties"][side]["level"]].labels[lang] for m in metas)
            assert table(stats.chart(key)) == dict(levels)


def test_real_content_known_values(real_agreements):
    """A few figures read off the files by hand, so a counting rule that drifts is caught."""
    stats = statistics(real_agreements, "en")
    assert table(stats.chart("decades")) == {
        "1960s": 1,
        "1970s": 0,
        "1980s": 1,
        "1990s": 2,
        "2000s": 0,
        "2010s": 12,
        "Start not stated": 15,
    }
    assert table(stats.chart("statuses")) == {
        "Active": 21,
        "Stalled": 4,
        "Exploratory": 3,
        "Ended": 3,
        "Not reported": 0,
    }
    assert stats.chart("countries").rows[0] == ("South Korea", 7)
    assert "Indonesia" not in table(stats.chart("countries"))
    assert table(stats.chart("sectors"))["No sector stated"] == 6
    assert table(stats.chart("levels-id")) == {"City": 11, "Province": 10, "Regency": 10}
    rows = stats.chart("countries").rows
    assert rows == tuple(sorted(rows, key=lambda r: (-r[1], r[0].casefold())))


# -- the charts ----------------------------------------------------------------------------


def test_every_chart_is_well_formed_and_accessible(real_agreements):
    for lang in ("en", "id"):
        for chart in statistics(real_agreements, lang).charts:
            svg = ET.fromstring(str(chart.svg))
            assert svg.tag == f"{SVG}svg"
            assert svg.get("role") == "img"
            assert svg.get("viewBox").startswith("0 0 ")
            assert svg.get("width") is None and svg.get("height") is None  # scales with the page
            title = svg.find(f"{SVG}title")
            assert title.text == chart.title
            assert svg.get("aria-labelledby") == title.get("id") == f"chart-{chart.key}-title"
            labels = svg.findall(f"{SVG}text[@class='chart-label']")
            assert len(labels) == len(chart.rows)
            assert all(t.get("fill") == "currentColor" for t in svg.iter(f"{SVG}text"))


def test_status_bars_use_the_map_colours(real_agreements):
    chart = statistics(real_agreements, "en").chart("statuses")
    svg = ET.fromstring(str(chart.svg))
    drawn = [r.get("fill") for r in svg.iter(f"{SVG}rect")]
    expected = [STATUS_COLOURS[k] for k, (_, n) in zip(STATUS_COLOURS, chart.rows) if n]
    assert drawn == expected


def test_rows_of_what_no_source_states_are_grey(real_agreements):
    stats = statistics(real_agreements, "en")
    for key in ("decades", "sectors"):
        fills = [r.get("fill") for r in ET.fromstring(str(stats.chart(key).svg)).iter(f"{SVG}rect")]
        assert fills[-1] == "#6B6B6B" and set(fills[:-1]) == {"#0072B2"}


def test_a_hostile_label_is_escaped():
    svg = bar_chart([(HOSTILE, 3), ("Japan", 1)], title=HOSTILE, ident='x" onload="alert(1)')
    root = ET.fromstring(svg)  # still one well-formed SVG: nothing closed it early
    assert root.find(f"{SVG}title").text == HOSTILE
    label = root.find(f"{SVG}text")
    assert HOSTILE in "".join(label.itertext())
    assert "<script" not in svg and 'onload="' not in svg
    assert not any(el.tag.endswith("script") for el in root.iter())
    assert root.get("aria-labelledby") == "x-onload-alert-1-title"


def test_long_labels_are_never_cut_but_wrap_above_their_bar():
    long = "Tata kelola pemerintahan dan pertukaran informasi antar daerah"
    root = ET.fromstring(bar_chart([(long, 2), ("Japan", 1)], title="t"))
    label = root.find(f"{SVG}text")
    lines = [span.text for span in label.iter(f"{SVG}tspan")]
    assert len(lines) == 2 and "".join(lines) == long and "…" not in "".join(lines)
    width = int(root.get("viewBox").split()[2])
    assert all(len(line.rstrip()) * 16 * 0.56 <= width - 16 for line in lines)  # each line fits across the chart
    # The label is above its bar: the bar starts below the label's last line.
    first_bar = root.find(f"{SVG}rect")
    assert float(first_bar.get("y")) >= float(label.get("y")) + 16 + 20


def test_bar_lengths_follow_the_counts_and_zero_draws_no_bar():
    root = ET.fromstring(bar_chart([("a", 4), ("b", 2), ("c", 0)], title="t", colour=["#111111", "#222222", "#333333"]))
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert len(widths) == 2 and widths[0] == pytest.approx(2 * widths[1], abs=0.2)
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-value"] == ["4", "2", "0"]


def test_charts_are_deterministic_and_handle_no_rows(real_agreements):
    # The charts do not depend on the order entries arrive in (the files' order on disk, say).
    shuffled = build_index(list(reversed(real_agreements.entries)))
    assert [str(c.svg) for c in statistics(shuffled, "en").charts] == [
        str(c.svg) for c in statistics(real_agreements, "en").charts
    ]
    ET.fromstring(bar_chart([], title="empty"))
    with pytest.raises(ValueError, match="one per row"):
        bar_chart([("a", 1)], title="t", colour=["#000", "#fff"])


# -- the partial ---------------------------------------------------------------------------


def test_stats_body_renders_each_chart_with_its_table(real_agreements):
    stats = statistics(real_agreements, "en")
    soup = BeautifulSoup(partial("stats_body.html", stats=stats), "html.parser")
    sections = soup.select("section.stats-chart")
    assert len(sections) == len(stats.charts) == 7
    for section, chart in zip(sections, stats.charts):
        assert section.select_one(".chart-figure svg[role=img]") is not None
        table_ = section.select_one("table")
        assert table_.caption.get_text() == chart.title
        rows = [(tr.th.get_text(), int(tr.td.get_text())) for tr in table_.select("tbody tr")]
        assert tuple(rows) == chart.rows
    assert f"{stats.total} agreements in the catalogue." in soup.get_text()


def test_stats_body_escapes_a_hostile_country_name(project, monkeypatch):
    monkeypatch.setattr("catalogue.i18n.country", lambda code, lang: HOSTILE)
    stats = statistics(check(project).catalogue, "en")
    html = partial("stats_body.html", stats=stats)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("b") is None
    assert soup.select("section.stats-chart")[3].select_one("tbody th").get_text() == HOSTILE
