"""history: dates and versions from a temporary git repository with known commit dates."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from catalogue.history import History, load_history, load_versions, reference_date

ENTRY = """---
parties:
  - {{name: Surakarta, level: city, country: ID}}
  - {{name: Xi'an, level: city, country: CN}}
kind: sister-city
status: {status}
as_of: {as_of}
sources:
  - title: A paper
---
{body}
"""


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


class Repo:
    """A git repository in a temporary folder, committing at fixed dates."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q")

    def git(self, *args: str, date: str = "2020-01-01T00:00:00Z") -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.org",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        done = subprocess.run(["git", "-C", str(self.root), *args], env=env, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def write(self, path: str, text: str) -> None:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")

    def entry(self, slug: str, status: str = "active", as_of: str = "2019", body: str = "Text.") -> str:
        path = f"content/agreements/{slug}.md"
        self.write(path, ENTRY.format(status=status, as_of=as_of, body=body))
        return path

    def commit(self, date: str, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Repo:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return Repo(tmp_path / "repo")


A = "content/agreements/a.md"
B = "content/agreements/b.md"


def test_published_and_updated_are_the_first_and_last_commit(repo):
    repo.entry("a", "active", "2019")
    repo.entry("b")
    first = repo.commit("2020-01-01T10:00:00Z")
    repo.entry("a", "stalled", "2021")
    second = repo.commit("2021-06-15T12:30:00+07:00")  # stored in UTC
    repo.write("README.md", "not an entry")
    repo.commit("2022-01-01T00:00:00Z")

    history = load_history(repo.root, [A, B])

    assert history.published(A) == utc("2020-01-01T10:00:00")
    assert history.updated(A) == utc("2021-06-15T05:30:00")
    assert history.published(B) == history.updated(B) == utc("2020-01-01T10:00:00")
    assert [(c.rev, c.change) for c in history.files[A].commits] == [(first, "A"), (second, "M")]
    assert history.revision == second  # the README commit did not touch content/


def test_only_the_paths_asked_for_are_kept(repo):
    repo.entry("a")
    repo.entry("b")
    repo.commit("2020-01-01T00:00:00Z")
    history = load_history(repo.root, [A])
    assert set(history.files) == {A}
    assert history.published(B) is None


def test_versions_give_the_status_at_each_commit(repo):
    repo.entry("a", "active", "2019")
    repo.commit("2020-01-01T00:00:00Z")
    repo.entry("a", "active", "2019", body="Only the text changed.")
    repo.commit("2020-06-01T00:00:00Z")
    repo.entry("a", "stalled", "2021")
    repo.commit("2021-01-01T00:00:00Z")
    repo.write(A, "---\nstatus: [unclosed\n---\n")
    repo.commit("2021-02-01T00:00:00Z")

    history = load_history(repo.root, [A])
    versions = load_versions(history, [A, "content/agreements/unknown.md"])

    assert list(versions) == [A]
    assert [(v.status, v.as_of) for v in versions[A]] == [
        ("active", "2019"),
        ("active", "2019"),
        ("stalled", "2021"),
        (None, None),
    ]
    assert [v.commit.time.year for v in versions[A]] == [2020, 2020, 2021, 2021]


def test_a_file_deleted_and_added_again_starts_afresh(repo):
    repo.entry("a")
    repo.entry("b")
    repo.commit("2020-01-01T00:00:00Z")
    (repo.root / A).unlink()
    (repo.root / B).unlink()
    repo.commit("2021-01-01T00:00:00Z")
    repo.entry("a")
    repo.commit("2022-01-01T00:00:00Z")

    history = load_history(repo.root, [A, B])

    assert history.published(A) == utc("2022-01-01T00:00:00")
    assert B not in history.files


def test_a_catalogue_inside_a_larger_repository(repo):
    project = repo.root / "site"
    (project / "content" / "agreements").mkdir(parents=True)
    (project / A).write_text(ENTRY.format(status="ended", as_of="2017", body="x"), encoding="utf-8")
    repo.entry("a")  # the repository's own content/, which is not this catalogue's
    repo.commit("2020-03-01T00:00:00Z")

    history = load_history(project, [A])

    assert [c.change for c in history.files[A].commits] == ["A"]
    assert load_versions(history, [A])[A][0].status == "ended"


def test_outside_a_repository_the_history_is_empty(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "content" / "agreements").mkdir(parents=True)
    history = load_history(tmp_path, [A])
    assert history == History()
    assert history.published(A) is None and history.updated(A) is None
    assert load_versions(history, [A]) == {}
    assert reference_date(tmp_path) is None


def test_without_git_the_history_is_empty(repo, monkeypatch):
    repo.entry("a")
    repo.commit("2020-01-01T00:00:00Z")
    monkeypatch.setenv("PATH", str(repo.root / "no-such-folder"))
    assert load_history(repo.root, [A]) == History()
    assert reference_date(repo.root) is None


def test_a_shallow_clone_has_no_entry_history(repo, tmp_path):
    repo.entry("a")
    repo.commit("2020-01-01T00:00:00Z")
    repo.entry("a", "stalled")
    last = repo.commit("2021-01-01T00:00:00Z")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True, capture_output=True
    )
    history = load_history(clone, [A])
    assert history.files == {} and history.published(A) is None
    assert (history.revision, history.reference) == (last, utc("2021-01-01T00:00:00"))


def test_a_repository_without_commits_has_no_history(repo):
    repo.entry("a")
    assert load_history(repo.root, [A]).files == {}


def test_reference_date_is_the_last_commit_touching_content(repo):
    repo.entry("a")
    repo.commit("2020-01-01T00:00:00Z")
    repo.write("content/places.yaml", "ID: {}\n")
    repo.commit("2021-05-05T05:05:05Z")
    repo.write("README.md", "later, but not content")
    repo.commit("2023-01-01T00:00:00Z")
    assert reference_date(repo.root) == utc("2021-05-05T05:05:05")
    assert load_history(repo.root, [A]).reference == utc("2021-05-05T05:05:05")


def test_source_date_epoch_wins(repo, monkeypatch):
    repo.entry("a")
    repo.commit("2020-01-01T00:00:00Z")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert reference_date(repo.root) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert load_history(repo.root, [A]).reference == reference_date(repo.root)
    assert load_history(repo.root / "nowhere", [A]).reference == reference_date(repo.root)


def test_a_malformed_source_date_epoch_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        reference_date(tmp_path)


def test_history_is_deterministic(repo):
    for n in range(5):
        repo.entry(f"e{n}", as_of=str(2010 + n))
        repo.commit(f"202{n}-01-01T00:00:00Z")
    paths = [f"content/agreements/e{n}.md" for n in range(5)]
    assert load_history(repo.root, paths) == load_history(repo.root, reversed(paths))
