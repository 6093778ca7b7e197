"""`catalogue check` and `python build.py`: problems as lines and an exit code, never a traceback or a half-written
site.
"""

from __future__ import annotations

import re

import pytest
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from catalogue.cli import main
from conftest import FIXTURES, REPO, make_project
from test_validate import EXPECTED, copied_name

STATUS_PROBLEM = (
    "content/agreements/surakarta-xian.md:11: status: 'actve' is not one of: "
    "active, stalled, exploratory, ended, not-reported (did you mean 'active'?)"
)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def misspell_status(project) -> None:
    entry = project.agreements / "surakarta-xian.md"
    text = entry.read_text(encoding="utf-8")
    assert text.count("status: stalled") == 1
    entry.write_text(text.replace("status: stalled", "status: actve"), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


# -- catalogue check ---------------------------------------------------------------


def test_check_passes_on_the_valid_fixture(project):
    result = run("check", "--root", str(project.root))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "3 entries, 6 places: no problems.\n", "")


def test_check_lists_the_problem_and_the_summary_and_exits_1(project):
    misspell_status(project)
    result = run("check", "--root", str(project.root))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [STATUS_PROBLEM, "1 problem in 1 file; nothing was written."]
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert type(result.exception) is SystemExit


def test_check_reports_problems_in_several_files(project):
    misspell_status(project)
    (project.agreements / "extra.md").write_text("status: active\n", encoding="utf-8")
    result = run("check", "--root", str(project.root))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/agreements/extra.md:1: no front matter; the file must start with a line '---', then the fields, then "
        "a line '---'",
        STATUS_PROBLEM,
        "2 problems in 2 files; nothing was written.",
    ]


def test_check_numbers_many_problems_and_never_shows_a_traceback(project):
    fixtures = sorted((FIXTURES / "invalid").glob("*.md"))
    for fixture in fixtures:
        shutil.copy(fixture, project.agreements / copied_name(fixture))
    result = run("check", "--root", str(project.root))
    count = sum(len(messages) for messages in EXPECTED.values())
    lines = result.stderr.splitlines()
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert type(result.exception) is SystemExit
    assert lines[-1] == f"{count} problems in {len(fixtures)} files; nothing was written."
    assert [re.match(r" *(\d+)\. ", line).group(1) for line in lines[:-1]] == [str(i) for i in range(1, count + 1)]
    assert (
        lines[0]
        == "  1. content/agreements/Bad_Name.md:1: the file name 'Bad_Name.md' must be lower-case words joined by "
        "hyphens; rename it to 'bad-name.md'"
    )
    assert sorted(re.sub(r"^ *\d+\. ", "", line) for line in lines[:-1]) == sorted(
        m for ms in EXPECTED.values() for m in ms
    )


def test_check_outside_a_catalogue_is_a_usage_error(tmp_path):
    result = run("check", "--root", str(tmp_path))
    assert result.exit_code == 2
    assert (
        f"{tmp_path.resolve()} has no content/agreements folder; run this from the catalogue's folder or pass --root"
        in result.stderr
    )
    assert "Traceback" not in result.output


def test_check_runs_as_a_module(project):
    misspell_status(project)
    done = subprocess.run(
        [sys.executable, "-m", "catalogue", "check", "--root", str(project.root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [STATUS_PROBLEM, "1 problem in 1 file; nothing was written."]


# -- a failed build leaves the old site --------------------------------------------


def build_py(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "--tiles", "none", "--quiet"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(project):
    first = build_py(project.root)
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    site = project.root / "site"
    before = snapshot(site)
    assert "index.html" in before and "agreements/surakarta-xian.html" in before

    misspell_status(project)
    second = build_py(project.root)

    assert second.returncode == 1
    assert second.stderr.splitlines() == [STATUS_PROBLEM, "1 problem in 1 file; nothing was written."]
    assert "Traceback" not in second.stderr + second.stdout
    assert snapshot(site) == before
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith((".site-new-", ".site-old-"))) == []


def test_a_failed_first_build_writes_no_site(project):
    misspell_status(project)
    result = run("build", "--root", str(project.root), "--tiles", "none", "--quiet")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [STATUS_PROBLEM, "1 problem in 1 file; nothing was written."]
    assert "Traceback" not in result.output
    assert sorted(p.name for p in project.root.iterdir()) == ["content", "templates"]


def test_a_build_after_a_fix_replaces_the_site(project):
    assert run("build", "--root", str(project.root), "--tiles", "none", "--quiet").exit_code == 0
    site = project.root / "site"
    page = (site / "agreements" / "surakarta-xian.html").read_text(encoding="utf-8")
    entry = project.agreements / "surakarta-xian.md"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("no follow-up was visible", "no follow-up was seen"), encoding="utf-8"
    )

    result = run("build", "--root", str(project.root), "--tiles", "none", "--quiet")

    assert (result.exit_code, result.output) == (0, "")
    assert "no follow-up was visible" in page
    assert "no follow-up was seen" in (site / "agreements" / "surakarta-xian.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in project.root.iterdir()) == [".site-state", "content", "site", "templates"]


@pytest.mark.parametrize(
    "toml, message",
    [
        (
            'stale_after_years = "three"\n',
            "Error: catalogue.toml: stale_after_years = 'three' must be a whole number, like the default "
            "stale_after_years = 3",
        ),
        (
            'title = "unclosed\n',
            "Error: catalogue.toml: Illegal character '\\n' (at line 1, column 18); settings are written `name = "
            '"text"` or `name = 3`',
        ),
        ('colour = "red"\n', "Error: "),
    ],
)
def test_a_bad_setting_names_the_file_and_the_fix(tmp_path, toml, message):
    project = make_project(tmp_path)
    (project.root / "catalogue.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(project.root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
