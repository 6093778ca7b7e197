"""parsecache.py: what the cache keeps comes back exactly as it went in, and nothing else is kept."""

from __future__ import annotations

import json

import pytest

from catalogue.load import load_text
from catalogue.parsecache import _decode, _encode

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
