"""What git knows about each entry: when it was published, when it last changed, how its status moved.

One `git log` over content/agreements gives every entry's commits; the versions of an entry
(its status and as_of at each commit) are read only for the entries a caller asks about, with
one `git cat-file --batch`. Without git, or outside a repository (a tarball), the history is
empty and callers fall back to the entry's own dates (as_of, since).

Dates are committer dates in UTC: when a change landed in the repository, not when its author
wrote it. A shallow clone knows only part of the history (its oldest commit shows every file as
added), so it is treated as having none: CI must fetch the whole history to publish dates.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from .load import YamlProblem, parse_yaml, split_front_matter
from .evidence import written_status
from .problems import Problem

AGREEMENTS = "content/agreements"
NO_BLOB = "0" * 40


@dataclass(frozen=True)
class Commit:
    """One commit that changed one entry's file."""

    rev: str
    time: datetime  # committer date, UTC
    change: str  # git's status letter: A added, M modified, D deleted, T type changed
    blob: str  # the file's blob id after the commit; NO_BLOB when deleted


@dataclass(frozen=True)
class FileHistory:
    """The commits that changed one entry's file, oldest first, since it was last added."""

    path: str
    commits: tuple[Commit, ...]

    @property
    def published(self) -> datetime:
        return self.commits[0].time

    @property
    def updated(self) -> datetime:
        return self.commits[-1].time


@dataclass(frozen=True)
class Version:
    """An entry as it stood at one commit; status and as_of are None where that version could not be read."""

    commit: Commit
    status: str | None
    as_of: str | None  # as written: '2017', '2016-11', 'unknown'


@dataclass(frozen=True)
class History:
    """Everything git knows about the entries; empty without git."""

    root: Path | None = None  # where to run git for versions; None without a repository
    files: dict[str, FileHistory] = field(default_factory=dict)  # by entry path, e.g. "content/agreements/x.md"
    revision: str | None = None  # the newest commit that touched content/
    reference: datetime | None = None  # reference_date(root): "now" for a reproducible build
    shallow: bool = False  # a shallow clone: its dates are withheld, and the build says so

    def published(self, path: str) -> datetime | None:
        """When the entry was first committed, or None when git does not know it."""
        found = self.files.get(path)
        return found.published if found else None

    def updated(self, path: str) -> datetime | None:
        """When the entry was last committed, or None when git does not know it."""
        found = self.files.get(path)
        return found.updated if found else None


def run_git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes] | None:
    """git run in root with its output pinned to the history alone, or None when git is not installed."""
    env = {**os.environ, "GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    # Settings that would change output (signatures, quoted non-ASCII paths) are pinned.
    command = ["git", "-c", "log.showSignature=false", "-c", "core.quotePath=false", "-C", str(root), *args]
    try:
        return subprocess.run(command, input=stdin, capture_output=True, env=env, check=False)
    except OSError:
        return None


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """git's stdout, or None when git is missing or the folder is not in a repository."""
    done = run_git(root, *args, stdin=stdin)
    return done.stdout if done is not None and done.returncode == 0 else None


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def _last_commit(root: Path, path: str) -> tuple[str, datetime] | None:
    out = _git(root, "log", "-1", "--no-color", "--format=%H %cI", "--", path)
    if not out or not out.strip():
        return None
    rev, when = out.decode().split()
    return rev, _utc(when)


def source_date_epoch() -> datetime | None:
    """SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/), or None when unset."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not epoch.isdigit():
        raise ValueError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970-01-01; unset it or set e.g. "
            "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"
        )
    return datetime.fromtimestamp(int(epoch), timezone.utc)


def reference_date(root: Path) -> datetime | None:
    """SOURCE_DATE_EPOCH if set (the reproducible-builds convention), else the last commit touching content/, else
    None.
    """
    epoch = source_date_epoch()
    if epoch:
        return epoch
    last = _last_commit(root, "content")
    return last[1] if last else None


def load_history(root: Path, paths: Iterable[str]) -> History:
    """Each entry's commits (paths relative to root, as Agreement.path), from one git log; empty without git."""
    wanted = set(paths)
    # --relative: paths relative to root even when the repository starts above it.
    out = _git(
        root,
        "log",
        "-z",
        "--no-color",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--relative",
        "--format=%x1e%H%x1f%cI",
        "--",
        AGREEMENTS,
    )
    if out is None:
        return History(reference=source_date_epoch())
    last = _last_commit(root, "content")
    reference = source_date_epoch() or (last[1] if last else None)
    revision = last[0] if last else None
    if _git(root, "rev-parse", "--is-shallow-repository") == b"true\n":
        # A shallow clone's oldest commit shows every file as added then: better no dates than false ones.
        return History(revision=revision, reference=reference, shallow=True)
    newest_first: dict[str, list[Commit]] = {}
    rev = when = None
    tokens = iter(out.decode("utf-8", "surrogateescape").split("\0"))
    for token in tokens:
        token = token.lstrip("\n")
        if token.startswith("\x1e"):
            rev, stamp = token[1:].split("\x1f")
            when = _utc(stamp)
        elif token.startswith(":"):
            # ":100644 100644 <old blob> <new blob> M", then the path as the next token
            *_, blob, change = token.split()
            path = next(tokens)
            if path in wanted and rev is not None and when is not None:  # a commit line came first
                newest_first.setdefault(path, []).append(Commit(rev, when, change[0], blob))
    files = {}
    for path in sorted(newest_first):
        commits = _since_last_added(newest_first[path][::-1])
        if commits:
            files[path] = FileHistory(path, commits)
    return History(root=root, files=files, revision=revision, reference=reference)


def _since_last_added(commits: list[Commit]) -> tuple[Commit, ...]:
    """A file deleted and added again starts its history afresh; a file now deleted has none."""
    start = 0
    for i, commit in enumerate(commits):
        if commit.change == "D":
            start = i + 1
    return tuple(commits[start:])


def load_versions(
    history: History, paths: Iterable[str], known: dict[str, tuple[str | None, str | None]] | None = None
) -> dict[str, tuple[Version, ...]]:
    """The status and as_of of each asked-for entry at each of its commits, oldest first (one git cat-file).

    known maps blob ids to the (status, as_of) a version with that content writes (a blob id is the
    hash of the content, so it never goes stale): those are not read again, and what is read is added to it."""
    asked = [p for p in dict.fromkeys(paths) if p in history.files]
    if history.root is None or not asked:
        return {}
    known = {} if known is None else known
    blobs = sorted({c.blob for p in asked for c in history.files[p].commits} - known.keys())
    texts = {}
    if blobs:
        out = _git(history.root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in blobs).encode())
        texts = _read_batch(out or b"")
    for blob, text in texts.items():
        known[blob] = _status_of(text, blob)
    result = {}
    for path in asked:
        result[path] = tuple(Version(c, *known.get(c.blob, (None, None))) for c in history.files[path].commits)
    return result


def _read_batch(out: bytes) -> dict[str, bytes]:
    """`git cat-file --batch` output → {blob id: content}; missing blobs are left out."""
    texts, at = {}, 0
    while at < len(out):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3:  # "<id> missing"
            continue
        size = int(header[2])
        texts[header[0].decode()] = out[at : at + size]
        at += size + 1
    return texts


def _status_of(content: bytes | None, path: str) -> tuple[str | None, str | None]:
    """(status, as_of) as a version of the file wrote them; None for what it does not say readably."""
    if content is None:
        return None, None
    try:
        split = split_front_matter(content.decode("utf-8"), path)
        if isinstance(split, Problem):
            return None, None
        meta, _ = parse_yaml(split[0], path, split[1])
    except (UnicodeDecodeError, YamlProblem):
        return None, None
    if not isinstance(meta, dict):
        return None, None
    return status_written(meta)


def status_written(meta: dict[str, Any]) -> tuple[str | None, str | None]:
    """(status, as_of) as a version's front matter (parsed) writes them; None for what it does not say readably."""
    status, as_of = meta.get("status"), meta.get("as_of")
    if isinstance(meta.get("observations"), list):  # an entry with a dated record: status from its newest observation
        status, as_of = written_status(meta["observations"]) or (status, as_of)
    return (status if isinstance(status, str) else None), (
        None if as_of is None or isinstance(as_of, (dict, list)) else str(as_of)
    )
