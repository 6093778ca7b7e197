"""load.py: files → RawEntry, with the front matter split off and the line of every field."""

from __future__ import annotations

import pytest

from catalogue.load import RawEntry, load_file, load_folder, parse_yaml, split_front_matter
from catalogue.problems import Problem

ENTRY = """\
---
# Field reference: README.md
parties:
  - name: Surakarta
    level: city
    country: ID
  - name: Xi'an
    level: city
    country: CN
    region: Shaanxi
status: stalled
as_of: 2017
since: 2015-09-25
sectors: [trade, culture]
progress:
  trade:
    state: not-done
sources:
  - title: A paper
    accessed: 2016-11
---
The body, **in Markdown**.
"""


def write(tmp_path, name, content):
    file = tmp_path / name
    if isinstance(content, bytes):
        file.write_bytes(content)
    else:
        file.write_text(content, encoding="utf-8")
    return file


# -- splitting ---------------------------------------------------------------


def test_split_front_matter_returns_the_fields_their_first_line_and_the_body():
    assert split_front_matter("---\nstatus: active\n---\nBody.\n", "x.md") == ("status: active\n", 2, "Body.\n")


def test_split_front_matter_skips_blank_lines_before_the_body():
    assert split_front_matter("---\na: 1\n---\n\n\nBody.", "x.md") == ("a: 1\n", 2, "Body.")


def test_split_front_matter_accepts_fences_with_trailing_spaces_and_windows_line_ends():
    assert split_front_matter("---  \r\na: 1\r\n---\t\r\nBody.\r\n", "x.md") == ("a: 1\r\n", 2, "Body.\r\n")


def test_split_front_matter_only_treats_a_line_of_exactly_three_dashes_as_a_fence():
    front, _, body = split_front_matter("---\ntitle: a\n----\nb: 2\n---\nBody.", "x.md")
    assert (front, body) == ("title: a\n----\nb: 2\n", "Body.")


def test_split_front_matter_keeps_later_fences_in_the_body():
    assert split_front_matter("---\na: 1\n---\nOne\n---\nTwo\n", "x.md") == ("a: 1\n", 2, "One\n---\nTwo\n")


def test_split_front_matter_of_an_empty_block():
    assert split_front_matter("---\n---\nBody.", "x.md") == ("", 2, "Body.")


def test_split_front_matter_without_an_opening_fence():
    assert split_front_matter("status: active\n---\n", "x.md") == Problem(
        "x.md", 1, "", "no front matter; the file must start with a line '---', then the fields, then a line '---'"
    )


def test_split_front_matter_with_text_before_the_fence():
    assert split_front_matter("\n---\na: 1\n---\n", "x.md") == Problem(
        "x.md", 1, "", "no front matter; the file must start with a line '---', then the fields, then a line '---'"
    )


def test_split_front_matter_without_a_closing_fence():
    assert split_front_matter("---\nstatus: active\nBody.\n", "x.md") == Problem(
        "x.md", 1, "", "the front matter is not closed; add a line '---' after the last field"
    )


# -- line numbers ------------------------------------------------------------

EXPECTED_LINES = {
    (): 3,
    ("parties",): 3,
    ("parties", 0): 4,
    ("parties", 0, "name"): 4,
    ("parties", 0, "country"): 6,
    ("parties", 1): 7,
    ("parties", 1, "name"): 7,
    ("parties", 1, "level"): 8,
    ("parties", 1, "country"): 9,
    ("parties", 1, "region"): 10,
    ("status",): 11,
    ("since",): 13,
    ("sectors",): 14,
    ("sectors", 0): 14,
    ("sectors", 1): 14,
    ("progress",): 15,
    ("progress", "trade"): 16,
    ("progress", "trade", "state"): 17,
    ("sources",): 18,
    ("sources", 0, "title"): 19,
    ("sources", 0, "accessed"): 20,
}


@pytest.mark.parametrize("prefix", ["", "\ufeff"], ids=["plain", "bom"])
def test_every_field_has_its_line_in_the_file_counting_the_fence_and_comments(tmp_path, prefix):
    raw = load_file(write(tmp_path, "surakarta-xian.md", prefix + ENTRY), tmp_path)
    assert isinstance(raw, RawEntry)
    for path, line in EXPECTED_LINES.items():
        assert raw.line(*path) == line, path


def test_windows_line_ends_do_not_change_line_numbers(tmp_path):
    raw = load_file(write(tmp_path, "surakarta-xian.md", ENTRY.replace("\n", "\r\n").encode()), tmp_path)
    assert [raw.line(*path) for path in EXPECTED_LINES] == list(EXPECTED_LINES.values())
    assert raw.body == "The body, **in Markdown**.\n"


def test_a_field_without_a_line_falls_back_to_the_nearest_enclosing_field(tmp_path):
    raw = load_file(write(tmp_path, "surakarta-xian.md", ENTRY), tmp_path)
    assert raw.line("parties", 1, "coordinates") == 7
    assert raw.line("documents") == 3  # not in the file at all: the first field
    assert raw.line("sources", 0, "url") == 19


def test_a_multi_line_value_has_the_line_of_its_key(tmp_path):
    text = "---\nstatus: active\nnote: >-\n  one\n  two\nkind: cooperation\n---\n"
    raw = load_file(write(tmp_path, "x.md", text), tmp_path)
    assert (raw.line("note"), raw.line("kind")) == (3, 6)


def test_load_file_keeps_path_slug_and_body(tmp_path):
    folder = tmp_path / "content" / "agreements"
    folder.mkdir(parents=True)
    raw = load_file(write(folder, "surakarta-xian.md", ENTRY), tmp_path)
    assert (raw.path, raw.slug, raw.body) == (
        "content/agreements/surakarta-xian.md",
        "surakarta-xian",
        "The body, **in Markdown**.\n",
    )
    assert raw.meta["parties"][1] == {"name": "Xi'an", "level": "city", "country": "CN", "region": "Shaanxi"}


# -- values as written ---------------------------------------------------------


def test_dates_stay_text_and_years_stay_numbers(tmp_path):
    raw = load_file(write(tmp_path, "x.md", ENTRY), tmp_path)
    assert raw.meta["since"] == "2015-09-25" and type(raw.meta["since"]) is str
    assert raw.meta["sources"][0]["accessed"] == "2016-11" and type(raw.meta["sources"][0]["accessed"]) is str
    assert raw.meta["as_of"] == 2017 and type(raw.meta["as_of"]) is int


def test_parse_yaml_reads_no_timestamps_anywhere():
    data, _ = parse_yaml("a: 1985\nb: 2015-09-25\nc: [2016-11, 2001-01-01 10:00:00]\nd: {e: 2020-02-29}\n", "x.yaml")
    assert data == {"a": 1985, "b": "2015-09-25", "c": ["2016-11", "2001-01-01 10:00:00"], "d": {"e": "2020-02-29"}}


def test_only_true_and_false_are_booleans_so_norway_stays_no():
    data, _ = parse_yaml("country: NO\nNO: [59.9, 10.7]\nflags: [yes, no, on, off, true, False]\n", "x.yaml")
    assert data == {"country": "NO", "NO": [59.9, 10.7], "flags": ["yes", "no", "on", "off", True, False]}


def test_parse_yaml_counts_lines_from_first_line():
    _, lines = parse_yaml("a: 1\nb:\n  - c: 2\n", "x.md", first_line=5)
    assert lines == {(): 5, ("a",): 5, ("b",): 6, ("b", 0): 7, ("b", 0, "c"): 7}


# -- what cannot be read -------------------------------------------------------


def test_yaml_syntax_error_points_at_its_line_in_the_file(tmp_path):
    text = ENTRY.replace("  - title: A paper", "  - title: Laporan: A paper")
    assert load_file(write(tmp_path, "x.md", text), tmp_path) == Problem(
        "x.md",
        19,
        "",
        "YAML syntax error: mapping values are not allowed in this context; "
        "check the indentation and quote values that contain ': ' or start with a special character",
    )


def test_yaml_syntax_error_after_a_bom_and_a_comment(tmp_path):
    text = "\ufeff---\n# a comment\n# another\nstatus: [active\n---\n"
    problem = load_file(write(tmp_path, "x.md", text), tmp_path)
    assert isinstance(problem, Problem)
    assert (problem.path, problem.line, problem.field) == ("x.md", 5, "")
    assert problem.message.startswith("YAML syntax error: ")


def test_a_field_given_twice_is_a_problem_not_a_silent_overwrite(tmp_path):
    text = ENTRY.replace("    region: Shaanxi\n", "    region: Shaanxi\n    name: Xian\n")
    assert load_file(write(tmp_path, "x.md", text), tmp_path) == Problem(
        "x.md", 11, "parties.1.name", "is given twice, on lines 7 and 11; keep one of them"
    )


def test_a_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte(tmp_path):
    content = "---\nstatus: active\nnote: Caf\xe9\n---\n".encode("latin-1")
    assert load_file(write(tmp_path, "x.md", content), tmp_path) == Problem(
        "x.md", 3, "", "not UTF-8 text: byte 0xe9 on this line cannot be read; save the file as UTF-8"
    )


@pytest.mark.parametrize("front", ["", "# only a comment\n", "\n\n"], ids=["nothing", "comment", "blank-lines"])
def test_empty_front_matter_gives_an_entry_with_no_fields(tmp_path, front):
    raw = load_file(write(tmp_path, "x.md", f"---\n{front}---\nBody.\n"), tmp_path)
    assert isinstance(raw, RawEntry)
    assert (raw.meta, raw.body, raw.line("status")) == ({}, "Body.\n", 2)


@pytest.mark.parametrize("front, line", [("- a\n- b\n", 2), ("# c\njust text\n", 3), ("42\n", 2)])
def test_front_matter_that_is_not_fields(tmp_path, front, line):
    assert load_file(write(tmp_path, "x.md", f"---\n{front}---\n"), tmp_path) == Problem(
        "x.md", line, "", "the front matter must be a set of 'field: value' lines, not a list or a single value"
    )


def test_load_folder_separates_entries_from_problems_in_path_order(tmp_path):
    folder = tmp_path / "content" / "agreements"
    (folder / "b").mkdir(parents=True)
    write(folder, "z.md", ENTRY)
    write(folder / "b", "a.md", ENTRY)
    write(folder, "broken.md", "no fence\n")
    write(folder, "notes.txt", "not an entry")
    entries, problems = load_folder(folder, tmp_path)
    assert [e.path for e in entries] == ["content/agreements/b/a.md", "content/agreements/z.md"]
    assert [str(p) for p in problems] == [
        "content/agreements/broken.md:1: no front matter; the file must start with a line '---', then the fields, "
        "then a line '---'"
    ]


OUTSIDE = (
    "lies outside the catalogue's folder (through a linked folder); content files must be ordinary files in the "
    "repository"
)


def _linked_agreements(tmp_path, target):
    """A catalogue at tmp_path/catalogue whose content/agreements is a link to target (made with two entries)."""
    root = tmp_path / "catalogue"
    (root / "content").mkdir(parents=True)
    target.mkdir(parents=True, exist_ok=True)
    write(target, "a.md", ENTRY)
    write(target, "b.md", ENTRY)
    (root / "content" / "agreements").symlink_to(target)
    return root


def test_a_linked_folder_leading_outside_is_refused_file_by_file(tmp_path):
    root = _linked_agreements(tmp_path, tmp_path / "elsewhere")
    entries, problems = load_folder(root / "content" / "agreements", root)
    assert entries == []
    shown = [(root / "content" / "agreements" / name).as_posix() for name in ("a.md", "b.md")]
    assert [str(p) for p in problems] == [f"{path}: {OUTSIDE}" for path in shown]


def test_a_linked_folder_inside_the_catalogue_is_read_and_shown_where_it_lies(tmp_path):
    root = _linked_agreements(tmp_path, tmp_path / "catalogue" / "data" / "ties")
    entries, problems = load_folder(root / "content" / "agreements", root)
    assert problems == []
    assert [e.path for e in entries] == ["data/ties/a.md", "data/ties/b.md"]


def test_a_catalogue_reached_through_a_link_reads_as_itself(tmp_path):
    folder = tmp_path / "real" / "content" / "agreements"
    folder.mkdir(parents=True)
    write(folder, "a.md", ENTRY)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    root = tmp_path / "link"
    entries, problems = load_folder(root / "content" / "agreements", root)
    assert (problems, [e.path for e in entries]) == ([], ["content/agreements/a.md"])


def test_a_loop_of_linked_folders_reads_nothing_and_raises_nothing(tmp_path):
    root = tmp_path / "catalogue"
    (root / "content").mkdir(parents=True)
    (root / "content" / "x").symlink_to(root / "content" / "y")
    (root / "content" / "y").symlink_to(root / "content" / "x")
    (root / "content" / "agreements").symlink_to(root / "content" / "x")
    assert load_folder(root / "content" / "agreements", root) == ([], [])
    # A file named inside the loop is refused, never read.
    problem = load_file(root / "content" / "agreements" / "a.md", root)
    assert isinstance(problem, Problem) and problem.path == (root / "content/agreements/a.md").as_posix()


def test_one_folder_resolved_for_many_files_matches_resolving_each(tmp_path):
    from catalogue.files import Folder
    from catalogue.problems import relative

    root = _linked_agreements(tmp_path, tmp_path / "catalogue" / "data")
    (root / "content" / "pages").mkdir()
    (root / "content" / "out").symlink_to(tmp_path)
    folder = Folder(root)
    names = ["content/agreements/a.md", "content/pages/about.md", "content/out/x.md", "catalogue.toml", "x/../y.md"]
    for name in names:
        assert folder.relative(root / name) == relative(root / name, root)
