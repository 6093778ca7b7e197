"""The dated record of a tie: its observations checked against its sources, and the status they give.

A tie's status is only as good as the newest thing a source reports about it. With
`observations`, the status and as_of are derived (the newest observation's kind and date),
so they cannot drift from the evidence; a status written beside them must agree, and
`active` needs an observation that reports activity. Entries written before observations
existed keep their status and as_of fields and stay valid.

The checks take validate.py's checker (duck-typed: .problem(where, message), .mapping(),
.term(), .date()) so validate.py only calls in, and this module never imports it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from . import vocab
from .load import FieldPath
from .model import Observation, PartialDate

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class Checker(Protocol):
    """What these checks use of validate.py's checker."""

    def problem(self, where: FieldPath, message: str) -> None: ...

    def mapping(
        self, where: FieldPath, value: object, cls: type[DataclassInstance], what: str
    ) -> dict[str, Any] | None: ...


KEY = re.compile(r"^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$")
ACTIVE_KINDS = tuple(k for k, status in vocab.OBSERVATION_STATUS.items() if status == "active")


def source_keys(check: Checker, sources: object) -> dict[str, int]:
    """{key: index} of the sources that give one; a key used twice is a problem."""
    keys: dict[str, int] = {}
    for i, source in enumerate(sources if isinstance(sources, list) else ()):
        key = source.get("key") if isinstance(source, dict) else None
        if not isinstance(key, str) or not KEY.match(key):
            continue  # a missing key is fine; a malformed one is reported by the key check
        if key in keys:
            check.problem(
                ("sources", i, "key"),
                f"'{key}' is already the key of source {keys[key] + 1}; give each source its own key",
            )
            continue
        keys[key] = i
    return keys


def check_observations(check: Checker, value: object, keys: dict[str, int]) -> tuple[Observation, ...]:
    """The observations list → Observations, each pointing at one of the entry's sources."""
    where: FieldPath = ("observations",)
    if not isinstance(value, list) or not value:
        check.problem(where, "must be a list of observations, each starting with '- ' and giving date, kind and source")
        return ()
    built: list[Observation] = []
    for i, item in enumerate(value):
        values = check.mapping(where + (i,), item, Observation, "an observation")
        if values is None:
            continue
        source = values.get("source")
        if source is not None and source not in keys:
            known = ", ".join(keys) or "none of them has a key yet"
            check.problem(
                where + (i, "source"),
                f"'{source}' is not the key of one of this entry's sources ({known}); add 'key: {source}' to the "
                "source it means, or use one of those",
            )
            continue
        dated = values.get("date") is not None or item.get("date") == "unknown"  # else reported by the date check
        if dated and values.get("kind") and source is not None:
            built.append(Observation(**values))
    return tuple(built)


def derive(observations: tuple[Observation, ...]) -> tuple[str, PartialDate | None, Observation]:
    """(status, as_of, newest observation): the newest by date, later in the file on the same date."""
    order = sorted(range(len(observations)), key=lambda i: (observations[i].date or PartialDate(0), i))
    newest = observations[order[-1]]
    return vocab.OBSERVATION_STATUS[newest.kind], newest.date, newest


def apply(check: Checker, values: dict[str, Any], meta: Mapping[str, Any]) -> None:
    """Set status and as_of from the observations; a written status or as_of that disagrees is a problem."""
    observations = values.get("observations")
    if not observations:
        return
    status, as_of, newest = derive(observations)
    written = values.get("status")
    newest_text = f"the newest ({newest.date or 'undated'}, {newest.kind}) gives '{status}'"
    if written == "active" and not any(o.kind in ACTIVE_KINDS for o in observations):
        check.problem(
            ("status",),
            "'active' needs an observation that reports activity (kind: activity or renewed); "
            f"{newest_text}: remove 'status' and let the observations set it, or add the observation that shows "
            "activity",
        )
    elif written is not None and written != status:
        check.problem(
            ("status",),
            f"'{written}' contradicts the observations: {newest_text}; remove 'status' (the observations set it) or "
            "add the newer observation",
        )
    if "as_of" in meta and meta.get("as_of") is not None and values.get("as_of", as_of) != as_of:
        check.problem(
            ("as_of",),
            f"'{meta['as_of']}' is not the date of the newest observation ({as_of or 'unknown'}); remove 'as_of' (the "
            "observations set it)",
        )
    values["status"], values["as_of"] = status, as_of


def written_status(observations: Sequence[object]) -> tuple[str, str] | None:
    """(status, as_of text) from observations as a past version wrote them, unchecked; None if unreadable.

    For the history of an entry (git versions), where a version may be any old mistake.
    """
    found: list[tuple[str, int, str, str]] = []
    for i, item in enumerate(observations):
        if not isinstance(item, dict) or item.get("kind") not in vocab.OBSERVATION_STATUS:
            continue
        date = str(item.get("date", "unknown"))
        found.append(("" if date == "unknown" else date, i, item["kind"], date))
    if not found:
        return None
    *_, kind, date = max(found, key=lambda row: (_sortable(row[0]), row[1]))
    return vocab.OBSERVATION_STATUS[kind], date


def _sortable(date: str) -> tuple[int, ...]:
    parts = tuple(int(p) for p in date.split("-") if p.isdigit())
    return parts + (0,) * (3 - len(parts))


# A sentence in a body points at one of the entry's sources with a footnote-style marker: [^P002].
MARKER = re.compile(r"\[\^([A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*)\]")


def check_markers(check: Checker, body: str, keys: dict[str, int]) -> None:
    """Every [^KEY] in the body names one of the entry's sources."""
    for key in dict.fromkeys(MARKER.findall(body)):
        if key not in keys:
            known = ", ".join(keys) or "none of them has a key yet"
            check.problem(
                ("sources",),
                f"the body cites [^{key}], which is not the key of one of this entry's sources ({known}); add 'key: "
                f"{key}' to the source it means, or correct the marker",
            )


def link_markers(html: str, keys: tuple[str | None, ...]) -> str:
    """Sanitised body HTML with each [^KEY] made a numbered link to its source in the list below.

    Runs after sanitising: the key is matched to a known source (letters, digits, hyphens), so
    nothing from the body reaches the markup but a number and that key.
    """
    numbers = {key: i + 1 for i, key in enumerate(keys) if key}

    def link(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in numbers:
            return match.group(0)
        return f'<sup class="cite-ref"><a href="#source-{key}">[{numbers[key]}]</a></sup>'

    return MARKER.sub(link, html)
