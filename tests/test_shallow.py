"""A build from a shallow clone says, on its last line, that it has no dates from git."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from catalogue.cli import SHALLOW, main
from conftest import make_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

GIT = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
}


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT})


@pytest.fixture
def repository(tmp_path):
    project = make_project(tmp_path)
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "first")
    entry = project.agreements / "surakarta-xian.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    git(project.root, "commit", "-q", "-am", "second")
    return project.root


def build(root):
    return CliRunner().invoke(main, ["build", "--root", str(root), "--tiles", "none"])


def test_a_shallow_clone_says_so_on_the_last_line(repository, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repository}", str(clone))
    result = build(clone)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == SHALLOW
    assert "shallow clone" in SHALLOW and "git fetch --unshallow" in SHALLOW


def test_a_full_clone_says_nothing_of_it(repository):
    result = build(repository)
    assert result.exit_code == 0, result.output
    assert "shallow" not in result.output
