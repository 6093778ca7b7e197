"""workers.py: pages rendered and written by worker processes are the same bytes as a one-process build's,
and a failure in a worker stops the build as it stops a one-process build, leaving the old site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogue import paging, workers
from catalogue.cli import main
from catalogue.config import Config, load_config
from catalogue.preview import State, rebuild
from catalogue.problems import RenderError
from catalogue.render import Renderer
from catalogue.site import Project, build
from catalogue.workers import WorkerDied, chunks
from conftest import CORPUS, CORPUS_PAGE_SIZE, entry_files, make_project


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def forking(monkeypatch):
    """Workers even for a small catalogue (a handful of outputs each), with lists that have pages."""
    monkeypatch.setattr(workers, "MIN_SHARE", 1)
    monkeypatch.setattr(paging, "PAGE_SIZE", CORPUS_PAGE_SIZE)


@pytest.fixture
def corpus(tmp_path) -> Project:
    return make_project(tmp_path / "corpus", CORPUS)


def test_workers_write_the_bytes_one_process_writes(forking, corpus, corpus_site, tmp_path):
    """Three workers build the corpus fixture; conftest's corpus_site is the same catalogue built in one process."""
    build(corpus, tmp_path / "three", load_config(corpus.root), search=False, jobs=3)
    one, three = tree(corpus_site.site), tree(tmp_path / "three")
    assert len(one) > 1000
    assert sorted(one) == sorted(three)
    assert [path for path in one if one[path] != three[path]] == []


def test_an_incremental_build_by_workers_is_a_full_build(forking, project, tmp_path):
    """Workers link the pages the old site holds unchanged and write the rest."""
    site, config = tmp_path / "site", Config(tiles="none")
    build(project, site, config, search=False, jobs=2)
    file = next(f for f in entry_files(project.agreements) if "status: active" in f.read_text(encoding="utf-8"))
    file.write_text(file.read_text(encoding="utf-8").replace("status: active", "status: stalled"), encoding="utf-8")
    build(project, site, config, search=False, jobs=2)
    build(project, tmp_path / "full", config, search=False, jobs=1, incremental=False)
    assert tree(site) == tree(tmp_path / "full")


def test_chunks_keep_a_list_together_largest_first_and_are_the_same_every_time():
    groups = ["a", "list", "b", "list", "list", "c", "d", "short", "e", "short", "f"]
    dealt = chunks(groups, size=2)
    assert dealt == chunks(groups, size=2)
    assert sorted(i for chunk in dealt for i in chunk) == list(range(len(groups)))
    assert dealt[:2] == [[1, 3, 4], [7, 9]]  # each list whole, the longest first: none is left for the end
    assert dealt[2:] == [[0, 2], [5, 6], [8, 10]]  # then the single outputs in order, a few at a time


def test_a_failure_in_what_the_parent_makes_meanwhile_comes_after_every_output(forking):
    """A one-process build makes the exports after the pages: a page's failure is the one it meets first."""

    def make(index: int) -> int:
        if index == 450:
            raise ValueError("page 450")
        return index

    def meanwhile():
        yield "export"
        raise KeyError("an export")

    made = workers.Made(600, make, lambda index: index, 2, meanwhile=meanwhile())
    with pytest.raises(ValueError, match="page 450"):
        list(made)
    made = workers.Made(600, lambda index: index, lambda index: index, 2, meanwhile=meanwhile())
    with pytest.raises(KeyError, match="an export"):
        list(made)
    made = workers.Made(600, lambda index: index, lambda index: index // 10, 2, meanwhile=iter(["x", "y"]))
    assert made.jobs == 2
    assert sorted(index for index, _ in made) == list(range(600))
    assert made.meanwhile_made == ["x", "y"]


def broken_template(project: Project) -> None:
    """A place page that names a variable nobody gives it (the templates are strict)."""
    template = project.templates / "place.html"
    text = template.read_text(encoding="utf-8")
    assert "{% block title %}" in text
    template.write_text(text.replace("{% block title %}", "{% block title %}{{ no_such_value }}", 1), encoding="utf-8")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_template_error_is_one_clear_message_and_the_old_site_stays(forking, project, jobs):
    out = project.root / "site"
    build(project, out, Config(tiles="none"), search=False)
    before = tree(out)
    broken_template(project)
    with pytest.raises(RenderError) as raised:
        build(project, out, Config(tiles="none"), search=False, jobs=jobs)
    message = str(raised.value)
    assert message.startswith(f"{project.templates / 'place.html'}:")
    assert "'no_such_value' is undefined (rendering places/" in message
    assert message.endswith("nothing was written, the previous site is unchanged. Fix the template, then build again")
    assert tree(out) == before
    assert sorted(p.name for p in project.root.iterdir()) == [".site-state", "content", "site", "templates"]


def test_workers_stop_with_the_message_one_process_gives(forking, project):
    broken_template(project)
    messages = []
    for jobs in (1, 2, 3):
        with pytest.raises(RenderError) as raised:
            build(project, project.root / "site", Config(tiles="none"), search=False, jobs=jobs)
        messages.append(str(raised.value))
    assert messages[0] == messages[1] == messages[2]


def test_the_command_names_the_template_and_exits_1(forking, project):
    broken_template(project)
    result = CliRunner().invoke(
        main, ["build", "--root", str(project.root), "--tiles", "none", "--quiet", "--jobs", "2"]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {project.templates / 'place.html'}:")
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (project.root / "site").exists()


def test_a_worker_that_dies_stops_the_build_and_the_old_site_stays(forking, project, monkeypatch):
    out = project.root / "site"
    build(project, out, Config(tiles="none"), search=False)
    before = tree(out)

    here, original = os.getpid(), Renderer.place

    def killed(self, key):
        if os.getpid() == here:  # the parent makes a share too
            return original(self, key)
        os._exit(9)  # as the system's out-of-memory killer ends a process: no exception, no word

    monkeypatch.setattr(Renderer, "place", killed)
    with pytest.raises(
        WorkerDied, match=r"stopped \(exit code 9\)"
    ):  # a full build: an incremental one renders no place
        build(project, out, Config(tiles="none"), search=False, jobs=2, incremental=False)
    assert tree(out) == before
    assert sorted(p.name for p in project.root.iterdir()) == [".site-state", "content", "site", "templates"]


def test_the_preview_shows_a_template_error_as_a_problem(project, tmp_path):
    """`catalogue serve` builds in its own process (its server's threads run) and lists the error, as for content."""
    broken_template(project)
    state = State()
    rebuild(project, tmp_path / "preview", {"tiles": "none"}, state)
    assert state.generation == 1
    assert [problem.message.split(":", 1)[0] for problem in state.problems] == [str(project.templates / "place.html")]
