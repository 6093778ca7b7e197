"""Pages → site/, atomically: everything is written to a new folder, then swapped in.

An incremental build (a previous site whose manifest can be trusted, incremental.py) starts the new
folder as hard links to every file of the old one, made in one C-level call (`cp -al`; a Python
walk where there is no GNU cp), so an unchanged output costs nothing here. Each output made again
replaces its link: the link is removed and a new file created in its place (O_EXCL), never written
through, so the old site's file is untouched. What the new build no longer makes is removed before
the swap. The manifest and parse cache are written beside the site (incremental.state_folder) and
renamed into place after the swap; the marker names the manifest's generation, so a kill between
the two leaves a site whose state does not match it, and the next build is a full one."""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, Iterator

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]  # typeshed gives fcntl as always present

from .incremental import (
    CACHE,
    MANIFEST,
    MARKER,
    NOTHING,
    SEARCH,
    Previous,
    content_digest,
    listing,
    manifest_bytes,
    short,
    state_folder,
)
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


# What the parent keeps of an output once it is in the new folder, as a worker sends it back: its path, its digest
# as the manifest keeps it (incremental.short), its size, and whether it is an HTML file written anew (then the search
# index is made again). A plain tuple, not a record: one goes through a pipe for every output (188k at 25k pairs),
# and a tuple pickles several times faster than a dataclass.
Placed = tuple[str, str, int, bool]


class UnsafePath(ValueError):
    """A page path that would land outside the output folder."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def checked(path: str) -> str:
    """path itself, refusing absolute paths, '..', empty parts and control characters, so no page can write
    outside the site (or break the manifest's one line per output)."""
    if (
        not path
        or path[0] == "/"
        or "\\" in path
        or _CONTROL.search(path)
        or any(p in ("..", ".", "") for p in path.split("/"))
    ):
        raise UnsafePath(f"refusing to write {path!r}: pages must stay inside the site folder")
    return path


def safe_target(folder: Path, path: str) -> Path:
    """folder/path, for a path that passes `checked`."""
    return folder / checked(path)


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
    linking: Linking | None = None,
    made: Callable[[Previous], None] | None = None,
) -> tuple[int, int]:
    """Write every page into a fresh folder beside out, then swap it in; returns (files, bytes).

    finish(fresh folder, outputs) runs after the pages are written and before the swap (the search
    index, written to the folder `finished`), given each file's digest as the manifest holds them.
    With environment, a manifest of what made each file (incremental.py) is kept beside the site
    (incremental.state_folder) and the marker names its generation; with previous (what the site at
    out holds and its manifest), the new folder starts as links to the old site's files, only files
    whose digest changed are written, and when no HTML file changed the old `finished` folder is
    linked instead of running finish. cache (the parse cache, parsecache.py) is kept beside the
    manifest; neither is in the site. source (what the build was made from:
    incremental.source_digest and its report) goes into the manifest, with files and bytes.
    If anything fails before the swap, the new folder is removed and the old site is untouched;
    a build killed at any instant leaves the old or the new site whole (see _swap, _recover).
    """
    out = out.resolve()
    refuse_to_replace(out)
    try:
        if linking is not None and linking.out == out:  # the lock taken and the new folder begun (Linking)
            return _write_and_swap(
                out, pages, finish, previous, environment, finished, cache, rendered, source, linking, made
            )
        out.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out):
            _recover(out)
            return _write_and_swap(
                out, pages, finish, previous, environment, finished, cache, rendered, source, None, made
            )
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
    linking: Linking | None = None,
    made: Callable[[Previous], None] | None = None,
) -> tuple[int, int]:
    fresh = (
        linking.take() if linking is not None else Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    )
    state = state_folder(out)
    kept: list[Path] = []  # the state's new files, renamed into place once the site is
    files = size = 0
    try:
        # An incremental build starts from links to every file of the old site (not its search index or marker).
        linked = previous.folder == out and os.path.isdir(out)
        if linked:
            if linking is not None and linking.names is not None:  # begun while the build loaded: its end awaited
                _link_into(out, linking.names, fresh, linking.process)
            else:
                _link_into(out, [n for n in sorted(os.listdir(out)) if n not in (MARKER, finished or SEARCH)], fresh)
            for path in previous.strays:  # a link or a pipe no build made: gone before anything is written past it
                _remove(os.fspath(fresh), path)
        outputs: dict[str, str] = {}
        sizes: dict[str, int] = {}
        html_changed = False
        folders: set[str] = set()
        root = os.fspath(fresh)

        def place(page: Page | Kept) -> Placed:
            return _place(page, root, out, previous, folders, linked)

        def placed() -> Iterator[Placed]:
            if rendered is not None:
                # Made in workers, each writing its share; taken in route order, so the manifest is the same.
                # The other pages are placed by this process meanwhile (workers.Made), listed after them.
                make = rendered.make
                made = Made(
                    rendered.count,
                    lambda index: place(make(index)),
                    rendered.group,
                    rendered.jobs,
                    meanwhile=(place(page) for page in pages),
                )
                records: list[Placed | None] = [None] * rendered.count
                arrived = made if rendered.progress is None else rendered.progress(made, rendered.count)
                for index, arrival in arrived:
                    records[index] = arrival
                for record in records:
                    assert record is not None
                    yield record
                yield from made.meanwhile_made
                return
            for page in pages:
                yield place(page)

        for record in placed():
            path, digest, length, changed = record
            if path in outputs:
                raise UnsafePath(f"two pages want the same path {path!r}")
            outputs[path] = digest
            sizes[path] = length
            html_changed = html_changed or changed
            size += length
            files += 1
        if linked:
            # What the old site held and this build does not make: gone, as from a full build's folder.
            for path in sorted(previous.files.difference(outputs)):
                _remove(root, path)
        if finish is not None:
            old_pages = {p for p in previous.outputs if p.endswith(".html")}
            html_changed = html_changed or old_pages != {p for p in outputs if p.endswith(".html")}
            searched = finished or SEARCH
            if finished and previous.search and not html_changed and (out / finished).is_dir():
                _link_into(out, [finished], fresh)  # the same pages: the same search index
            else:
                finish(fresh, outputs)
            made_files, made_bytes = _tree_size(fresh / searched) if (fresh / searched).is_dir() else (0, 0)
            files, size = files + made_files, size + made_bytes
        marker = _MARKER_TEXT
        made_from = {**source, "files": files, "bytes": size} if source is not None else None
        if environment is not None:
            manifest, generation = manifest_bytes(environment, outputs, sizes, finish is not None, made_from)
            kept.append(_beside(state, MANIFEST, manifest))
            marker += f"generation {generation}\n".encode()
        if cache is not None:
            kept.append(_beside(state, CACHE, cache))
        (fresh / MARKER).write_bytes(marker)  # last: a half-written folder is never taken for a site
        fresh.chmod(0o755)  # mkdtemp makes it 0700; a web server must be able to read it
        _swap(fresh, out)
    except BaseException:
        _remove_tree(fresh)
        for temporary in kept:
            temporary.unlink(missing_ok=True)
        raise
    # After the swap: killed before these renames, the site's marker names a generation the old manifest
    # does not have, and the next build is a full one.
    for temporary in kept:
        os.replace(temporary, state / temporary.name.partition(".new-")[0])
    if made is not None and environment is not None:
        # What read_previous would read back of this site: its manifest, and its files (each output; the
        # marker and search index aside, as listing skips them), without reading or listing them.
        made(Previous(out, outputs, finish is not None, dict(made_from or {}), sizes, frozenset(outputs), ()))
    return files, size


def _place(page: Page | Kept, fresh: str, out: Path, previous: Previous, folders: set[str], linked: bool) -> Placed:
    """Put one output into the fresh folder: already there (linked with the old site), or written anew."""
    if isinstance(page, Kept):
        digest, size = page.digest, previous.sizes.get(page.path)
    else:
        digest, size = page.digest or content_digest(page.content), len(page.content)
        if not previous.unchanged(page.path, digest):
            return _write(page, digest, fresh, folders, linked)
    if linked:  # already in the fresh folder, linked with the whole old site
        if size is None:
            size = os.stat(os.path.join(fresh, checked(page.path))).st_size
    else:  # the old site is not the folder being replaced (never so in a build): link the file from there
        target = safe_target(Path(fresh), page.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        _link(safe_target(out, page.path), target)
        size = target.stat().st_size
    return page.path, short(digest), size, False


def _write(page: Page, digest: str, fresh: str, folders: set[str], linked: bool) -> Placed:
    """page as a new file in the fresh folder."""
    target = os.path.join(fresh, checked(page.path))
    folder = os.path.dirname(target)
    if folder not in folders:
        _make_folder(fresh, folder)  # workers may make the same folder at once: it may exist
        folders.add(folder)
    try:
        _write_new(target, page.content, linked)
    except FileExistsError:  # another worker made the same path meanwhile
        raise UnsafePath(f"two pages want the same path {page.path!r}") from None
    return page.path, short(digest), len(page.content), page.path.endswith(".html")


def _make_folder(fresh: str, folder: str) -> None:
    """folder and its parents inside fresh; a file linked from the old site where one must be is removed
    (the new build cannot also make it: a path is a file or a folder, not both)."""
    try:
        os.makedirs(folder, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        part = fresh
        for name in os.path.relpath(folder, fresh).split(os.sep):
            part = os.path.join(part, name)
            if os.path.lexists(part) and not os.path.isdir(part):
                os.unlink(part)
        os.makedirs(folder, exist_ok=True)


def _write_new(target: str, content: bytes, linked: bool) -> None:
    """content as a new file at target; in a linked folder, whatever is there (a link to the old site's file,
    or a folder only the old site had) is removed first, so the old site's file is never written through."""
    if linked:
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        except OSError:
            if not os.path.isdir(target) or os.path.islink(target):
                raise
            shutil.rmtree(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags | (os.O_EXCL if linked else 0), 0o666)
    with open(fd, "wb") as file:
        file.write(content)


def _remove(fresh: str, path: str) -> None:
    """path (a link to a file of the old site) out of fresh, and the folders it leaves empty."""
    target = os.path.join(fresh, path)
    try:
        os.unlink(target)
    except (FileNotFoundError, NotADirectoryError):  # gone with a folder a new file took the place of
        return
    except OSError:
        if os.path.isdir(target) and not os.path.islink(target):
            return  # a folder of the new build's now stands there
        raise
    folder = os.path.dirname(target)
    while folder != fresh and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)


def _link(old: Path, new: Path) -> None:
    """new as a hard link to old (the file stays untouched on disk); a copy where links cannot be made."""
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


def _start_cp(old: Path, names: list[str], new: Path) -> subprocess.Popen[bytes] | None:
    """`cp -al` of old/<name> for each name into new, started; None where there is no GNU cp (or no name)."""
    cp = shutil.which("cp")
    if not names or cp is None or not sys.platform.startswith("linux"):
        return None
    sources = [os.path.join(old, name) for name in names]
    command = [cp, "-al", "--", *sources, os.fspath(new)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _link_into(old: Path, names: list[str], new: Path, started: subprocess.Popen[bytes] | None = None) -> None:
    """new/<name> as hard links to everything under old/<name>, for each name: one `cp -al` where GNU cp is
    found (started: one already running, awaited here), else a walk here."""
    if not names:
        return
    process = started if started is not None else _start_cp(old, names, new)
    if process is not None:
        if process.wait() == 0:
            return
        for name in names:  # cp failed partway (no hard links here?): start again, file by file
            _remove_tree(new / name)
    for name in names:
        source = old / name
        if source.is_dir() and not source.is_symlink():
            for folder, _, found in os.walk(source):
                place = new / Path(folder).relative_to(old)
                place.mkdir(parents=True, exist_ok=True)
                for file in found:
                    _link(Path(folder) / file, place / file)
        elif os.path.lexists(source):
            _link(source, new / name)


class Linking:
    """A rebuild's new folder, begun while the build still loads its catalogue: the site's lock is taken (so no other
    build writes out meanwhile) and what a killed build left beside it recovered now, not in write_site, and one
    `cp -al` of the old site's files (its marker and search index aside, as write_site links them) runs into the new
    folder meanwhile; write_site awaits it, and links file by file if it failed. close() (always: the build's
    `finally`) stops it, removes the folder if write_site did not take it, and lets the lock go."""

    def __init__(self, out: Path, previous: Previous, skip: tuple[str, ...]) -> None:
        self.out = out
        self._stack = ExitStack()
        self._stack.enter_context(_locked(out))
        self.process: subprocess.Popen[bytes] | None = None
        self.names: list[str] | None = None
        self._taken = False
        try:
            _recover(out)
            self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
            if previous.folder == out and os.path.isdir(out):
                self.names = [n for n in sorted(os.listdir(out)) if n not in (MARKER, *skip)]
                self.process = _start_cp(out, self.names, self.folder)
        except BaseException:
            self._stack.close()
            raise

    def take(self) -> Path:
        """The new folder, write_site's from now on (it removes it if it fails)."""
        self._taken = True
        return self.folder

    def close(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            if not self._taken:
                _remove_tree(self.folder)
        finally:
            self._stack.close()


def _tree_size(folder: Path) -> tuple[int, int]:
    """How many files folder holds, and their bytes."""
    files, _ = listing(folder)
    return len(files), sum(os.lstat(os.path.join(folder, file)).st_size for file in files)


def _beside(state: Path, name: str, content: bytes) -> Path:
    """content in a new file of the state folder, to be renamed to name once the site is swapped in."""
    if state.is_symlink() or (os.path.lexists(state) and not state.is_dir()):
        raise UnsafePath(f"refusing to keep the build's state in {state}: it is not a folder; remove it, then build")
    state.mkdir(exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f"{name}.new-", dir=state)
    with open(fd, "wb") as file:
        file.write(content)
    return Path(temporary)


def _remove_tree(folder: Path) -> None:
    """folder and everything in it, gone: by `rm -rf` where there is one (C: a site is many thousand files)."""
    if not os.path.lexists(folder):
        return
    rm = shutil.which("rm")
    if rm is not None and os.name == "posix":
        subprocess.run([rm, "-rf", "--", os.fspath(folder)], capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)  # what rm could not remove, or where there is no rm


def _swap(fresh: Path, out: Path) -> None:
    """Put fresh at out. Where the system can (Linux), the two folders are exchanged in one step,
    so out is never missing; elsewhere out is renamed aside first and _recover puts it back if
    the build dies between the two renames."""
    if not os.path.lexists(out):
        os.rename(fresh, out)
        return
    if _exchange(fresh, out):
        _remove_tree(fresh)  # now the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    try:
        os.rename(fresh, out)
    except OSError:
        os.rename(old, out)  # put the previous site back
        raise
    _remove_tree(old)


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
            _remove_tree(leftover)
    state = state_folder(out)
    if state.is_dir() and not state.is_symlink():
        for name in (MANIFEST, CACHE):  # what a build killed before its swap left of its state (_beside)
            for temporary in state.glob(f"{name}.new-*"):
                temporary.unlink(missing_ok=True)


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
