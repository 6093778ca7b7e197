"""Problems found in content, and the one error that carries them to the command line."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, written for the contributor who made it."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class CatalogueError(Exception):
    """Raised with every problem found; only cli.py turns it into a message and an exit code."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(summary(self.problems))


class RenderError(Exception):
    """A page could not be made from its template: the message names the template, its line and the page."""


def summary(problems: list[Problem]) -> str:
    files = len({p.path for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{len(problems)} {noun} in {files} file{'' if files == 1 else 's'}; nothing was written."


def closest(value: object, allowed: Iterable[str]) -> str | None:
    """The allowed value nearest to a near miss, or None."""
    if not isinstance(value, str):
        return None
    lowered = {a.lower(): a for a in allowed}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def did_you_mean(value: object, allowed: Iterable[str]) -> str:
    """A ' (did you mean ...?)' hint for a near miss, or ''."""
    near = closest(value, allowed)
    return f" (did you mean '{near}'?)" if near else ""


def one_of(value: object, allowed: Collection[str]) -> str:
    """The standard message for a value outside a vocabulary."""
    return f"{value!r} is not one of: {', '.join(allowed)}{did_you_mean(value, allowed)}"


def relative(path: Path, root: Path) -> str:
    """A path as the contributor sees it in the repository."""
    try:
        # The folder resolved, not the file: a link is shown where it is, not where it points.
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def shown(value: object) -> str:
    """A value as a message names it: 'empty', 'a list', or its repr."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a set of fields"
    return repr(value)
