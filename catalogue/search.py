"""Search: Pagefind indexes the written site, one index per page language, before it is swapped in.

write_site() calls index_site(fresh_folder) after writing every page, so a failed index leaves
the previous site as it was. Pagefind writes its bundle to pagefind/ at the site root; the
search box finds it from its own script's address, so the site still works from any folder.
Search needs the site served over http(s): browsers refuse fetch() and module imports on file://.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from .problems import CatalogueError, Problem

BUNDLE = "pagefind"
INSTALL = "python -m pip install 'pagefind[extended]'"


class SearchIndexError(CatalogueError):
    """Pagefind is missing or failed; carried to cli.py like any other problem, as one line."""

    def __init__(self, message: str):
        Exception.__init__(self, "the search index was not built; the previous site was left as it was.")
        self.problems = [Problem("search", 0, "", message)]


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


def searched_glob(prefixes: tuple[str, ...], searched: tuple[str, ...]) -> str:
    """One Pagefind --glob for the searched language paths (routes.SEARCHED) under each language's prefix."""
    return "{" + ",".join(prefix + path for prefix in prefixes for path in searched) + "}"


def index_site(folder: Path, glob: str | None = None) -> None:
    """Index the pages of a written site into folder/pagefind/, offline and with the same bytes each time.

    glob (searched_glob): the only files Pagefind reads; by default every HTML file. Either way only
    pages marked data-pagefind-body are indexed: the glob spares reading the others."""
    folder = Path(folder).resolve()
    command = [str(pagefind_binary()), "--site", str(folder), "--output-subdir", BUNDLE, "--keep-index-url", "--quiet"]
    if glob:
        command += ["--glob", glob]
    # Run from inside the site and without PAGEFIND_* settings, so no stray pagefind.yml or
    # environment variable changes what is indexed.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)
    except OSError as err:
        raise SearchIndexError(
            f"could not run {command[0]}: {err.strerror}; reinstall it with: {INSTALL} --force-reinstall"
        ) from None
    entry = folder / BUNDLE / "pagefind-entry.json"
    if done.returncode != 0 or not entry.is_file():
        said = _said(done.stderr or done.stdout) or f"exit status {done.returncode}"
        raise SearchIndexError(f"Pagefind failed to index the site: {said}")
    _sort_languages(entry)


def _said(output: str) -> str:
    """Pagefind's message on one line, each line once (it prints its errors twice)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return " ".join(dict.fromkeys(lines))[-600:]


def _sort_languages(entry: Path) -> None:
    """Pagefind lists the languages in hash-map order, which changes from run to run; sort them.

    pagefind.js looks a language up by key (else takes the one with most pages), so order is free.
    """
    text = entry.read_text(encoding="utf-8")
    data = json.loads(text)
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    sorted_text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if sorted_text != text:
        entry.write_text(sorted_text, encoding="utf-8")


def languages(folder: Path) -> dict[str, int]:
    """The languages indexed in a site's bundle, with their page counts."""
    data = json.loads((Path(folder) / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {lang: info["page_count"] for lang, info in data["languages"].items()}
