"""The last site's catalogue-wide data files, read back so a rebuild makes again only the lines of what changed.

catalogue.json, catalogue.geojson and catalogue.csv hold one line (a CSV row) per agreement. A rebuild that
keeps an agreement's own data file (agreements/<slug>.json) knows its entry digest (inputs.py: everything of
the entry, its places, dates and freshness) equals the one the last site was made from, in the same
environment (a different one is a full build); every line of those files about that agreement reads
nothing else, so the last site's line is the one this build would make. exports.DataFiles takes those
lines and makes the others; tests/test_exports_incremental.py holds the result to a full build's bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from .incremental import NOTHING, Previous
from .model import Entry


def items(data: bytes | None, key: str) -> list[bytes]:
    """The item lines, without their commas, of a file exports._joined made (items under key, one a line);
    none when data is not such a file."""
    # The head is compact JSON on one line: its first line break is the one after the opening of the items.
    opening, closing = f'"{key}":[\n'.encode("utf-8"), b"\n]}\n"
    end = -1 if data is None else data.find(b"\n")
    if data is None or end < 0 or not data.startswith(opening, end + 1 - len(opening)) or not data.endswith(closing):
        return []
    body = data[end + 1 : -len(closing)]
    lines = body.split(b"\n") if body else []
    if not all(line.endswith(b",") for line in lines[:-1]):
        return []
    return [line[:-1] for line in lines[:-1]] + lines[-1:]


@dataclass(frozen=True)
class Earlier:
    """The last site (previous) and the slugs of the agreements whose entry is the same in this build (same)."""

    previous: Previous = NOTHING
    same: frozenset[str] = field(default_factory=frozenset)

    def same_entry(self, entry: Entry) -> bool:
        return entry.agreement.slug in self.same

    def same_entries(self, entries: Iterable[Entry]) -> bool:
        return bool(self.same) and all(entry.agreement.slug in self.same for entry in entries)

    def data(self, path: str) -> bytes | None:
        """The last site's file at path, when there is one it made (none when no entry is the same)."""
        folder = self.previous.folder
        if not self.same or folder is None or path not in self.previous.outputs:
            return None
        try:
            with open(os.path.join(folder, path), "rb") as file:
                return file.read()
        except OSError:
            return None

    def lines(self, path: str, key: str, after: bytes) -> dict[bytes, bytes]:
        """The item lines of the last site's file at path (items under key) by how they begin: all that comes
        before `after`, which must follow the item's own name (its slug) in every line that is looked up.

        `after` starts with a comma and a quote: compact JSON writes that only between an object's members,
        never inside a string (where every quote is escaped), so it is not found inside a slug, title or note."""
        found: dict[bytes, bytes] = {}
        for line in items(self.data(path), key):
            end = line.find(after)
            if end > 0:
                found[line[:end]] = line
        return found

    def csv_rows(self, path: str, columns: tuple[str, ...]) -> dict[str, str]:
        """The rows of the last site's CSV file at path, as written (each with its CRLF), by their first cell;
        none unless its header is columns.

        Not parsed: csv.writer quotes a cell holding a line break, doubling its quotes, so a record ends at the
        first CRLF after which the quotes so far are even. Written again as they are, they are the same bytes."""
        data = self.data(path)
        try:
            text = "" if data is None else data.decode("utf-8")
        except UnicodeDecodeError:
            return {}
        if not text.startswith(",".join(columns) + "\r\n"):  # the header (names that need no quotes)
            return {}
        rows: dict[str, str] = {}
        pending = ""
        for line in text.split("\r\n")[1:-1]:  # after the header; the last is the empty text after the last CRLF
            row = pending + line + "\r\n"
            if row.count('"') % 2:  # inside a quoted cell: its line break is part of it
                pending = row
                continue
            pending = ""
            first = row[: row.find(",")]
            if first and '"' not in first:  # a plain first cell (a slug is): the row's own name
                rows[first] = row
        return rows if not pending and text.endswith("\r\n") else {}


NO_EARLIER = Earlier()
