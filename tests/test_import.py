"""`catalogue import`: a spreadsheet of ties → entries that pass the check, and a report of every row left out."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from catalogue.site import check
from conftest import make_project

CORPUS = Path(__file__).parent / "data" / "bench" / "twin-cities-wikipedia.csv"  # committed, MIT (see its README)
SOURCE = ["--source-title", "A list of ties", "--as-of", "2024"]

# One row per outcome; the comment says what the importer must make of it.
ROWS = """\
city1,country1,lat1,lng1,city2,country2,lat2,lng2,status
Surakarta,Indonesia,-7.5667,110.8167,Guilin,China,25.2819,110.2864,
Bandung,Indonesia,,,Atlantis,Atlantis,,,
Bogor,Indonesia,,,Nowhereville,Japan,,,
,Indonesia,,,Kisarazu,Japan,,,
Semarang,Indonesia,,,Tinyvillage,Australia,51.28,1.08,
Solo Baru,Indonesia,-7.5667,110.8167,Guilin,China,,,
Depok,Indonesia,,,Kampung Nol,Japan,abc,140,
Malang,Indonesia,,,malang,ID,,,
Guilin,China,,,Surakarta,Indonesia,,,
Surakarta,ID,,,Xi'an,China,,,
Medan,Indonesia,52.26,10.52,Halle,Germany,51.4824,11.9713,
Ngargoyoso,Indonesia,-7.6167,111.1167,Pasadena,United States,34.1477,-118.1442,
Jawa Barat,Indonesia,,,Tangshan,China,,,actve

Jawa Barat,Indonesia,,,Kyoto,Jepang,,,stalled
"""
# Row 2: valid, both in the gazetteer (the CSV points agree with it).
# Row 3: country not recognised.  Row 4: a place neither the gazetteer nor the row can place.
# Row 5: no name.  Row 6: a point in England for a place in Australia.
# Row 7: Surakarta's point (row 2) for another name, which the gazetteer puts there.
# Row 8: coordinates that are not numbers, for a place the gazetteer does not know.
# Row 9: one place on both sides.  Row 10: row 2 again, the other way round.
# Row 11: the fixture's surakarta-xian.md.  Row 12: Medan's CSV point is in Germany: the gazetteer wins;
#   Halle's is Halle (Saale), a namesake of the Halle the gazetteer ranks first: the CSV point pins it.
# Row 13: Ngargoyoso (a district, not in the gazetteer) by its CSV point; Pasadena, California, a namesake of Pasadena,
# Texas.
# Row 14: a misspelt status.  Row 15: blank, skipped.  Row 16: Jawa Barat from places.yaml.
# So 4 entries: rows 2, 12, 13 and 16.

REPORT = [
    "ties.csv: 14 rows; 4 became entries, written to {out}.",
    "10 rows were not imported:",
    "       1  country not recognised",
    "            row 3: 'Atlantis' (country2) is not a country name or code",
    "       2  place not found",
    "            row 4: Nowhereville (JP) is not in the gazetteer and the row gives no coordinates",
    "            row 5: no name in column city1",
    "       3  bad coordinates",
    "            row 6: Tinyvillage (AU): (51.28, 1.08) is in or near United Kingdom, more than 150 km from any city "
    "of Australia",
    "            row 7: Solo Baru (ID): (-7.5667, 110.8167) is the point of Surakarta (ID), which the gazetteer puts "
    "there",
    "            row 8: Kampung Nol (JP): coordinates 'abc', '140' are not numbers, and the gazetteer does not know it",
    "       1  same place on both sides",
    "            row 9: Malang (ID) is on both sides",
    "       2  duplicate of an existing entry",
    "            row 10: Surakarta – Guilin (sister-city) is already entered in row 2",
    "            row 11: Surakarta – Xi'an (sister-city) is already entered in content/agreements/surakarta-xian.md",
    "       1  does not validate",
    "            row 14: status: 'actve' is not one of: active, stalled, exploratory, ended, not-reported (did you "
    "mean 'active'?)",
    "Parties of the imported rows placed:",
    "       1  by content/places.yaml",
    "       3  by the gazetteer",
    "       1  by the CSV's coordinates (not in the gazetteer, but near their country's cities)",
    "       2  by the CSV's coordinates (a namesake of the gazetteer's city)",
    "       1  by the gazetteer instead of the CSV's coordinates (more than 50 km apart)",
]


def run(*args: str):
    return CliRunner().invoke(main, ["import", *args])


@pytest.fixture
def ties(tmp_path) -> Path:
    path = tmp_path / "ties.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


def report_lines(result) -> list[str]:
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("Done in ") and lines[-1].endswith(" s.")
    return lines[:-1]


def test_every_kind_of_row_and_the_exact_report(project, ties, tmp_path):
    rejected = tmp_path / "rejected.csv"
    result = run(str(ties), "--root", str(project.root), "--status", "active", *SOURCE, "--report", str(rejected))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert report_lines(result) == [line.format(out=project.agreements) for line in REPORT] + [
        f"Rows not imported, with their reasons: {rejected}"
    ]
    with open(rejected, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["row", "reason", "detail", "name1", "country1", "name2", "country2"]
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("3", "country not recognised"),
        ("4", "place not found"),
        ("5", "place not found"),
        ("6", "bad coordinates"),
        ("7", "bad coordinates"),
        ("8", "bad coordinates"),
        ("9", "same place on both sides"),
        ("10", "duplicate of an existing entry"),
        ("11", "duplicate of an existing entry"),
        ("14", "does not validate"),
    ]
    assert rows[1][2:] == [
        "'Atlantis' (country2) is not a country name or code",
        "Bandung",
        "Indonesia",
        "Atlantis",
        "Atlantis",
    ]

    written = sorted(p.name for p in project.agreements.glob("*.md"))
    assert written == [
        "jawa-barat-kyoto.md",
        "jawa-barat-penang.md",
        "medan-halle.md",
        "ngargoyoso-pasadena.md",
        "sragen-usaid.md",
        "surakarta-guilin.md",
        "surakarta-xian.md",
    ]
    halle = (project.agreements / "medan-halle.md").read_text(encoding="utf-8")
    assert (
        "  - name: Medan\n    level: city\n    country: ID\n  - name: Halle\n    level: city\n    country: DE\n    "
        "coordinates: [51.4824, 11.9713]\n" in halle
    )
    assert "status: active\nas_of: 2024\nsources:\n  - title: A list of ties\n" in halle
    kyoto = (project.agreements / "jawa-barat-kyoto.md").read_text(encoding="utf-8")
    assert "status: stalled" in kyoto
    assert kyoto.endswith(
        "<!-- Imported by `catalogue import` from row 16 of ties.csv. Write what the source says about this tie. -->\n"
    )
    catalogue = check(project).catalogue  # every written entry passes the whole check
    assert len(catalogue.entries) == 3 + 4


def test_a_dry_run_writes_nothing_and_reports_the_same(project, ties):
    before = sorted(project.agreements.iterdir())
    result = run(str(ties), "--root", str(project.root), "--status", "active", *SOURCE, "--dry-run")
    assert result.exit_code == 0, result.output
    lines = report_lines(result)
    assert (
        lines[0] == "ties.csv: 14 rows; 4 became entries, would be written (dry run: nothing was written) to "
        f"{project.agreements}."
    )
    assert lines[1:] == REPORT[1:]
    assert sorted(project.agreements.iterdir()) == before


def test_importing_again_adds_nothing(project, ties):
    args = [str(ties), "--root", str(project.root), "--status", "active", *SOURCE]
    assert run(*args).exit_code == 0
    before = {p.name: p.read_bytes() for p in project.agreements.glob("*.md")}
    again = run(*args)
    assert report_lines(again)[:3] == [
        "ties.csv: 14 rows; 0 became entries, written to " + f"{project.agreements}.",
        "14 rows were not imported:",
        "       1  country not recognised",
    ]
    assert "       6  duplicate of an existing entry" in again.stdout  # rows 10 and 11, and the 4 imported
    assert {p.name: p.read_bytes() for p in project.agreements.glob("*.md")} == before


def test_same_input_same_files(tmp_path, ties):
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert run(str(ties), "--root", str(tmp_path), "--out", str(out), "--status", "active", *SOURCE).exit_code == 0
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    # An empty --out holds no surakarta-xian.md, and without places.yaml Jawa Barat cannot be placed.
    assert sorted(outputs[0]) == [
        "medan-halle.md",
        "ngargoyoso-pasadena.md",
        "surakarta-guilin.md",
        "surakarta-xian.md",
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--map", "name1=kota"],
            "Error: --map name1=kota: the CSV has no column 'kota'; its columns are: city1, country1, lat1, lng1, "
            "city2, country2, lat2, lng2, status",
        ),
        (
            ["--map", "nama1=city1"],
            "Error: --map 'nama1=city1': no field 'nama1' (did you mean 'name1'?); the fields are: name1, country1, "
            "lat1, lon1, level1, region1, name2, country2, lat2, lon2, level2, region2, kind, status, as_of, "
            "since, source_title, source_url",
        ),
        (["--map", "name1"], "Error: --map 'name1' must be FIELD=COLUMN, e.g. --map name1=city1"),
    ],
)
def test_a_bad_mapping_is_a_usage_error_naming_the_fix(project, ties, args, message):
    result = run(str(ties), "--root", str(project.root), "--status", "active", *SOURCE, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_status_as_of_and_source_are_required_when_no_column_gives_them(project, tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("city1,country1,city2,country2\nSurakarta,ID,Guilin,CN\n", encoding="utf-8")
    result = run(str(plain), "--root", str(project.root), "--source-title", "x", "--as-of", "2024")
    assert result.exit_code == 2
    assert (
        "Error: the CSV has no status column, and every entry needs one: pass --status for all rows, or --map "
        "status=COLUMN" in result.stderr
    )
    result = run(str(plain), "--root", str(project.root), "--status", "active", "--as-of", "2024")
    assert (
        "Error: the CSV has no source_title column, and every entry needs one: pass --source-title for all rows, or "
        "--map source_title=COLUMN" in result.stderr
    )


def test_a_mapping_reads_other_columns(project, tmp_path):
    sheet = tmp_path / "kota.csv"
    sheet.write_text(
        "kota;negara;mitra;negara mitra;sumber;sejak\nSurakarta;Indonesia;Guilin;Tiongkok;Makalah 2017;2016-11\n",
        encoding="utf-8",
    )
    maps = [
        "name1=kota",
        "country1=negara",
        "name2=mitra",
        "country2=negara mitra",
        "source_title=sumber",
        "since=sejak",
    ]
    result = run(
        str(sheet),
        "--root",
        str(project.root),
        "--status",
        "stalled",
        "--as-of",
        "2017",
        *itertools.chain.from_iterable(("--map", m) for m in maps),
    )
    assert result.exit_code == 0, result.output
    text = (project.agreements / "surakarta-guilin.md").read_text(encoding="utf-8")
    assert "country: CN" in text and "since: 2016-11" in text and "  - title: Makalah 2017" in text


def test_a_csv_that_is_not_utf8_or_not_there(project, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("city1,country1,city2,country2\nK\xf6ln,DE,Surakarta,ID\n".encode("latin-1"))
    result = run(str(latin), "--root", str(project.root), "--status", "active", *SOURCE)
    assert result.exit_code == 2
    assert f"Error: {latin}:2: not UTF-8 text; save the spreadsheet as 'CSV UTF-8'" in result.stderr
    result = run(str(tmp_path / "missing.csv"), "--root", str(project.root))
    assert result.exit_code == 2 and "does not exist" in result.stderr and "Traceback" not in result.output


def test_200_rows_of_the_real_corpus_all_pass_the_check(tmp_path):
    project = make_project(tmp_path)
    # The corpus is ties between any places (its first rows are Albanian): a catalogue with no home country.
    (project.root / "catalogue.toml").write_text('home_country = ""\n', encoding="utf-8")
    sample = tmp_path / "sample.csv"
    with open(CORPUS, encoding="utf-8") as f:
        sample.write_text("".join(itertools.islice(f, 201)), encoding="utf-8")
    result = run(
        str(sample),
        "--root",
        str(project.root),
        "--status",
        "active",
        "--as-of",
        "unknown",
        "--source-title",
        "Wikipedia via Hekman/twincities",
    )
    assert result.exit_code == 0, result.output
    written = int(result.stdout.split("; ", 1)[1].split(" ")[0])
    assert written > 150
    assert len(list(project.agreements.glob("*.md"))) == 3 + written
    assert len(check(project).catalogue.entries) == 3 + written  # raises CatalogueError listing any problem


def test_an_empty_as_of_cell_is_reported_as_empty_not_as_the_date_none(project, tmp_path):
    # The CSV has an as_of column, so --as-of is not needed; one row leaves the cell empty.
    sheet = tmp_path / "dated.csv"
    sheet.write_text(
        "city1,country1,city2,country2,as_of\nSurakarta,ID,Guilin,CN,\nBandung,ID,Kyoto,JP,2019\n", encoding="utf-8"
    )
    result = run(str(sheet), "--root", str(project.root), "--status", "active", "--source-title", "A list of ties")
    assert result.exit_code == 0, result.output
    assert "            row 2: as_of: is empty; it is required: " in result.stdout
    assert "'None'" not in result.stdout
    assert (project.agreements / "bandung-kyoto.md").exists()
    assert not (project.agreements / "surakarta-guilin.md").exists()
