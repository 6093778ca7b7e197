"""`catalogue diff BASE`: what a branch adds, changes, renames and removes, status changes first."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from conftest import make_project

BANDUNG = """---
parties:
  - name: Bandung
    level: city
    country: ID
  - name: Suwon
    level: city
    country: KR
kind: sister-city
status: active
as_of: 2018
sources:
  - title: A paper
---
Signed in 1997.
"""


def git(root, *args):
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def branch(tmp_path):
    """The fixture catalogue committed, then changed as a pull request would change it."""
    project = make_project(tmp_path)
    root, entries = project.root, project.agreements
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    # A status change with its new year, and another field.
    edit(entries / "surakarta-xian.md", "status: stalled\nas_of: 2017", "status: active\nas_of: 2019")
    edit(entries / "surakarta-xian.md", "sectors: [trade, culture]", "sectors: [trade, culture, education]")
    # A rename that keeps the old address, with a changed body.
    old = entries / "jawa-barat-penang.md"
    text = old.read_text(encoding="utf-8").replace(
        "kind: sister-province", "kind: sister-province\naliases: [jawa-barat-penang]"
    )
    (entries / "jawa-barat-pulau-pinang.md").write_text(
        text.replace("with the State of Penang.", "with the State of Penang (Pulau Pinang).\nAn MoU was signed."),
        encoding="utf-8",
    )
    old.unlink()
    # A removal, an addition, and an addition that does not validate.
    (entries / "sragen-usaid.md").unlink()
    (entries / "bandung-suwon.md").write_text(BANDUNG, encoding="utf-8")
    (entries / "bandung-kyoto.md").write_text(
        BANDUNG.replace("Suwon", "Kyoto").replace("KR", "JP").replace("status: active", "status: actve"),
        encoding="utf-8",
    )
    return project


def diff(project, *args):
    return CliRunner().invoke(main, ["diff", "--root", str(project.root), *args])


def test_diff_lists_what_a_branch_does_with_status_changes_first(branch):
    result = diff(branch, "main")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    commit = git(branch.root, "rev-parse", "--short=7", "main").strip()
    assert result.stdout.splitlines() == [
        f"Entries since main ({commit}): 1 changed, 1 renamed, 2 added, 1 removed.",
        "",
        "Changed",
        "  ~ surakarta-xian: Surakarta – Xi'an, sister-city, active as of 2019",
        "      status: stalled → active (as of 2017 → 2019)",
        "      sectors: [trade, culture] → [trade, culture, education]",
        "",
        "Renamed",
        "  > jawa-barat-penang → jawa-barat-pulau-pinang: Jawa Barat – Penang, sister-province, active as of unknown",
        "      aliases: (none) → [jawa-barat-penang]",
        "      body: 2 lines added, 1 removed",
        "",
        "Added",
        "  + bandung-kyoto: Bandung – Kyoto, sister-city, actve as of 2018",
        "      ! does not validate in the working tree (1 problem; first: content/agreements/bandung-kyoto.md:10: "
        "status: 'actve' is not one of: active, stalled, exploratory, ended, not-reported (did you mean 'active'?))",
        "  + bandung-suwon: Bandung – Suwon, sister-city, active as of 2018",
        "",
        "Removed",
        "  - sragen-usaid: Sragen – USAID, cooperation, ended as of 2017",
        "      ! its page goes away; if the entry moved, list 'sragen-usaid' in the new file's aliases",
    ]


def test_diff_as_markdown_for_a_pull_request_comment(branch):
    result = diff(branch, "main", "--format", "markdown")
    assert result.exit_code == 0, result.output
    commit = git(branch.root, "rev-parse", "--short=7", "main").strip()
    assert result.stdout.splitlines()[:9] == [
        f"### Catalogue entries since `main` (`{commit}`)",
        "",
        "1 changed, 1 renamed, 2 added, 1 removed.",
        "",
        "#### Changed",
        "",
        "- `surakarta-xian`: Surakarta – Xi'an, sister-city, active as of 2019",
        "  - **`status`: stalled → active (as of 2017 → 2019)**",
        "  - `sectors`: \\[trade, culture\\] → \\[trade, culture, education\\]",
    ]
    assert (
        "- `jawa-barat-penang` → `jawa-barat-pulau-pinang`: Jawa Barat – Penang, sister-province, active as of unknown"
        in result.stdout
    )
    assert (
        "  - :warning: its page goes away; if the entry moved, list 'sragen\\_usaid' in the new file's aliases"
        not in result.stdout
    )
    assert (
        "  - :warning: its page goes away; if the entry moved, list 'sragen-usaid' in the new file's aliases"
        in result.stdout
    )


def test_a_status_change_without_a_new_as_of_is_questioned(branch):
    git(branch.root, "add", "-A")
    git(branch.root, "commit", "-q", "-m", "branch")
    edit(branch.agreements / "bandung-suwon.md", "status: active", "status: stalled")
    result = diff(branch, "HEAD")
    assert result.stdout.splitlines()[3:5] == [
        "  ~ bandung-suwon: Bandung – Suwon, sister-city, stalled as of 2018",
        "      status: active → stalled (as_of still 2018: is the new status from a newer source?)",
    ]


def test_an_entry_that_stops_validating_is_flagged_not_a_crash(branch):
    git(branch.root, "add", "-A")
    git(branch.root, "commit", "-q", "-m", "branch")
    (branch.agreements / "bandung-suwon.md").write_text("parties: [oops\n", encoding="utf-8")
    result = diff(branch, "HEAD")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3:] == [
        "  ~ bandung-suwon: bandung-suwon",
        "      ! does not validate in the working tree (1 problem; first: content/agreements/bandung-suwon.md:1: "
        "no front matter; the file must start with a line '---', then the fields, then a line '---')",
    ]


def test_no_changes(branch):
    git(branch.root, "add", "-A")
    git(branch.root, "commit", "-q", "-m", "branch")
    result = diff(branch, "HEAD")
    assert result.stdout.splitlines() == [
        f"Entries since HEAD ({git(branch.root, 'rev-parse', '--short=7', 'HEAD').strip()}): no entries changed."
    ]


def test_an_unknown_revision_or_no_repository_is_a_message_not_a_traceback(branch, tmp_path):
    result = diff(branch, "no-such-branch")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: 'no-such-branch' is not a revision in this repository; try a branch (main), a tag or a commit id\n"
    )
    outside = make_project(tmp_path / "elsewhere")
    result = diff(outside, "main")
    assert result.exit_code == 1
    assert "is not in a git repository; run this in the catalogue's clone" in result.stderr
    assert "Traceback" not in result.output
