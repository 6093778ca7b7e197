"""`catalogue serve` as a contributor uses it, in a real browser: edit an entry's status and the
open page shows the new badge by itself; break the entry and the page shows the check's problem;
fix it and the page comes back. Nothing is reloaded by hand."""

from __future__ import annotations

import threading

import pytest

from catalogue.preview import Preview, problem_page
from catalogue.problems import Problem
from conftest import make_project
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
