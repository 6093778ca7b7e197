"""`catalogue serve` as a contributor uses it, in a real browser: edit an entry's status and the
open page shows the new badge by itself; break the entry and the page shows the check's problem;
fix it and the page comes back. Nothing is reloaded by hand."""

from __future__ import annotations

import json
import threading
import urllib.request
from http.server import ThreadingHTTPServer

import pytest

from catalogue import incremental, parsecache
from catalogue import preview as preview_module
from catalogue.config import Config
from catalogue.preview import STATE, Preview, State, handler_for, problem_page
from catalogue.problems import Problem
from catalogue.site import Warm, build
from conftest import make_project
from test_build import files_of
from test_browser import visit  # noqa: F401 (fixtures)

PAGE = "en/agreements/surakarta-xian.html"
WAIT_MS = 60_000  # a rebuild on a busy machine; the benchmark prints the real figure


@pytest.fixture
def preview(tmp_path):
    project = make_project(tmp_path)
    running = Preview(project, tmp_path / "preview" / "site", 0, {"tiles": "none"}).start()
    yield project, running
    running.close()


@pytest.mark.browser
def test_edit_break_and_fix_an_entry_while_its_page_is_open(preview, visit):
    project, running = preview
    v = visit(f"http://127.0.0.1:{running.port}/")
    v.open(PAGE)
    assert v.page.inner_text(".status-line .badge").strip() == "Stalled"
    entry = project.agreements / "surakarta-xian.md"
    text = entry.read_text(encoding="utf-8")
    assert "status: stalled\n" in text

    entry.write_text(text.replace("status: stalled\n", "status: active\n"), encoding="utf-8")
    v.page.wait_for_function(
        "() => document.querySelector('.status-line .badge')?.textContent.trim() === 'Active'", timeout=WAIT_MS
    )

    entry.write_text(text.replace("status: stalled\n", "status: actve\n"), encoding="utf-8")
    v.page.wait_for_selector("table.problems", timeout=WAIT_MS)
    row = [v.page.inner_text(f"table.problems tbody tr td:nth-child({i})") for i in (1, 2, 3, 4)]
    line = 1 + text.splitlines().index("status: stalled")
    assert row == [
        "content/agreements/surakarta-xian.md",
        str(line),
        "status",
        "'actve' is not one of: active, stalled, exploratory, ended, not-reported (did you mean 'active'?)",
    ]
    last_good = v.page.context.new_page()
    last_good.goto(v.base + PAGE + "?last-good")
    assert last_good.inner_text(".status-line .badge").strip() == "Active"  # the last good site is still served

    entry.write_text(text, encoding="utf-8")
    v.page.wait_for_function(
        "() => document.querySelector('.status-line .badge')?.textContent.trim() === 'Stalled'", timeout=WAIT_MS
    )
    # A reload aborts what the page was still fetching (its favicon, say), which Chromium reports as
    # a failed request; error statuses, console errors and script errors all still count.
    assert [error for error in v.errors if not error.startswith("failed: ")] == []
    assert all(url.startswith(v.base) for url in v.requests)  # nothing from outside the site


def test_the_problem_page_escapes_what_it_shows():
    page = problem_page(
        [Problem("content/agreements/<b>x</b>.md", 3, "status", "'<script>alert(1)</script>' is not one of: active")], 7
    ).decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'data-preview-generation="7"' in page and page.count("<script") == 1  # only the reload script


def test_a_save_before_the_watcher_starts_is_still_rebuilt(tmp_path):
    """The watcher compares with the inputs as the first build read them, not as they are when its
    thread happens to start: a save in between (a busy machine, a fast editor) is not lost."""
    project = make_project(tmp_path)
    rebuilt = threading.Event()
    preview = Preview(project, tmp_path / "preview" / "site", 0, {"tiles": "none"}, lambda state: rebuilt.set())
    entry = project.agreements / "surakarta-xian.md"  # built, not yet watching: the save comes now
    entry.write_text(entry.read_text(encoding="utf-8") + "\nSaved before the watcher started.\n", encoding="utf-8")
    preview.start()
    try:
        assert rebuilt.wait(60), "the save made before the watcher started was never rebuilt"
        assert "Saved before the watcher started." in (preview.out / PAGE).read_text(encoding="utf-8")
    finally:
        preview.close()


# -- a page is told at once; the process stays warm ------------------------------------------


def ask(port: int, after: str | None = None) -> dict:
    query = "" if after is None else f"?after={after}"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{STATE}{query}", timeout=30) as answer:
        return json.loads(answer.read())


@pytest.fixture
def server(tmp_path):
    state = State(generation=1)
    running = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(tmp_path, state))
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running.server_address[1], state
    with state.lock:
        state.closed = True
        state.lock.notify_all()
    running.shutdown()
    running.server_close()


def test_a_page_is_answered_as_soon_as_a_rebuild_finishes(server):
    port, state = server
    answers: list[dict] = []
    asking = threading.Thread(target=lambda: answers.append(ask(port, after="1")))
    asking.start()
    asking.join(0.5)
    assert answers == []  # held: no build newer than the page's yet
    with state.lock:
        state.generation = 2
        state.lock.notify_all()
    asking.join(5)
    assert answers == [{"generation": 2, "problems": 0, "seconds": 0.0}]
    assert ask(port, after="1")["generation"] == 2  # a page of an older build is answered at once
    assert ask(port)["generation"] == 2  # and so is a question without a build


def test_questions_held_are_answered_when_the_preview_stops(server):
    port, state = server
    answers: list[dict] = []
    asking = threading.Thread(target=lambda: answers.append(ask(port, after="1")))
    asking.start()
    asking.join(0.3)
    with state.lock:
        state.closed = True
        state.lock.notify_all()
    asking.join(5)
    assert answers == [{"generation": 1, "problems": 0, "seconds": 0.0}]


def test_a_warm_rebuild_reads_nothing_of_the_last_build_again_and_makes_the_same_site(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    warm, out = Warm(), tmp_path / "warm" / "site"
    build(project, out, Config(tiles="none"), search=False, jobs=1, warm=warm)
    warm.read_manifest(out)
    assert warm.previous is not None and warm.previous.outputs and warm.cache is not None
    entry = project.agreements / "surakarta-xian.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\nA warm edit.\n", encoding="utf-8")

    def unread(*args):
        raise AssertionError("read again from beside the site")

    monkeypatch.setattr(incremental, "read_previous", unread)
    monkeypatch.setattr(parsecache, "read_cache", unread)
    build(project, out, Config(tiles="none"), search=False, jobs=1, warm=warm)
    monkeypatch.undo()
    # The site is new: what the next rebuild needs of it is handed back by write_site, as read_previous reads it.
    assert warm.previous is not None and warm.previous == incremental.read_previous(out.resolve(), warm.environment)
    assert "A warm edit." in (out / PAGE).read_text(encoding="utf-8")

    cold = tmp_path / "cold" / "site"
    build(project, cold, Config(tiles="none"), search=False, jobs=1)
    assert files_of(out) == files_of(cold)


def test_a_warm_rebuild_in_another_environment_reads_from_beside_the_site(tmp_path):
    project = make_project(tmp_path)
    warm, out = Warm(), tmp_path / "site"
    build(project, out, Config(tiles="none"), search=False, jobs=1, warm=warm)
    warm.read_manifest(out)
    kept = warm.environment
    build(project, out, Config(tiles="openstreetmap"), search=False, jobs=1, warm=warm)  # another setting
    assert warm.environment != kept
    cold = tmp_path / "cold" / "site"
    build(project, cold, Config(tiles="openstreetmap"), search=False, jobs=1)
    assert files_of(out) == files_of(cold)


def test_the_first_build_uses_every_core_and_rebuilds_run_in_process(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    jobs = []
    real = preview_module.build
    monkeypatch.setattr(preview_module, "build", lambda *a, **k: jobs.append(k["jobs"]) or real(*a, **k))
    rebuilt = threading.Event()
    running = Preview(project, tmp_path / "preview" / "site", 0, {"tiles": "none"}, lambda state: rebuilt.set())
    running.start()
    try:
        entry = project.agreements / "surakarta-xian.md"
        entry.write_text(entry.read_text(encoding="utf-8") + "\nSaved.\n", encoding="utf-8")
        assert rebuilt.wait(60)
    finally:
        running.close()
    assert jobs == [None, 1]
