"""What a branch does to the catalogue since a git revision: entries added, changed, renamed, removed."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from .history import run_git
from .load import TRANSLATION, RawEntry, load_file, load_text
from .problems import Problem, relative
from .validate import validate

FOLDER = "content/agreements"
NONE = "(none)"


class DiffError(Exception):
    """git could not answer: not a repository, an unknown revision, no git."""


@dataclass(frozen=True)
class Version:
    """One side of one entry: as loaded, and the problems that keep it from validating."""

    path: str
    slug: str
    raw: RawEntry | None
    problems: tuple[Problem, ...]
    translations: tuple[tuple[str, str], ...] = ()  # (language, body) from <slug>.<language>.md

    @property
    def meta(self) -> dict[str, Any]:
        return self.raw.meta if self.raw else {}

    def summary(self) -> str:
        """'Surakarta – Xi'an, sister-city, stalled as of 2017', from whatever the file holds."""
        parties = self.meta.get("parties")
        names = [p.get("name") for p in parties if isinstance(p, dict)] if isinstance(parties, list) else []
        title = self.meta.get("title") or " – ".join(str(n) for n in names if n) or self.slug
        kind, status, as_of = (self.meta.get(k) for k in ("kind", "status", "as_of"))
        state = f"{status} as of {as_of}" if status and as_of is not None else status
        return ", ".join(str(part) for part in (title, kind, state) if part)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str
    note: str = ""

    def __str__(self) -> str:
        if self.before == self.after == "":  # a body: how many lines changed, not the text
            return f"{self.field}: {self.note}"
        return f"{self.field}: {self.before} → {self.after}" + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class EntryChange:
    what: str  # "added", "changed", "renamed" or "removed"
    before: Version | None
    after: Version | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def shown(self) -> Version:
        """The version a report describes: the new one, else (removed) the old one."""
        version = self.after or self.before
        if version is None:
            raise ValueError("a change has a version before it, after it, or both")
        return version

    @property
    def slug(self) -> str:
        return self.shown.slug

    @property
    def old_slug(self) -> str:
        """The slug before a rename (the slug itself otherwise)."""
        return (self.before or self.shown).slug

    @property
    def status_changed(self) -> bool:
        return any(f.field == "status" for f in self.fields)


@dataclass(frozen=True)
class Diff:
    base: str
    commit: str
    changes: tuple[EntryChange, ...]

    def of(self, what: str) -> list[EntryChange]:
        return [c for c in self.changes if c.what == what]


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    done = run_git(root, *args, stdin=stdin)
    if done is None:
        raise DiffError("git is not installed, or not on PATH; install git to compare revisions")
    if done.returncode:
        raise DiffError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return done.stdout


def base_versions(root: Path, base: str) -> tuple[str, dict[str, Version]]:
    """The commit BASE names, and every entry file as it was there, by slug."""
    try:
        prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    except DiffError:
        raise DiffError(f"{root.resolve()} is not in a git repository; run this in the catalogue's clone") from None
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").decode().strip()
    except DiffError:
        raise DiffError(
            f"{base!r} is not a revision in this repository; try a branch (main), a tag or a commit id"
        ) from None
    names = (
        _git(root, "ls-tree", "-r", "-z", "--full-name", "--name-only", commit, "--", FOLDER)
        .decode("utf-8")
        .split("\0")
    )
    names = sorted(n for n in names if n.endswith(".md"))
    # One git process for every file: `git show` per file costs a process each.
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{commit}:{n}\n" for n in names).encode("utf-8"))
    files: dict[str, bytes] = {}
    at = 0
    for name in names:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        files[name[len(prefix) :]] = out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1
    return commit, _versions(files, lambda path, data: _checked(_from_bytes(data, path), path, Path(path).stem))


def working_versions(root: Path) -> dict[str, Version]:
    """Every entry file in the working tree, by slug."""
    files = {relative(file, root): file for file in sorted((root / FOLDER).rglob("*.md"))}
    return _versions(files, lambda path, file: _checked(load_file(file, root), path, file.stem))


_Data = TypeVar("_Data", bytes, Path)  # a file's bytes (at a revision) or the file (in the working tree)


def _versions(files: Mapping[str, _Data], version: Callable[[str, _Data], Version]) -> dict[str, Version]:
    """Entry files → Versions by slug, each with its translations (sibling <slug>.<lang>.md files)."""
    versions: dict[str, Version] = {}
    translations: dict[str, list[tuple[str, str]]] = {}
    for path, data in files.items():
        match = TRANSLATION.match(Path(path).stem)
        if match:
            text = data.read_bytes() if isinstance(data, Path) else data
            translations.setdefault(match["slug"], []).append((match["lang"], text.decode("utf-8", "replace")))
        else:
            versions[Path(path).stem] = version(path, data)
    return {slug: replace(v, translations=tuple(sorted(translations.get(slug, ())))) for slug, v in versions.items()}


def _from_bytes(data: bytes, path: str) -> RawEntry | Problem:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return Problem(path, line, "", "not UTF-8 text")
    return load_text(text, path, Path(path).stem)


def _checked(raw: RawEntry | Problem, path: str, slug: str) -> Version:
    if isinstance(raw, Problem):
        return Version(path, slug, None, (raw,))
    result = validate(raw)
    return Version(path, slug, raw, tuple(result) if isinstance(result, list) else ())


def diff(root: Path, base: str) -> Diff:
    """The entries the working tree adds, changes, renames and removes since base."""
    commit, before = base_versions(root, base)
    after = working_versions(root)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    renamed_from: dict[str, str] = {}
    for slug in added:
        aliases = after[slug].meta.get("aliases")
        for old in aliases if isinstance(aliases, list) else ():
            if old in removed and old not in renamed_from.values():
                renamed_from[slug] = old
                break
    changes = []
    for slug in sorted(set(before) & set(after)):
        fields = field_changes(before[slug], after[slug])
        if fields or before[slug].problems != after[slug].problems:
            changes.append(EntryChange("changed", before[slug], after[slug], fields))
    for slug, old in renamed_from.items():
        changes.append(EntryChange("renamed", before[old], after[slug], field_changes(before[old], after[slug])))
    changes += [EntryChange("added", None, after[s]) for s in added if s not in renamed_from]
    changes += [EntryChange("removed", before[s], None) for s in removed if s not in renamed_from.values()]
    # Status changes first: they are what a reviewer must check against the source.
    changes.sort(key=lambda c: (not c.status_changed, c.slug))
    return Diff(base, commit, tuple(changes))


def field_changes(before: Version, after: Version) -> tuple[FieldChange, ...]:
    """The fields that differ, status (with its as_of) first, then in the order the file has them."""
    if before.raw is None or after.raw is None:
        return ()  # a side that cannot be read at all is flagged with its problem instead
    old, new = _leaves(before.meta), _leaves(after.meta)
    names = list(dict.fromkeys([*new, *old]))
    changed = [name for name in names if old.get(name) != new.get(name)]
    out = []
    if "status" in changed:
        as_of = (
            f"as of {old.get('as_of', NONE)} → {new.get('as_of', NONE)}"
            if "as_of" in changed
            else f"as_of still {new.get('as_of', NONE)}: is the new status from a newer source?"
        )
        out.append(FieldChange("status", old.get("status", NONE), new.get("status", NONE), as_of))
        changed = [name for name in changed if name not in ("status", "as_of")]
    elif "as_of" in changed:
        changed.remove("as_of")
        out.append(FieldChange("as_of", old.get("as_of", NONE), new.get("as_of", NONE)))
    out += [FieldChange(name, old.get(name, NONE), new.get(name, NONE)) for name in changed]
    if before.raw.body.strip() != after.raw.body.strip():
        out.append(FieldChange("body", "", "", _line_counts(before.raw.body, after.raw.body)))
    old_bodies, new_bodies = dict(before.translations), dict(after.translations)
    for lang in sorted(set(old_bodies) | set(new_bodies)):
        if old_bodies.get(lang, "").strip() != new_bodies.get(lang, "").strip():
            out.append(
                FieldChange(
                    f"translation ({lang})", "", "", _line_counts(old_bodies.get(lang, ""), new_bodies.get(lang, ""))
                )
            )
    return tuple(out)


def _leaves(value: object, prefix: str = "") -> dict[str, str]:
    """Front matter flattened to 'parties.1.name' → its value as text; a list of plain values is one leaf."""
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            out.update(_leaves(inner, f"{prefix}{key}."))
        return out
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        out = {}
        for i, inner in enumerate(value):
            out.update(_leaves(inner, f"{prefix}{i}."))
        return out
    if isinstance(value, list):
        return {prefix[:-1]: "[" + ", ".join(str(v) for v in value) + "]"}
    return {prefix[:-1]: NONE if value is None else str(value)}


def _line_counts(before: str, after: str) -> str:
    """'2 lines added, 1 removed'."""
    lines = list(difflib.ndiff(before.strip().splitlines(), after.strip().splitlines()))
    added, removed = (sum(line.startswith(mark) for line in lines) for mark in ("+ ", "- "))
    parts = [f"{n} added" for n in [added] if n] + [f"{n} removed" for n in [removed] if n]
    if not parts:
        return "changed"
    first, *rest = parts
    count, what = first.split(" ", 1)
    return ", ".join([f"{count} line{'s' * (count != '1')} {what}", *rest])


# -- output -------------------------------------------------------------------------

HEADINGS = (
    ("changed", "Changed", "~"),
    ("renamed", "Renamed", ">"),
    ("added", "Added", "+"),
    ("removed", "Removed", "-"),
)


def _counts(result: Diff) -> str:
    parts = [f"{len(result.of(what))} {what}" for what, _, _ in HEADINGS if result.of(what)]
    return ", ".join(parts) if parts else "no entries changed"


def _notes(change: EntryChange) -> list[str]:
    notes = []
    for side, version in (("at the base", change.before), ("in the working tree", change.after)):
        if version and version.problems:
            count = len(version.problems)
            notes.append(
                f"does not validate {side} ({count} problem{'s' * (count != 1)}; first: {version.problems[0]})"
            )
    if change.what == "removed":
        notes.append(f"its page goes away; if the entry moved, list '{change.slug}' in the new file's aliases")
    return notes


def as_text(result: Diff) -> str:
    lines = [f"Entries since {result.base} ({result.commit[:7]}): {_counts(result)}."]
    for what, heading, mark in HEADINGS:
        if not result.of(what):
            continue
        lines += ["", heading]
        for change in result.of(what):
            version = change.shown
            name = f"{change.old_slug} → {change.slug}" if what == "renamed" else change.slug
            lines.append(f"  {mark} {name}: {version.summary()}")
            lines += [f"      {f}" for f in change.fields]
            lines += [f"      ! {note}" for note in _notes(change)]
    return "\n".join(lines)


def as_markdown(result: Diff) -> str:
    lines = [
        f"### Catalogue entries since `{result.base}` (`{result.commit[:7]}`)",
        "",
        f"{_counts(result).capitalize()}.",
    ]
    for what, heading, _ in HEADINGS:
        if not result.of(what):
            continue
        lines += ["", f"#### {heading}", ""]
        for change in result.of(what):
            version = change.shown
            name = f"`{change.old_slug}` → `{change.slug}`" if what == "renamed" else f"`{change.slug}`"
            lines.append(f"- {name}: {_md(version.summary())}")
            for f in change.fields:
                text = f"`{f.field}`: " + _md(str(f).split(": ", 1)[1])
                lines.append(f"  - **{text}**" if f.field == "status" else f"  - {text}")
            lines += [f"  - :warning: {_md(note)}" for note in _notes(change)]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text from an entry, safe to paste into Markdown: no emphasis, links or HTML from it."""
    return re.sub(r"([\\`*_\[\]<>|#~])", r"\\\1", text)
