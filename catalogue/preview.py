"""`catalogue serve`: build, serve on 127.0.0.1, rebuild on every saved change, reload the open page.

Stdlib only. A thread polls the inputs (content/, templates/, catalogue.toml) for changed
sizes and modification times; a change rebuilds the site (without the search index, which may
lag in preview) into the same folder, swapped in whole by write.py. Every HTML page is served
with one small script, /__preview/reload.js, that asks /__preview/state?after=<its build> and
reloads the page when the answer comes: the server holds that request until a rebuild finished
(a long poll), so the page reloads as soon as the site is swapped in, not at its next poll.
When a rebuild fails, HTML pages show the check's problems (file, line, field, message) instead,
while the last good site stays on disk and is served at ?last-good; fixing the file brings the
pages back.

The process stays warm between rebuilds: the templates stay compiled and the gazetteer's countries
read (in memory, per process), and the parse cache (with the validated records) and the manifest of the
site it made are kept (site.Warm) rather than read again from beside the site: write_site hands the
manifest back, and the watcher tells the build nothing more (a build still digests every input: a
change it was not told of is never missed). The first build uses every core (no server thread runs yet, so forking is
safe); the rebuilds run in this process.
"""

from __future__ import annotations

import gc
import html
import json
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .config import ConfigError, load_config
from .problems import CatalogueError, Problem, RenderError
from .site import Project, Warm, build
from .write import UnsafePath, WriteError

STATE = "/__preview/state"
SCRIPT = "/__preview/reload.js"
POLL_SECONDS = 0.2  # how often the watcher looks for a saved change
HOLD_SECONDS = 20.0  # how long the server holds a page's question before answering "no new build yet"

RELOAD_JS = """\
// catalogue serve: reload this page when the site was rebuilt (served by the preview, never published).
// The server answers when a build other than this page's has finished, or after a while with the same.
(() => {
  const seen = document.documentElement.dataset.previewGeneration;
  const ask = () => fetch("%(state)s?after=" + encodeURIComponent(seen), {cache: "no-store"})
    .then(r => r.json())
    .then(s => { if (String(s.generation) !== seen) location.reload(); else ask(); })
    .catch(() => setTimeout(ask, 1000));
  ask();
})();
""" % {"state": STATE}


@dataclass
class State:
    """What the watcher last made of the inputs, shared with the request threads."""

    generation: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Condition = field(default_factory=threading.Condition)  # notified at each new generation
    closed: bool = False  # the preview is stopping: questions held are answered now


def inputs(root: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime in ns) of every file a build reads, by path: a change in any means rebuild.

    Walked with os.scandir, not Path.rglob: the watcher does this five times a second, and at 25,000
    entries rglob's paths cost several times the stats."""
    files: dict[str, tuple[int, int]] = {}

    def walk(folder: str) -> None:
        try:
            found = os.scandir(folder)
        except OSError:  # gone, or not a folder
            return
        with found:
            for item in found:
                try:
                    if item.is_dir():
                        walk(item.path)
                    elif item.is_file():
                        stat = item.stat()
                        files[item.path] = (stat.st_size, stat.st_mtime_ns)
                except OSError:  # removed while walked: the next look sees it gone
                    continue

    for folder in ("content", "templates"):
        walk(os.path.join(root, folder))
    config = root / "catalogue.toml"
    if config.is_file():
        stat = config.stat()
        files[config.as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return files


def rebuild(
    project: Project,
    out: Path,
    overrides: Mapping[str, str | None],
    state: State,
    warm: Warm | None = None,
    jobs: int | None = 1,
) -> None:
    """Build once; on success a new generation, on failure the problems (the old site stays).

    jobs: 1 (in this process) once the server's threads run: a fork copies only the thread that forks,
    and a lock another thread holds would never be released in the child; a rebuild is small."""
    started = time.perf_counter()
    try:
        config = load_config(project.root, **overrides)
        build(project, out, config, search=False, jobs=jobs, warm=warm)
        problems: list[Problem] = []
    except ConfigError as err:
        problems = [err.problem]
    except CatalogueError as err:
        problems = list(err.problems)
    except (UnsafePath, WriteError, RenderError) as err:  # a template's mistake is shown like a content one
        problems = [Problem("site", 0, "", str(err))]
    with state.lock:
        state.generation += 1
        state.problems = problems
        state.seconds = time.perf_counter() - started
        state.lock.notify_all()  # the pages waiting for a new build reload now
    if warm is not None and not problems:
        warm.read_manifest(out)  # for the next rebuild, while the pages reload
    # What this process keeps (the parse cache, the gazetteer's countries, compiled templates) out of the
    # cyclic collector's way: the next rebuild's collections, which ran over all of it, skip it. The build
    # unfreezes when it ends (workers.settled), so what it let go is collected here first.
    gc.collect()
    gc.freeze()


def watch(
    project: Project,
    out: Path,
    overrides: Mapping[str, str | None],
    state: State,
    stop: threading.Event,
    on_rebuild: Callable[[State], None] = lambda state: None,
    seen: dict[str, tuple[int, int]] | None = None,
    warm: Warm | None = None,
) -> None:
    """Poll the inputs until stop is set; rebuild after each change since `seen` (default: now)."""
    seen = inputs(project.root) if seen is None else seen
    while not stop.wait(POLL_SECONDS):
        now = inputs(project.root)
        if now != seen:
            seen = now
            rebuild(project, out, overrides, state, warm)
            on_rebuild(state)


def problem_page(problems: list[Problem], generation: int) -> bytes:
    """The check's problems as a page: every field escaped, nothing from outside."""
    rows = "\n".join(
        f"<tr><td><code>{html.escape(p.path)}</code></td><td>{p.line or ''}</td><td><code>{html.escape(p.field)}</code></td>"
        f"<td>{html.escape(p.message)}</td></tr>"
        for p in problems
    )
    count = f"{len(problems)} problem{'s' * (len(problems) != 1)}"
    return f"""<!DOCTYPE html>
<html lang="en" data-preview-generation="{generation}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>{count} · catalogue serve</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:.3rem .6rem;text-align:left;vertical-align:top}}</style></head>
<body><main><h1>The catalogue does not build: {count}</h1>
<p>Fix the file and save it; this page reloads by itself. <a href="?last-good">The last good version of this page</a>.</p>
<table class="problems"><thead><tr><th>file</th><th>line</th><th>field</th><th>problem and fix</th></tr></thead>
<tbody>
{rows}
</tbody></table></main><script src="{SCRIPT}"></script></body></html>
""".encode("utf-8")


def handler_for(out: Path, state: State) -> type[SimpleHTTPRequestHandler]:
    class Preview(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:  # as http.server passes them
            super().__init__(*args, directory=str(out), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:  # the terminal shows rebuilds, not every request
            pass

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")  # a reload must fetch the rebuilt page
            super().end_headers()

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            after = parse_qs(parts.query).get("after", [""])[0] if parts.path == STATE else ""
            with state.lock:
                # A page's question: held until a build other than the page's has finished (or a while).
                state.lock.wait_for(lambda: str(state.generation) != after or state.closed, HOLD_SECONDS)
                generation, problems, seconds = state.generation, list(state.problems), state.seconds
            if parts.path == STATE:
                shown = {"generation": generation, "problems": len(problems), "seconds": round(seconds, 3)}
                return self._send(json.dumps(shown).encode(), "application/json")
            if parts.path == SCRIPT:
                return self._send(RELOAD_JS.encode(), "text/javascript; charset=utf-8")
            page = self.translate_path(parts.path)
            if parts.path.startswith("/pagefind/") and not Path(page).is_file():
                # No search index in preview (it would double a rebuild): an empty script and style
                # sheet, so the page shows no search box rather than errors.
                return self._send(b"", "text/css" if parts.path.endswith(".css") else "text/javascript")
            if Path(page).is_dir():
                page = str(Path(page) / "index.html")
            if not page.endswith(".html"):
                return super().do_GET()
            if problems and parts.query != "last-good":
                return self._send(problem_page(problems, generation), "text/html; charset=utf-8")
            try:
                body = Path(page).read_bytes()
            except OSError:
                return super().do_GET()  # its 404
            # Tell the script which build it was served from, and load it from the site itself.
            body = body.replace(b"<html", f'<html data-preview-generation="{generation}"'.encode(), 1)
            body = body.replace(b"</body>", f'<script src="{SCRIPT}"></script></body>'.encode(), 1)
            return self._send(body, "text/html; charset=utf-8")

        def _send(self, body: bytes, kind: str) -> None:
            try:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the page went away (reloaded) while its question was held
                pass

    return Preview


class Preview:
    """A running preview: the server and the watcher, started and stopped together."""

    def __init__(
        self,
        project: Project,
        out: Path,
        port: int,
        overrides: Mapping[str, str | None] | None = None,
        on_rebuild: Callable[[State], None] = lambda state: None,
    ) -> None:
        self.project, self.out, self.overrides = project, out, overrides or {}
        self.state = State()
        self.warm = Warm()
        # The inputs as the first build reads them: a save made while it builds, or before the
        # watcher's thread has started, is a change (taken in the thread, it could be missed).
        seen = inputs(project.root)
        # Every core for the first build (a full one): no other thread of this process runs yet.
        rebuild(project, out, self.overrides, self.state, self.warm, jobs=None)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(out, self.state))
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self.server.serve_forever, daemon=True),
            threading.Thread(
                target=watch,
                args=(project, out, self.overrides, self.state, self.stop, on_rebuild, seen, self.warm),
                daemon=True,
            ),
        ]

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def start(self) -> "Preview":
        for thread in self.threads:
            thread.start()
        return self

    def close(self) -> None:
        self.stop.set()
        with self.state.lock:
            self.state.closed = True
            self.state.lock.notify_all()
        self.server.shutdown()
        self.server.server_close()
        for thread in self.threads:
            thread.join()
        gc.unfreeze()  # what the rebuilds froze can be collected again
