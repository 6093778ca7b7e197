"""Search: Pagefind indexes the written site in shards, one index per page language in each, before it is swapped in.

Pagefind cannot update an index in place, so the searched pages are split into a fixed set of
shards, each indexed into its own bundle (one Pagefind process indexes one after another), which
the search box joins at query time (Pagefind's mergeIndex, templates/assets/search.js). A rebuild
indexes again only the shards one of whose pages changed and hard-links the others from the old site.

- The primary bundle, pagefind/ at the site root, indexes the searched pages that are not spread
  over shards (countries, sectors, statuses, kinds, content pages such as About) and holds the
  search box's code: pagefind-ui.js, pagefind.js, its worker and each language's WebAssembly.
- Agreement and place pages are spread over SHARDS bundles per language, pagefind/id-00/ to
  pagefind/id-31/ and the same for en, by their language and a hash of their language path: an
  entry's pages fall in the same numbered shard in every language, and a page's shard never depends
  on the catalogue's size or order (once it is sharded at all: see SHARD_FROM below). A shard holds
  one language, so the search box merges only the page's language's shards (Pagefind would answer
  from another language's index of a shard lacking it). A shard bundle keeps only its index
  (pagefind-entry.json, its metadata, index/, fragment/): merged indexes run on the primary's code.
  A language with fewer such pages than SHARD_FROM keeps them in a shard per kind instead
  (pagefind/id-agreements/, pagefind/id-places/...): small shards of the same kind rank badly side
  by side. Apart from the primary and from each other, so an edit of an agreement re-indexes its
  language's agreements only, and the bundles are indexed by two Pagefind processes at once.
- pagefind/shards.json names each language's shards that hold pages (a small catalogue leaves
  some empty), so the search box merges only those.

write_site() calls the build's finish hook on the fresh folder after writing every page, so a
failed index leaves the previous site as it was. The search box finds the bundle from its own
script's address, so the site still works from any folder. Search needs the site served over
http(s): browsers refuse fetch() and module imports on file://.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import urls
from .problems import CatalogueError, Problem

BUNDLE = "pagefind"
INSTALL = "python -m pip install 'pagefind[extended]'"
SHARDS = 32  # fixed: a page's shard is a function of its path alone
# A language with fewer agreement and place pages than this keeps them in a shard per kind (id-agreements,
# id-places): small shards of one kind rank badly side by side (each scores words by its own few pages: a
# place's name could rank a tie above the place) and cost a Pagefind pass each. 100 pages a shard at least.
SHARD_FROM = 100 * SHARDS
SHARD_LIST = "shards.json"
Languages = tuple[tuple[str, str], ...]  # (code, prefix) of each language: (('id', ''), ('en', 'en/'))
# The language paths spread over the shards: the many pages. Every other searched page is in the primary bundle.
SHARDED = (urls.agreement("*"), urls.place("*/*"))
PRIMARY = ""
# What a shard's bundle keeps: its index. The code and the WebAssembly come from the primary bundle.
_INDEX_FILES = re.compile(r"pagefind-entry\.json|pagefind\..*\.pf_meta|index|fragment|filter")
# A page Pagefind indexes is marked in a tag; text and attribute values never hold a bare '<'.
_MARKED = re.compile(rb"<[a-z]+ [^<>]*\bdata-pagefind-body\b")
# Left out of every indexed page, besides what the templates mark data-pagefind-ignore: the rows of a list of
# ties (a place's ties; every tie has its own page, found by the same names) and a list's counts and position
# ("12 agreements", "Agreements 1 to 100 of 240"). A reader searches for neither, and without them a status
# edit changes only its own agreement's pages as Pagefind reads them (not its places' or its status lists').
EXCLUDE = ("ul.entries", ".count", ".pager-place")
CONFIG = {"keep_index_url": True, "exclude_selectors": list(EXCLUDE)}


class SearchIndexError(CatalogueError):
    """Pagefind is missing or failed; carried to cli.py like any other problem, as one line."""

    def __init__(self, message: str):
        Exception.__init__(self, "the search index was not built; the previous site was left as it was.")
        self.problems = [Problem("search", 0, "", message)]


@dataclass(frozen=True)
class Shard:
    """One bundle's pages (site paths) and the digest of what made them."""

    name: str  # PRIMARY for pagefind/, else a two-digit name: pagefind/<name>/
    pages: tuple[str, ...]
    digest: str

    @property
    def folder(self) -> str:
        return BUNDLE if self.name == PRIMARY else f"{BUNDLE}/{self.name}"


def pagefind_binary() -> Path:
    """The Pagefind executable shipped in the pagefind[extended] wheel (or PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError(f"the pagefind package is not installed; install it with: {INSTALL}") from None
    try:
        binary = get_executable()
    except FileNotFoundError as err:  # the binary wheel is installed but its executable is gone
        raise SearchIndexError(f"{err}; reinstall it with: {INSTALL} --force-reinstall") from None
    if binary is None or not binary.is_file():
        raise SearchIndexError(
            f"no Pagefind binary found{f' at {binary}' if binary else ''}; install it with: {INSTALL}"
        )
    return binary


def matcher(globs: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching the paths of any of globs, whose * never crosses a /."""
    return re.compile("|".join(re.escape(glob).replace(r"\*", "[^/]*") for glob in globs))


def searched_pattern(prefixes: tuple[str, ...], searched: tuple[str, ...]) -> re.Pattern[str]:
    """The site paths of the searched language paths (routes.SEARCHED) under each language's prefix."""
    return matcher(prefix + path for prefix in prefixes for path in searched)


def shard_name(path: str, languages: Languages) -> str:
    """A searched page's shard: PRIMARY, or <language>-<one of SHARDS> by a hash of its language path."""
    code, prefix = max(((c, p) for c, p in languages if path.startswith(p)), key=lambda row: len(row[1]))
    language_path = path.removeprefix(prefix)
    if not _SHARDED.fullmatch(language_path):
        return PRIMARY
    return f"{code}-{int(hashlib.sha256(language_path.encode()).hexdigest()[:8], 16) % SHARDS:02d}"


_SHARDED = matcher(SHARDED)


def plan(
    outputs: Mapping[str, str], searched: re.Pattern[str], languages: Languages, shard_from: int | None = None
) -> dict[str, Shard]:
    """The shards of a site whose outputs (site path → digest of what made it) are given; empty ones left out.

    A language with fewer than shard_from (SHARD_FROM) pages to spread keeps them in a shard per kind (its
    agreements, its places), named by its code and the kind's folder: id-agreements, id-places."""
    members: dict[str, list[str]] = {}
    for path in sorted(outputs):
        if searched.fullmatch(path):
            members.setdefault(shard_name(path, languages), []).append(path)
    spread: dict[str, int] = {}
    for name, pages in members.items():
        if name != PRIMARY:
            spread[name.rsplit("-", 1)[0]] = spread.get(name.rsplit("-", 1)[0], 0) + len(pages)
    least = SHARD_FROM if shard_from is None else shard_from
    for name in [n for n in members if n != PRIMARY and spread[n.rsplit("-", 1)[0]] < least]:
        code = name.rsplit("-", 1)[0]
        prefix = dict(languages)[code]
        for path in members.pop(name):
            members.setdefault(f"{code}-{path.removeprefix(prefix).split('/', 1)[0]}", []).append(path)
    shards = {}
    for name, pages in sorted(members.items()):
        h = hashlib.sha256()
        for path in sorted(pages):
            h.update(f"{path}\0{outputs[path]}\n".encode("utf-8", "surrogatepass"))
        shards[name] = Shard(name, tuple(sorted(pages)), h.hexdigest())
    return shards


def index_site(
    folder: Path,
    languages: Languages,
    searched: re.Pattern[str] | None = None,
    outputs: Mapping[str, str] | None = None,
    previous: Path | None = None,
    previous_outputs: Mapping[str, str] | None = None,
    shard_from: int | None = None,
    jobs: int = 1,
) -> tuple[str, ...]:
    """Index the pages of a written site into folder/pagefind/ in shards, offline and the same bytes each time.

    languages: (code, prefix) of each of the site's languages (i18n.Language), as <html lang> says.
    searched: the site paths Pagefind may read (searched_pattern); by default every HTML file. Only
    pages marked data-pagefind-body are indexed. outputs: the digest of each of the site's files
    (the manifest's); by default the hash of its bytes. previous, previous_outputs: a site made in
    the same environment and its outputs; a shard whose pages have the same digests there is
    hard-linked from it, not indexed again. shard_from: see plan(). jobs: how many Pagefind processes
    index shards at once (each holds one shard's index in memory). Returns the names of the shards
    indexed anew."""
    folder = Path(folder).resolve()
    if outputs is None:
        outputs = {
            p.relative_to(folder).as_posix(): _bytes_digest(p) for p in sorted(folder.rglob("*.html")) if p.is_file()
        }
    searched = searched or re.compile(r".*\.html")
    shards = plan(outputs, searched, languages, shard_from)
    old = (
        plan(previous_outputs, searched, languages, shard_from)
        if previous is not None and previous_outputs is not None
        else {}
    )
    binary = pagefind_binary()
    held: dict[str, bool] = {}
    todo: list[Shard] = []
    changed: dict[str, tuple[str, ...]] = {}  # a shard with the old one's pages, some changed: those pages
    for shard in sorted(shards.values(), key=lambda s: s.name):
        was = old.get(shard.name) if previous is not None else None
        if previous is not None and was is not None and was.digest == shard.digest:
            held[shard.name] = _link_bundle(previous / shard.folder, folder / shard.folder)
        elif previous is not None and previous_outputs is not None and was is not None and was.pages == shard.pages:
            changed[shard.name] = tuple(path for path in shard.pages if outputs[path] != previous_outputs[path])
        else:
            todo.append(shard)
    staging = Path(tempfile.mkdtemp(prefix=".search-", dir=folder))

    def index(share: list[Shard]) -> dict[str, bool]:
        pagefind = _Service(binary)  # one process for the share: no start-up per shard
        try:
            return {
                shard.name: _index_shard(
                    pagefind, folder, shard, staging / (shard.name or "primary"), folder / shard.folder
                )
                for shard in share
            }
        finally:
            pagefind.close()

    try:
        if changed:
            assert previous is not None
            alike = _alike_shards(binary, changed, languages, previous, folder, staging / "changed")
            for name in sorted(changed):
                if name in alike:  # Pagefind reads each changed page as it read the old one: the old shard is this one
                    held[name] = _link_bundle(previous / shards[name].folder, folder / shards[name].folder)
                else:
                    todo.append(shards[name])
        # Each shard's bundle is its own files, so the order they are made in changes no byte. The largest
        # first, each to the process with the fewest pages so far.
        shares: list[list[Shard]] = [[] for _ in range(max(1, jobs))]
        for shard in sorted(todo, key=lambda shard: (-len(shard.pages), shard.name)):
            min(shares, key=lambda share: sum(len(s.pages) for s in share)).append(shard)
        with ThreadPoolExecutor(len(shares)) as pool:
            for done in pool.map(index, [share for share in shares if share]):
                held.update(done)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    made = tuple(sorted(shard.name for shard in todo))
    listed: dict[str, list[str]] = {code: [] for code, _ in languages}
    for name in sorted(held):
        if held[name] and name != PRIMARY:
            listed[name.rsplit("-", 1)[0]].append(name)
    if not (folder / BUNDLE / "pagefind-entry.json").is_file():
        raise SearchIndexError(
            "Pagefind failed to index the site: Error: Pagefind was not able to build an index. "
            "No searched page besides agreements and places (a country, a sector, About) is marked "
            "data-pagefind-body: the search box loads its code from their bundle, pagefind/"
        )
    shard_list = json.dumps(dict(sorted(listed.items())), separators=(",", ":")) + "\n"
    (folder / BUNDLE / SHARD_LIST).write_text(shard_list, encoding="utf-8")
    return made


def _bytes_digest(path: Path) -> str:
    return "bytes:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _index_shard(pagefind: _Service, folder: Path, shard: Shard, staging: Path, target: Path) -> bool:
    """Index the shard's marked pages, linked into staging at their paths, into target; False if none is marked."""
    files = _index_pages(pagefind, folder, shard.pages, staging)
    if files is None:
        return False
    for name, content in sorted(files.items()):
        # The primary holds the search code; a shard only its index (merged indexes run on the primary's code).
        if shard.name == PRIMARY or _INDEX_FILES.fullmatch(name.split("/", 1)[0]):
            file = target / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(content)
    return True


def _index_pages(pagefind: _Service, folder: Path, pages: Iterable[str], staging: Path) -> dict[str, bytes] | None:
    """The bundle Pagefind makes of the marked ones of pages (site paths under folder), linked into staging
    at their paths; None if none is marked."""
    return _index_sides(pagefind, [(folder, pages, staging)])[0]


def _index_sides(pagefind: _Service, sides: list[tuple[Path, Iterable[str], Path]]) -> list[dict[str, bytes] | None]:
    """_index_pages of each (folder, pages, staging), asked of Pagefind at once."""
    staged: list[Path | None] = []
    for folder, pages, staging in sides:
        marked = 0
        for path in pages:
            source = folder / path
            if not _MARKED.search(source.read_bytes()):
                continue  # a redirect or a page read but not indexed (the home page): a shard of these alone is empty
            link = staging / path
            link.parent.mkdir(parents=True, exist_ok=True)
            _link(source, link)
            marked += 1
        staged.append(staging if marked else None)
    made = iter(pagefind.index(*(site for site in staged if site is not None)))
    bundles: list[dict[str, bytes] | None] = []
    for site in staged:
        files = next(made) if site is not None else None
        if files is not None:
            files["pagefind-entry.json"] = _sorted_languages(files["pagefind-entry.json"])
        bundles.append(files)
    return bundles


def _read_alike(pagefind: _Service, pages: Iterable[str], old: Path, new: Path, staging: Path) -> bool:
    """Whether Pagefind reads each of pages in the new site as in the old: the same words, weights, meta and text.

    The pages' old versions are indexed together, then their new versions, and the two bundles compared: a
    bundle holds each page's fragment (its text, meta and address) and, by its number in the order given, the
    places and weights of each of its words. Pagefind makes a shard's bundle from what it reads of each page,
    in the order given, so a shard whose other pages are the same files indexes to the same bytes as before."""
    pages = tuple(pages)
    before, after = _index_sides(pagefind, [(old, pages, staging / "old"), (new, pages, staging / "new")])
    return before == after


def _alike_shards(
    binary: Path, changed: Mapping[str, tuple[str, ...]], languages: Languages, old: Path, new: Path, staging: Path
) -> set[str]:
    """The shards each of whose changed pages Pagefind reads as in the old site.

    The changed pages are compared in a few groups, each a kind of page (agreements, places, countries...)
    in all shards at once: an index has a fixed cost, and a status edit changes some hundred place pages
    (its parties' and their areas' ties) that search reads as before, and one agreement, which it does
    not. A group read differently is compared shard by shard."""
    prefixes = sorted((prefix for _, prefix in languages), key=len, reverse=True)

    def kind(path: str) -> str:
        language_path = path.removeprefix(next(p for p in prefixes if path.startswith(p)))
        return language_path.split("/", 1)[0] if "/" in language_path else ""

    groups: dict[str, dict[str, list[str]]] = {}  # kind → shard → its changed pages of that kind
    for name, pages in changed.items():
        for path in pages:
            groups.setdefault(kind(path), {}).setdefault(name, []).append(path)
    differ: set[str] = set()
    pagefind = _Service(binary)
    try:
        for n, (_, members) in enumerate(sorted(groups.items())):
            group = sorted(path for paths in members.values() for path in paths)
            # Two shards or one are compared shard by shard straight away: two compares, not three if they differ.
            if len(members) > 2 and _read_alike(pagefind, group, old, new, staging / f"{n}"):
                continue
            for m, (name, paths) in enumerate(sorted(members.items())):
                if name not in differ and not _read_alike(pagefind, paths, old, new, staging / f"{n}-{m}"):
                    differ.add(name)
    finally:
        pagefind.close()
    return set(changed) - differ


class _Service:
    """One Pagefind process (`pagefind --service`) indexing one shard after another: no start-up per shard.

    Its protocol is Pagefind's own (what the pagefind package's Python API speaks): each request
    and response is base64 of a JSON object, followed by a comma. The service answers its requests
    one at a time, in the order sent, so one shard's index is in memory at a time; the requests that
    make an index are sent together, so each index costs one wait for the process, not four (on a
    busy machine each wait is a wait to be scheduled). Started at once, while the caller links pages."""

    def __init__(self, binary: Path) -> None:
        self.binary = binary
        self.errors = tempfile.TemporaryFile()
        self.sent = 0
        self.made = 0  # the service numbers its indexes in the order made, from 0
        self.buffer = b""
        # Without PAGEFIND_* settings, so no environment variable changes what is indexed.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        try:
            self.process = subprocess.Popen(
                [str(self.binary), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
                env=env,
                cwd=tempfile.gettempdir(),
            )
        except OSError as err:
            self.errors.close()
            raise SearchIndexError(
                f"could not run {self.binary}: {err.strerror}; reinstall it with: {INSTALL} --force-reinstall"
            ) from None

    def index(self, *sites: Path) -> list[dict[str, bytes]]:
        """The bundle Pagefind makes of the HTML files under each site (URLs relative to it), file by file."""
        requests: list[dict[str, Any]] = []
        for site in sites:
            index_id, self.made = self.made, self.made + 1
            requests += [
                {"type": "NewIndex", "config": CONFIG},
                {"type": "AddDir", "index_id": index_id, "path": str(site), "glob": "**/*.{html}"},
                {"type": "GetFiles", "index_id": index_id},
                {"type": "DeleteIndex", "index_id": index_id},
            ]
        answers = self._ask(requests)
        return [{file["path"]: base64.b64decode(file["content"]) for file in got["files"]} for got in answers[2::4]]

    def _ask(self, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Pagefind's answers to payloads, sent at once; raises the first error it answers."""
        assert self.process.stdin is not None and self.process.stdout is not None
        if not payloads:
            return []  # an empty message would be answered with an error
        messages = []
        for payload in payloads:
            self.sent += 1
            messages.append(base64.b64encode(json.dumps({"message_id": self.sent, "payload": payload}).encode()))
        answers = []
        try:
            self.process.stdin.write(b",".join(messages) + b",")
            self.process.stdin.flush()
            for _ in payloads:
                while b"," not in self.buffer:
                    chunk = os.read(self.process.stdout.fileno(), 1 << 20)
                    if not chunk:
                        raise BrokenPipeError
                    self.buffer += chunk
                response, self.buffer = self.buffer.split(b",", 1)
                answers.append(json.loads(base64.b64decode(response))["payload"])
        except (BrokenPipeError, ConnectionResetError):
            self.errors.seek(0)
            said = _said(self.errors.read().decode("utf-8", "replace")) or f"exit status {self.process.wait()}"
            raise SearchIndexError(f"Pagefind failed to index the site: {said}") from None
        for answer in answers:
            if answer.get("type") == "Error":
                raise SearchIndexError(f"Pagefind failed to index the site: {_said(str(answer.get('message')))}")
        return answers

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.errors.close()


def _link_bundle(old: Path, new: Path) -> bool:
    """new as hard links to the files of the old bundle (the primary's without the shards inside it); False if none."""
    if not (old / "pagefind-entry.json").is_file():
        return False
    new.mkdir(parents=True, exist_ok=True)
    for item in sorted(old.iterdir()):
        if item.name == SHARD_LIST or (item.is_dir() and not _INDEX_FILES.fullmatch(item.name)):
            continue  # the shard list is written anew; each shard is linked, or made, on its own
        if item.is_dir():
            for file in sorted(item.rglob("*")):
                if file.is_file():
                    (new / file.relative_to(old)).parent.mkdir(parents=True, exist_ok=True)
                    _link(file, new / file.relative_to(old))
        else:
            _link(item, new / item.name)
    return True


def _link(old: Path, new: Path) -> None:
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


def _said(output: str) -> str:
    """Pagefind's message on one line, each line once (it prints its errors twice)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return " ".join(dict.fromkeys(lines))[-600:]


def _sorted_languages(entry: bytes) -> bytes:
    """Pagefind lists the languages in hash-map order, which changes from run to run; sort them.

    pagefind.js looks a language up by key (else takes the one with most pages), so order is free.
    """
    data = json.loads(entry)
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def bundles(folder: Path) -> list[Path]:
    """A site's bundles: the primary, then each shard the search box merges, language by language."""
    primary = Path(folder) / BUNDLE
    listed = json.loads((primary / SHARD_LIST).read_text(encoding="utf-8"))
    return [primary, *(primary / name for names in listed.values() for name in names)]


def languages(folder: Path) -> dict[str, int]:
    """The languages indexed in a site's bundles, with their page counts summed over the shards."""
    counts: dict[str, int] = {}
    for bundle in bundles(folder):
        data = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        for lang, info in data["languages"].items():
            counts[lang] = counts.get(lang, 0) + info["page_count"]
    return dict(sorted(counts.items()))
