"""Pages → site/, atomically: everything is written to a new folder, then swapped in."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, Iterator

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]  # typeshed gives fcntl as always present

from .incremental import CACHE, MANIFEST, NOTHING, Previous, content_digest, manifest_bytes
from .model import Page
from .workers import Made


@dataclass(frozen=True)
class Kept:
    """An output the previous site holds as this build would make it: linked from there, not made again."""

    path: str
    digest: str


@dataclass(frozen=True)
class Rendered:
    """Outputs made by index while the site is written: make(i) for every i < count, in `jobs` worker
    processes (workers.py) that each write their share into the new folder; outputs of one group
    (group(i)) go to one worker. progress, if given, wraps the outputs as they are made."""

    count: int
    make: Callable[[int], Page | Kept]
    group: Callable[[int], Hashable]
    jobs: int = 1
    progress: Callable[[Iterable[tuple[int, Placed]], int], Iterable[tuple[int, Placed]]] | None = None


@dataclass(frozen=True)
class Placed:
    """What the parent keeps of an output once it is in the new folder (a worker sends it back)."""

    path: str
    digest: str
    size: int
    changed_html: bool  # an HTML file written anew (not linked): the search index must be made again


class UnsafePath(ValueError):
    """A page path that would land outside the output folder."""


def safe_target(folder: Path, path: str) -> Path:
    """folder/path, refusing absolute paths and '..' so no page can write outside the site."""
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or any(p in ("..", ".", "") for p in parts) or "\\" in path:
        raise UnsafePath(f"refusing to write {path!r}: pages must stay inside the site folder")
    return folder.joinpath(*parts)


MARKER = ".catalogue-build"  # in every built site: only a folder holding it is ever replaced
_MARKER_TEXT = b"Built by sister-city-catalogue. The next build replaces this folder whole.\n"


class WriteError(Exception):
    """The site could not be written (disk full, permissions, another build running); the old one stands."""


def refuse_to_replace(out: Path) -> None:
    """The site folder is replaced whole, so it must be a previous build or new: never the project."""
    here = Path.cwd().resolve()
    if out == here or out in here.parents:
        raise UnsafePath(f"refusing to write the site into {out}: it holds the current folder; use --out site")
    if out.exists() and not out.is_dir():
        raise UnsafePath(
            f"refusing to replace {out}: it is a file, not a folder; choose a new or empty folder, e.g. --out site"
        )
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UnsafePath(
            f"refusing to replace {out}: it is not empty and is not a previous build of the site (no {MARKER} file in "
            "it); "
            "choose a new or empty folder, e.g. --out site (a site built before builds were marked must be deleted "
            "once)"
        )


def write_site(
    out: Path,
    pages: Iterable[Page | Kept],
    finish: Callable[[Path, dict[str, str]], None] | None = None,
    previous: Previous = NOTHING,
    environment: str | None = None,
    finished: str | None = None,
    cache: bytes | None = None,
    rendered: Rendered | None = None,
    source: dict[str, object] | None = None,
) -> tuple[int, int]:
    """Write every page into a fresh folder beside out, then swap it in; returns (files, bytes).

    finish(fresh folder, outputs) runs after the pages are written and before the swap (the search
    index, written to the folder `finished`), given each file's digest as the manifest holds them.
    With environment, the folder gets a manifest of what made each file (incremental.py); with
    previous (the manifest of the site at out), every file whose digest is unchanged is hard-linked
    from the old site instead of written, and when no HTML file changed the old `finished` folder
    is linked instead of running finish. cache (the parse cache, parsecache.py) is kept beside the
    manifest; neither counts among the site's files. source (what the build was made from:
    incremental.source_digest and its report) goes into the manifest, with files and bytes.
    If anything fails before the swap, the new folder is removed and the old site is untouched;
    a build killed at any instant leaves the old or the new site whole (see _swap, _recover).
    """
    out = out.resolve()
    refuse_to_replace(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out):
            _recover(out)
            return _write_and_swap(out, pages, finish, previous, environment, finished, cache, rendered, source)
    except OSError as err:
        where = err.filename or out
        raise WriteError(
            f"could not write the site to {out}: {err.strerror or err} ({where}); the previous site is unchanged. "
            "Free some disk space or make the folder writable, then build again"
        ) from None


def _write_and_swap(
    out: Path,
    pages: Iterable[Page | Kept],
    finish: Callable[[Path, dict[str, str]], None] | None,
    previous: Previous,
    environment: str | None,
    finished: str | None,
    cache: bytes | None = None,
    rendered: Rendered | None = None,
    source: dict[str, object] | None = None,
) -> tuple[int, int]:
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    files = size = 0
    try:
        outputs: dict[str, str] = {}
        html_changed = False
        folders: set[Path] = set()

        def place(page: Page | Kept) -> Placed:
            return _place(page, fresh, out, previous, folders)

        def placed() -> Iterator[Placed]:
            if rendered is not None:
                # Made in workers, each writing its share; taken in route order, so the manifest is the same.
                make = rendered.make
                made = Made(rendered.count, lambda index: place(make(index)), rendered.group, rendered.jobs)
                records: list[Placed | None] = [None] * rendered.count
                arrived = made if rendered.progress is None else rendered.progress(made, rendered.count)
                for index, arrival in arrived:
                    records[index] = arrival
                for record in records:
                    assert record is not None
                    yield record
            for page in pages:
                yield place(page)

        for record in placed():
            if record.path in outputs:
                raise UnsafePath(f"two pages want the same path {record.path!r}")
            outputs[record.path] = record.digest
            html_changed = html_changed or record.changed_html
            size += record.size
            files += 1
        if finish is not None:
            old_pages = {p for p in previous.outputs if p.endswith(".html")}
            html_changed = html_changed or old_pages != {p for p in outputs if p.endswith(".html")}
            if finished and previous.search and not html_changed and (out / finished).is_dir():
                _link_tree(out / finished, fresh / finished)  # the same pages: the same search index
            else:
                finish(fresh, outputs)
            written = [f for f in fresh.rglob("*") if f.is_file()]
            files, size = len(written), sum(f.stat().st_size for f in written)
        if environment is not None:
            made_from = {**source, "files": files, "bytes": size} if source is not None else None
            (fresh / MANIFEST).write_bytes(manifest_bytes(environment, outputs, finish is not None, made_from))
        if cache is not None:
            (fresh / CACHE).write_bytes(cache)
        (fresh / MARKER).write_bytes(_MARKER_TEXT)  # last: a half-written folder is never taken for a site
        fresh.chmod(0o755)  # mkdtemp makes it 0700; a web server must be able to read it
        _swap(fresh, out)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return files, size


def _place(page: Page | Kept, fresh: Path, out: Path, previous: Previous, folders: set[Path]) -> Placed:
    """Put one output into the fresh folder: written, or hard-linked from the old site when it is unchanged."""
    target = safe_target(fresh, page.path)
    if target.parent not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)  # workers may make the same folder at once: exist_ok
        folders.add(target.parent)
    if isinstance(page, Kept):
        _link(safe_target(out, page.path), target)
        return Placed(page.path, page.digest, target.stat().st_size, False)
    digest = page.digest or content_digest(page.content)
    if previous.unchanged(page.path, digest):
        _link(safe_target(out, page.path), target)
        return Placed(page.path, digest, len(page.content), False)
    target.write_bytes(page.content)
    return Placed(page.path, digest, len(page.content), page.path.endswith(".html"))


def _link(old: Path, new: Path) -> None:
    """new as a hard link to old (the file stays untouched on disk); a copy where links cannot be made."""
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


def _link_tree(old: Path, new: Path) -> None:
    for file in sorted(old.rglob("*")):
        target = new / file.relative_to(old)
        if file.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif file.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(file, target)


def _swap(fresh: Path, out: Path) -> None:
    """Put fresh at out. Where the system can (Linux), the two folders are exchanged in one step,
    so out is never missing; elsewhere out is renamed aside first and _recover puts it back if
    the build dies between the two renames."""
    if not os.path.lexists(out):
        os.rename(fresh, out)
        return
    if _exchange(fresh, out):
        shutil.rmtree(fresh, ignore_errors=True)  # now the previous site
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


def _recover(out: Path) -> None:
    """Undo what a killed build left beside out: a site renamed aside comes back, half-written folders go."""
    parent, name = out.parent, out.name
    olds = sorted(
        (p for p in parent.glob(f".{name}-old-*") if p.is_dir() and not p.is_symlink()), key=lambda p: p.stat().st_mtime
    )
    if olds and not os.path.lexists(out) and (olds[-1] / MARKER).is_file():
        os.rename(olds.pop(), out)
    for leftover in [*olds, *parent.glob(f".{name}-new-*")]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where the system offers no such call."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # a kernel or filesystem without it
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold .<site>.lock beside out, or refuse: two builds swapping one folder would lose it."""
    if fcntl is None:  # Windows: no advisory locks; builds there are by hand, one at a time
        yield  # type: ignore[unreachable]  # mypy checks for this platform, where fcntl is always there
        return
    lock = out.parent / f".{out.name}.lock"
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise WriteError(
                f"another build is writing {out} now (it holds {lock}); wait for it to finish, then build again"
            ) from None
        try:
            if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                break  # still the lock file: the build before us did not remove it meanwhile
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield
    finally:
        # Removed while held, so nothing is left beside the site; a build that opened the old file
        # sees it is gone (the inode check above) and takes a new one.
        try:
            os.unlink(lock)
        finally:
            os.close(fd)
