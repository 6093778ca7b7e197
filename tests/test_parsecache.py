"""parsecache.py: what the cache keeps comes back exactly as it went in, and nothing else is kept."""

from __future__ import annotations

import json

import pytest

from catalogue.load import RawEntry, load_text
from catalogue.parsecache import ParseCache, _decode, _encode

ENTRY = "---\nparties:\n  - name: Surakarta\n    coordinates: [-7.5, 110.8]\n{extra}---\nThe body.\n"


@pytest.mark.parametrize(
    "extra",
    ["", "since: 2015\n", "note: null\nflag: true\n", "big: 12345678901234567890\n", "nested: {a: [1, {b: c}]}\n"],
)
def test_plain_front_matter_is_kept_and_comes_back_alike(extra):
    raw = load_text(ENTRY.format(extra=extra), "content/agreements/x.md", "x")
    record = _encode(raw)
    assert record is not None
    back = _decode(json.loads(json.dumps(record, ensure_ascii=False)))
    assert back == raw and repr(back.meta) == repr(raw.meta)  # the same values, of the same types


@pytest.mark.parametrize(
    "extra", ["1: a\n", "null: a\n", "x: .nan\n", "x: .inf\n", "x: [1, -.inf]\n", "x: {1.5: a}\n", "true: 1\n"]
)
def test_front_matter_json_would_change_is_not_kept(extra):
    raw = load_text(ENTRY.format(extra=extra), "content/agreements/x.md", "x")
    assert not isinstance(raw, type(None)) and hasattr(raw, "meta")
    assert _encode(raw) is None


def _through_json(record):
    return json.loads(json.dumps(record, ensure_ascii=False))


def test_lines_are_kept_as_numbers_alone_when_they_follow_the_front_matter_and_come_back_alike():
    raw = load_text(ENTRY.format(extra="sectors: [trade, culture]\nsince: 2015\n"), "content/agreements/x.md", "x")
    record = _encode(raw)
    assert record is not None and "lines" not in record and all(isinstance(n, int) for n in record["at"])
    assert _decode(_through_json(record)) == raw
    assert list(_decode(_through_json(record)).lines) == list(raw.lines)  # in the same order


def test_lines_in_another_order_are_kept_with_their_fields():
    raw = load_text(ENTRY.format(extra="since: 2015\n"), "content/agreements/x.md", "x")
    shuffled = RawEntry(raw.path, raw.slug, raw.meta, raw.body, dict(reversed(list(raw.lines.items()))))
    record = _encode(shuffled)
    assert record is not None and "at" not in record
    back = _decode(_through_json(record))
    assert back == shuffled and list(back.lines) == list(shuffled.lines)


@pytest.mark.parametrize("damage", [lambda at: at[:-1], lambda at: [*at, 9], lambda at: ["4", *at[1:]]])
def test_a_damaged_cache_entry_is_parsed_again(tmp_path, damage):
    text = ENTRY.format(extra="since: 2015\n")
    (tmp_path / "x.md").write_text(text, encoding="utf-8")
    first = ParseCache("env")
    parsed = first.load_file(tmp_path / "x.md", tmp_path)
    (key, record), *_ = first.entries.items()
    damaged = ParseCache("env", {key: {**record, "at": damage(record["at"])}})
    assert damaged.load_file(tmp_path / "x.md", tmp_path) == parsed
    assert (damaged.hits, damaged.misses) == (0, 1)
    intact = ParseCache("env", {key: _through_json(record)})
    assert intact.load_file(tmp_path / "x.md", tmp_path) == parsed and (intact.hits, intact.misses) == (1, 0)
