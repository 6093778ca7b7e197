"""parsecache.py: what the cache keeps comes back exactly as it went in, and nothing else is kept."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from catalogue.load import RawEntry, load_text
from catalogue.config import Config
from catalogue.parsecache import ParseCache, _decode, _encode, git_blob_id
from conftest import make_project

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


def _git(root, *args):
    env = {**os.environ, "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2020-01-01T00:00:00Z"}
    cmd = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "core.autocrlf=false"]
    return subprocess.run([*cmd, *args], check=True, capture_output=True, env=env).stdout.decode().strip()


def test_a_files_blob_id_is_the_one_git_gives_it(tmp_path):
    (tmp_path / "x.md").write_bytes(ENTRY.format(extra="").encode())
    assert git_blob_id((tmp_path / "x.md").read_bytes()) == _git(tmp_path, "hash-object", "x.md")


def test_versions_known_from_loading_are_the_ones_git_gives(tmp_path, monkeypatch):
    """A cold build learns each committed file's status and as_of from its own parse, and they are git's."""
    from catalogue.dates import read_dates
    from catalogue.site import check

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = make_project(tmp_path)
    entries = sorted(project.agreements.glob("*.md"))
    edited, crlf = entries[0], entries[2]
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))  # read alike, but git's version keeps its \r
    _git(project.root, "init", "-q")
    _git(project.root, "add", "-A")
    _git(project.root, "commit", "-q", "-m", "entries")
    old = edited.read_text(encoding="utf-8")
    assert "status: active" in old
    edited.write_text(old.replace("status: active", "status: stalled"), encoding="utf-8")  # a second version
    _git(project.root, "add", "-A")
    _git(project.root, "commit", "-q", "-m", "stalled")
    cache = ParseCache("env")
    checked = check(project, config=Config(tiles="none"), cache=cache)
    ids = {_git(project.root, "hash-object", str(f)): f for f in entries}
    assert {ids[b] for b in cache.versions if b in ids} == set(entries) - {crlf}  # every file but the one with \r
    learnt = dict(cache.versions)
    assert read_dates(project.root, checked.catalogue, learnt) == read_dates(project.root, checked.catalogue, {})
    assert read_dates(project.root, checked.catalogue, {}).entries  # git knows the entries' versions


def test_validated_records_come_back_from_the_cache_alike_and_are_not_validated_again(tmp_path, monkeypatch):
    from catalogue import parsecache
    from catalogue.incremental import CACHE
    from catalogue.site import check

    project = make_project(tmp_path / "project")
    first = ParseCache("env")
    checked = check(project, config=Config(tiles="none"), cache=first)
    assert len(first.records) == len(checked.catalogue.entries)
    (tmp_path / CACHE).write_bytes(first.to_bytes())
    kept = parsecache.read_cache(tmp_path, "env")
    assert kept._records_before == first.records and kept._entries_before == first.entries
    assert kept._html_before == first.html and kept.versions == first.versions
    assert parsecache.read_cache(tmp_path, "another environment")._records_before == {}
    validated = []
    monkeypatch.setattr(parsecache, "validate", lambda raw, languages: validated.append(raw.path) or [])
    assert check(project, config=Config(tiles="none"), cache=kept).catalogue == checked.catalogue
    assert validated == []  # every record was the kept one
    assert (kept.hits, kept.misses) == (len(checked.catalogue.entries), 0)
    # A digest of a record is kept with it, given again only for the very record kept for the same text.
    record = next(iter(kept.records.values()))
    assert kept.record_digest(record, lambda a: b"first") == b"first"
    assert kept.record_digest(record, lambda a: b"again") == b"first"
    import dataclasses

    assert kept.record_digest(dataclasses.replace(record), lambda a: b"other") == b"other"  # not the kept record
    (tmp_path / CACHE).write_bytes(kept.to_bytes())
    later = parsecache.read_cache(tmp_path, "env")
    check(project, config=Config(tiles="none"), cache=later)
    assert later.record_digest(later.records[next(iter(kept.records))], lambda a: b"again") == b"first"


class _Boom:
    def __reduce__(self):
        return (os.system, ("echo never",))


@pytest.mark.parametrize("kept", [{"k": _Boom()}, {"k": Config()}, ["not", "a", "mapping"], {"k": "text"}])
def test_kept_records_are_read_only_as_the_models_record_types(kept):
    import pickle

    from catalogue.parsecache import read_records

    assert read_records(pickle.dumps(kept)) == {}
    assert read_records(b"not a pickle") == {} and read_records(b"") == {}


@pytest.mark.parametrize(
    "inside", [_Boom(), {"entries": {"k": _Boom()}, "html": {}}, {"entries": Config(), "html": {}}]
)
def test_a_cache_holding_anything_but_plain_values_and_records_is_an_empty_one(tmp_path, inside):
    import pickle

    from catalogue.incremental import CACHE
    from catalogue.parsecache import _head, read_cache

    (tmp_path / CACHE).write_bytes(_head("env") + pickle.dumps(inside))
    cache = read_cache(tmp_path, "env")
    assert cache._entries_before == {} and cache._records_before == {} and cache._html_before == {}
    (tmp_path / CACHE).write_bytes(_head("env") + b"\x80\x05damaged")
    assert read_cache(tmp_path, "env")._entries_before == {}
