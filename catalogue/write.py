"""Pages → site/, atomically: everything is written to a new folder, then swapped in."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .model import Page


class UnsafePath(ValueError):
    """A page path that would land outside the output folder."""


def safe_target(folder: Path, path: str) -> Path:
    """folder/path, refusing absolute paths and '..' so no page can write outside the site."""
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or any(p in ("..", ".", "") for p in parts) or "\\" in path:
        raise UnsafePath(f"refusing to write {path!r}: pages must stay inside the site folder")
    return folder.joinpath(*parts)


def refuse_to_replace(out: Path) -> None:
    """The site folder is replaced whole, so it must be a previous build or new: never the project."""
    here = Path.cwd().resolve()
    if out == here or out in here.parents:
        raise UnsafePath(f"refusing to write the site into {out}: it holds the current folder; use --out site")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file():
        raise UnsafePath(f"refusing to replace {out}: it is not empty and is not a previous build of the site (no index.html); choose a new or empty folder, e.g. --out site")


def write_site(out: Path, pages: Iterable[Page], finish: Callable[[Path], None] | None = None) -> tuple[int, int]:
    """Write every page into a fresh folder beside out, then swap it in; returns (files, bytes).

    finish(fresh folder) runs after the pages are written and before the swap (the search index).
    If anything fails before the swap, the new folder is removed and the old site is untouched.
    """
    out = out.resolve()
    refuse_to_replace(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    files = size = 0
    try:
        seen = set()
        for page in pages:
            if page.path in seen:
                raise UnsafePath(f"two pages want the same path {page.path!r}")
            seen.add(page.path)
            target = safe_target(fresh, page.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.content)
            files += 1
            size += len(page.content)
        if finish is not None:
            finish(fresh)
            written = [f for f in fresh.rglob("*") if f.is_file()]
            files, size = len(written), sum(f.stat().st_size for f in written)
        fresh.chmod(0o755)  # mkdtemp makes it 0700; a web server must be able to read it
        _swap(fresh, out)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return files, size


def _swap(fresh: Path, out: Path) -> None:
    if not out.exists():
        os.rename(fresh, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    try:
        os.rename(fresh, out)
    except OSError:
        os.rename(old, out)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)
