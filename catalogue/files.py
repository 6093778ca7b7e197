"""Content files read only when they are ordinary files inside the catalogue's folder.

A pull request can add a symbolic link as easily as a file; built, a link to /proc/self/environ
or /etc/passwd would publish the build machine's secrets. So a link, a device, a pipe or a
folder where a content file should be is a Problem naming the path, never something read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .limits import MAX_FILE_BYTES
from .problems import Problem

# O_NOFOLLOW: a link swapped in after the check is still not followed; O_NONBLOCK: a pipe does not hang the open.
FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not an ordinary file"


def not_ordinary(kind: str, path: str) -> Problem:
    fix = {
        "a symbolic link": "content files must be ordinary files in the repository: replace the link with the file's "
        "own text",
        "a folder": "this name is kept for a file: rename the folder",
    }.get(kind, "content files must be ordinary text files: replace it with one")
    return Problem(path, 0, "", f"is {kind}, not an ordinary file; {fix}")


def _named(file: Path, inner: str | None) -> str:
    """How problems name a file: its path below the root (Folder._inner), or as given when it lies outside."""
    return file.as_posix() if inner is None else inner.replace(os.sep, "/")


class Folder:
    """The catalogue's folder, resolved once, with each folder under it resolved once as files ask for it.

    What a file's path resolves to, once lstat has shown the file is no link, is its folder's resolved
    path joined with its name: so a build of 25k files walks a few folders' links, not every file's.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            real: str | None = str(root.resolve())
        except (OSError, RuntimeError):  # a loop of links: nothing can be shown inside it
            real = None
        self._prefix = None if real is None else real if real.endswith(os.sep) else real + os.sep
        self._real = real
        self._folders: dict[str, str | None] = {}  # a file's folder as given -> resolved, None for a loop of links

    def _resolved(self, folder: str) -> str | None:
        if folder not in self._folders:
            try:
                self._folders[folder] = str(Path(folder).resolve())
            except (OSError, RuntimeError):
                self._folders[folder] = None
        return self._folders[folder]

    def _inner(self, file: Path) -> str | None:
        """The file's path below the root (resolved folder, name as given), or None when it lies outside."""
        path = os.fspath(file)
        real = self._resolved(os.path.dirname(path) or os.curdir)
        if real is None or self._prefix is None:
            return None
        name = os.path.basename(path)
        if real == self._real:
            return name
        if real.startswith(self._prefix):
            return f"{real[len(self._prefix) :]}{os.sep}{name}"
        return None

    def relative(self, file: Path) -> str:
        """problems.relative(file, root), the folders' links walked once per folder."""
        return _named(file, self._inner(file))

    def read_bytes(self, file: Path) -> bytes | Problem:
        """The bytes of a regular file under the root, or the Problem that stops it being read."""
        inner = self._inner(file)  # once: it names the file in problems and says whether it lies inside
        path = _named(file, inner)
        try:
            mode = os.lstat(file).st_mode
        except OSError as err:
            return Problem(path, 0, "", f"cannot be read ({err.strerror}); check that the file exists and can be read")
        if not stat.S_ISREG(mode):
            return not_ordinary(_kind(mode), path)
        # Not a link (lstat): the file resolves to its resolved folder joined with its name.
        if inner is None:
            return Problem(
                path,
                0,
                "",
                "lies outside the catalogue's folder (through a linked folder); content files must be ordinary files "
                "in the repository",
            )
        try:
            fd = os.open(file, FLAGS)
        except OSError as err:
            if os.path.islink(file):
                return not_ordinary("a symbolic link", path)
            return Problem(path, 0, "", f"cannot be read ({err.strerror}); check that the file exists and can be read")
        with os.fdopen(fd, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):  # replaced between the check and the open
                return not_ordinary(_kind(status.st_mode), path)
            if status.st_size > MAX_FILE_BYTES:
                return too_big(path, status.st_size)
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # grew after the fstat
            return too_big(path, len(data))
        return data

    def given_bytes(self, file: Path, data: bytes) -> bytes | Problem:
        """Bytes read from file as an ordinary file (incremental.source_digest opens it as read_bytes does, never
        through a link), held to what read_bytes holds them to: a file inside the root, not too big."""
        inner = self._inner(file)
        if inner is None:
            return self.read_bytes(file)  # outside the root (through a linked folder): read_bytes names the problem
        if len(data) > MAX_FILE_BYTES:
            return too_big(_named(file, inner), len(data))
        return data

    def read_text(self, file: Path) -> str | Problem:
        """The UTF-8 text of a regular file under the root, or the Problem that stops it being read."""
        data = self.read_bytes(file)
        if isinstance(data, Problem):
            return data
        return self.text(file, data)

    def text(self, file: Path, data: bytes) -> str | Problem:
        """A file's bytes as UTF-8 text with universal newlines, or the Problem that stops them being read."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            return Problem(
                self.relative(file),
                line,
                "",
                f"not UTF-8 text: byte {data[err.start]:#04x} on this line cannot be read; save the file as UTF-8",
            )
        # Universal newlines, as open() in text mode reads them: Windows line ends change nothing.
        return text.replace("\r\n", "\n").replace("\r", "\n")


def folder(root: Path | Folder) -> Folder:
    """root as a Folder (a Path is resolved now; a Folder keeps what it resolved before)."""
    return root if isinstance(root, Folder) else Folder(root)


def read_bytes(file: Path, root: Path | Folder) -> bytes | Problem:
    """The bytes of a regular file under root, or the Problem that stops it being read."""
    return folder(root).read_bytes(file)


def too_big(path: str, size: int) -> Problem:
    return Problem(
        path,
        0,
        "",
        f"is {size:,} bytes; a content file may be at most {MAX_FILE_BYTES:,} bytes: shorten it, or split it into "
        "several",
    )


def read_text(file: Path, root: Path | Folder) -> str | Problem:
    """The UTF-8 text of a regular file under root, or the Problem that stops it being read."""
    return folder(root).read_text(file)


def content_files(folder: Path, suffix: str = ".md") -> list[Path]:
    """Every path under folder named *suffix, and every symbolic link whatever its name, in a stable order.

    The walk does not enter linked folders; listing the links lets read_bytes report them, so
    a folder linked in from elsewhere is a problem rather than silently left out.
    """
    found: list[tuple[str, ...]] = []

    def walk(path: str, parts: tuple[str, ...]) -> None:
        try:
            listed = os.scandir(path)
        except OSError:  # missing, or not a folder: nothing under it
            return
        with listed:
            for item in listed:
                inner = (*parts, item.name)
                if item.is_symlink():
                    found.append(inner)  # listed whatever its name, never entered
                    continue
                if item.name.endswith(suffix):
                    found.append(inner)  # a folder so named too: reading it reports it
                if item.is_dir(follow_symlinks=False):
                    walk(item.path, inner)

    # One scandir a folder (the kind comes with the name), sorted as paths sort: by their parts; each path made
    # as its folder's child (a Path parses only the name added).
    walk(os.fspath(folder), ())
    folders: dict[tuple[str, ...], Path] = {(): folder}

    def folder_of(parts: tuple[str, ...]) -> Path:
        known = folders.get(parts)
        if known is None:
            known = folders[parts] = folder_of(parts[:-1]) / parts[-1]
        return known

    return [folder_of(inner[:-1]) / inner[-1] for inner in sorted(found)]
