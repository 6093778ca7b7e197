"""The parse cache: entry files parsed once per content, kept with the site between builds.

Keyed by the hash of what is parsed, never by a file's modification time, so a fresh checkout
(CI) hits it as well as a contributor's second build:

- an entry file's front matter, fields' lines and body (load.RawEntry) by the hash of its path and text;
- a Markdown body's sanitised HTML (markup.to_html) by the hash of its text;
- the status and as_of each past version of an entry writes (history.load_versions), by its git blob id; a file
  loaded now gives its own (the version git stores for its bytes), so a first build asks git for older ones only.

Beside them, each entry file's record as validated (validate.validate: a model.Agreement), by the same key as its
parsed front matter: a rebuild validates only the files whose text changed; the rules across files (slugs, ties
entered twice, aliases) still run over every record (validate.check_across).

Only plain front matter is kept (what JSON could write and give back alike: text, true/false, null, whole and
finite numbers, lists and mappings by text of those); anything else is parsed every time. The cache is valid only
for the build environment that wrote it (incremental.environment_digest: this package's code among it), and holds
only what the build that wrote it used, so it never grows stale.

Kept as a line naming its format and environment, then one pickle: the only format that gives 25k frozen records
back as they were in a fraction of a second (JSON took seconds to write and read at that size, and cannot hold the
records). It is read by an unpickler that builds plain values and the record types of catalogue.model
(RECORD_TYPES), nothing else: the state folder is the build's own, never content a pull request brings, and even a
tampered file could not name a callable to run. A damaged or foreign file is an empty cache: a full parse.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import pickle
from pathlib import Path
from collections.abc import Iterator
from typing import Any, Callable

from .files import Folder, folder as as_folder
from .history import status_written
from .incremental import CACHE
from .load import FieldPath, RawEntry, load_text
from .model import Agreement, Document, Observation, PartialDate, Party, Progress, Source, Text
from .problems import Problem
from .validate import validate

FORMAT = 3

# A RawEntry as the cache's JSON holds it: path, slug, meta (parsed YAML), body, and the fields' lines: "at", the
# lines alone in the order of _paths(meta) (the order parse_yaml finds fields in), else "lines", [[field path, line],
# ...]. The lines alone are a tenth of the objects to read back: half the cache's bytes were the paths.
Record = dict[str, Any]


# What the kept records may hold besides plain values (str, numbers, tuples, None): the model's record types.
RECORD_TYPES = {
    cls.__name__: cls for cls in (Agreement, Party, PartialDate, Document, Progress, Source, Observation, Text)
}


class _Kept(pickle.Unpickler):
    """Unpickles the kept cache: plain values (which name no class), the record types of catalogue.model, and nothing
    else: no other class, no callable."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "catalogue.model" and name in RECORD_TYPES:
            return RECORD_TYPES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not a record type")


def read_records(data: bytes) -> dict[str, Agreement]:
    """Records pickled (ParseCache.to_bytes keeps them so); none when they cannot be read as record types."""
    if not data:
        return {}
    try:
        records = _Kept(io.BytesIO(data)).load()
    except Exception:  # a damaged or foreign pickle fails in many ways; each means: validate again
        return {}
    return _records(records)


def _records(records: object) -> dict[str, Agreement]:
    if not isinstance(records, dict) or not all(type(k) is str and type(v) is Agreement for k, v in records.items()):
        return {}
    return records


def git_blob_id(data: bytes) -> str:
    """The id git gives a file of these bytes (SHA-1 object format), as `git hash-object` prints it."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _encode(raw: RawEntry) -> Record | None:
    """raw as the cache holds it, or None when JSON would not give it back exactly as it is."""
    if not _plain(raw.meta):
        return None
    return {
        "path": raw.path,
        "slug": raw.slug,
        "meta": raw.meta,
        "body": raw.body,
        **(
            {"at": list(raw.lines.values())}
            if list(raw.lines) == _paths(raw.meta)
            else {"lines": [[list(field), line] for field, line in raw.lines.items()]}
        ),
    }


def _paths(value: Any, path: FieldPath = ()) -> list[FieldPath]:
    """Where every value in parsed YAML sits: the whole first, then each mapping's and list's values, depth first."""
    found = [path]
    if type(value) is dict:
        for key, item in value.items():
            found += _paths(item, path + (key,))
    elif type(value) is list:
        for i, item in enumerate(value):
            found += _paths(item, path + (i,))
    return found


# Above this many bits an int has more than 4,300 digits, which json (int_max_str_digits) refuses to write.
_MAX_INT_BITS = 14_000


def _plain(value: Any) -> bool:
    """True when JSON gives value back equal and of the same types: text, true/false, null, whole numbers JSON can
    write, finite numbers, and lists and mappings by text of those (a mapping's order is kept). Parsed YAML holds
    nothing else but mappings by other keys (1: or null:), infinities and NaN."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return bool(value.bit_length() <= _MAX_INT_BITS)
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(_plain(item) for item in value)
    if kind is dict:
        return all(type(key) is str and _plain(item) for key, item in value.items())
    return False


def _decode(record: Record) -> RawEntry:
    return RawEntry(
        path=record["path"],
        slug=record["slug"],
        meta=record["meta"],
        body=record["body"],
        lines=_lines(record),
    )


def _lines(record: Record) -> dict[FieldPath, int]:
    if "at" not in record:
        return {tuple(field): line for field, line in record["lines"]}
    meta, lines = record["meta"], record["at"]
    if type(lines) is not list or _count(meta) != len(lines) or not all(type(line) is int for line in lines):
        raise ValueError("a damaged cache")
    return _Lines(meta, lines)


def _count(value: Any) -> int:
    """len(_paths(value)), without making the paths (a value that holds none counts one, without a call)."""
    kind = type(value)
    items = value.values() if kind is dict else value if kind is list else ()
    count = 1
    for item in items:
        inner = type(item)
        count += _count(item) if inner is dict or inner is list else 1
    return count


class _Lines(dict[FieldPath, int]):
    """A kept entry's fields' lines, paired with their fields (_paths) when first read: most builds read no line of
    an unchanged entry (only a problem names one), and pairing them is most of what reading an entry back costs."""

    def __init__(self, meta: Any, lines: list[int]) -> None:
        super().__init__()
        self._pending: tuple[Any, list[int]] | None = (meta, lines)

    def _fill(self) -> None:
        if self._pending is not None:
            meta, lines = self._pending
            self._pending = None
            dict.update(self, zip(_paths(meta), lines))

    def __getitem__(self, key: FieldPath) -> int:
        self._fill()
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        self._fill()
        return dict.__contains__(self, key)

    def get(self, key: FieldPath, default: Any = None) -> Any:
        self._fill()
        return dict.get(self, key, default)

    def __iter__(self) -> Iterator[FieldPath]:
        self._fill()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._fill()
        return dict.__len__(self)

    def keys(self) -> Any:  # dict_keys, as dict's
        self._fill()
        return dict.keys(self)

    def values(self) -> Any:  # dict_values, as dict's
        self._fill()
        return dict.values(self)

    def items(self) -> Any:  # dict_items, as dict's
        self._fill()
        return dict.items(self)

    def __eq__(self, other: object) -> bool:
        self._fill()
        if isinstance(other, _Lines):
            other._fill()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # a dict: not hashable

    def __repr__(self) -> str:
        self._fill()
        return dict.__repr__(self)

    def __reduce__(self) -> tuple[type[dict[FieldPath, int]], tuple[dict[FieldPath, int]]]:
        self._fill()
        return (dict, (dict(dict.items(self)),))


class ParseCache:
    """What the previous build parsed, and what this one parses (written with the new site)."""

    def __init__(
        self,
        environment: str = "",
        entries: dict[str, Record] | None = None,
        html: dict[str, str] | None = None,
        versions: dict[str, object] | None = None,
        records: dict[str, Agreement] | None = None,
        digests: dict[str, bytes] | None = None,
    ) -> None:
        self.environment = environment
        self._entries_before, self._html_before = entries or {}, html or {}
        self._records_before = records or {}
        self._digests_before = digests or {}
        self.digests: dict[str, bytes] = {}  # key → a digest of the record (record_digest), for the records kept
        self.records: dict[str, Agreement] = {}  # key → the entry as validated, for the files loaded this build
        self._keys: dict[str, str] = {}  # an entry's path → the key of the text loaded from it this build
        # blob id → (status, as_of); filled in by the dates stage (dates.read_dates)
        self.versions: dict[str, tuple[str | None, str | None]] = {
            str(blob): (v[0], v[1])
            for blob, v in (versions or {}).items()
            if isinstance(v, list) and len(v) == 2 and all(x is None or isinstance(x, str) for x in v)
        }
        self.entries: dict[str, Record] = {}
        self.html: dict[str, str] = {}
        self.hits = self.misses = 0
        # Files' bytes read already this build (incremental.source_digest), by path: taken, not read again.
        self.given: dict[str, bytes] = {}

    def load_file(self, file: Path, root: Path | Folder) -> RawEntry | Problem:
        """load.load_file, from the cache when this file's path and text were parsed before."""
        inside = as_folder(root)
        given = self.given.pop(os.fspath(file), None)
        data = inside.read_bytes(file) if given is None else inside.given_bytes(file, given)
        if isinstance(data, Problem):
            return data
        text = inside.text(file, data)
        if isinstance(text, Problem):
            return text
        raw = self._load(file, inside.relative(file), text)
        if isinstance(raw, RawEntry) and b"\r" not in data:
            # The version git would store for these bytes writes what was just parsed: parse_yaml of the same text
            # (history._status_of decodes a version without turning \r\n into \n, so only bytes without \r).
            self.versions[git_blob_id(data)] = status_written(raw.meta)
        return raw

    def _load(self, file: Path, path: str, text: str) -> RawEntry | Problem:
        key = _key(path, file.stem, text)
        self._keys[path] = key
        known = self._entries_before.get(key)
        if known is not None:
            try:
                raw = _decode(known)
            except (KeyError, TypeError, ValueError):  # a damaged cache: parse the file
                raw = None
            if raw is not None and raw.path == path:
                self.hits += 1
                self.entries[key] = known
                return raw
        self.misses += 1
        loaded = load_text(text, path, file.stem)
        if isinstance(loaded, RawEntry) and (record := _encode(loaded)) is not None:
            self.entries[key] = record
        return loaded

    def validate(self, raw: RawEntry, languages: tuple[str, ...]) -> Agreement | list[Problem]:
        """validate.validate(raw, languages), taken from the last build's records when it validated the same text
        (the languages are among the settings the cache's environment digests)."""
        key = self._keys.get(raw.path)
        if key is None:  # not loaded through this cache
            return validate(raw, languages)
        known = self._records_before.get(key) or self.records.get(key)
        if known is not None and known.path == raw.path and known.slug == raw.slug:
            self.records[key] = known
            return known
        result = validate(raw, languages)
        if isinstance(result, Agreement):
            self.records[key] = result
        return result

    def record_digest(self, agreement: Agreement, digest: Callable[[Agreement], bytes]) -> bytes:
        """digest(agreement) (inputs.py: of what a list shows of the record), kept with the record: taken from the
        last build when this build took the very record it kept for the same text (ParseCache.validate)."""
        key = self._keys.get(agreement.path)
        if key is None or self.records.get(key) is not agreement:
            return digest(agreement)
        known = self.digests.get(key) or self._digests_before.get(key)
        if known is None:
            known = digest(agreement)
        self.digests[key] = known
        return known

    def markdown(self, convert: Callable[[str], str]) -> Callable[[str], str]:
        """convert (markup.to_html), remembered by the hash of its input."""

        def cached(text: str) -> str:
            key = _key(text)
            html = self.html.get(key)
            if html is None:
                html = self._html_before.get(key)
                if html is None:
                    html = convert(text)
                self.html[key] = html
            return html

        return cached

    def keep_versions(self, blobs: set[str]) -> None:
        """Keep only the versions this build read (so the cache holds what the last build used, like a full build's)."""
        self.versions = {blob: v for blob, v in self.versions.items() if blob in blobs}

    def to_bytes(self) -> bytes:
        """The cache as kept beside the site: a line naming its format and environment, then its parts pickled (read
        back by _Kept: plain values and the model's record types only)."""
        data = {
            "entries": dict(sorted(self.entries.items())),
            "html": dict(sorted(self.html.items())),
            "versions": {blob: list(v) for blob, v in sorted(self.versions.items())},
            "records": {key: self.records[key] for key in sorted(self.records) if key in self.entries},
            "digests": {key: self.digests[key] for key in sorted(self.digests) if key in self.entries},
        }
        return _head(self.environment) + pickle.dumps(data, protocol=5)


def _head(environment: str) -> bytes:
    return f"catalogue-parse-cache {FORMAT} {environment}\n".encode()


def read_cache(out: Path, environment: str) -> ParseCache:
    """The cache kept with the site at out when the same environment wrote it, else an empty one."""
    try:
        with open(out / CACHE, "rb") as file:
            if file.readline() != _head(environment):
                return ParseCache(environment)
            data = _Kept(file).load()
    except OSError:
        return ParseCache(environment)
    except Exception:  # a damaged file fails to unpickle in many ways; each means: an empty cache
        return ParseCache(environment)
    if not isinstance(data, dict):
        return ParseCache(environment)
    entries, html, versions, records, digests = (
        data.get(part) for part in ("entries", "html", "versions", "records", "digests")
    )
    if not isinstance(entries, dict) or not isinstance(html, dict):
        return ParseCache(environment)
    return ParseCache(
        environment,
        entries,
        html,
        versions if isinstance(versions, dict) else None,
        _records(records),
        digests if isinstance(digests, dict) and all(type(v) is bytes for v in digests.values()) else None,
    )
