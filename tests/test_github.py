"""The GitHub side: workflows run the README's commands, the issue form offers the vocabularies,
and `catalogue check --format github` annotates the pull request's lines."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from catalogue import vocab
from catalogue.cli import _escape, main
from chromium import PLAYWRIGHT
from conftest import REPO

GITHUB = REPO / ".github"
README = (REPO / "README.md").read_text(encoding="utf-8")


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the key `on` as True.
    return workflow.get("on", workflow.get(True))


def runs(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def uses(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]


def readme_command(comment: str) -> str:
    """The command under a comment in the README's 'two commands' block."""
    found = re.search(rf"# {re.escape(comment)}[^\n]*\n(.+)", README)
    assert found, f"README lost its '{comment}' command"
    return found.group(1).strip()


# -- workflows ------------------------------------------------------------------


def test_pull_requests_run_the_check_the_readme_tests_and_a_build():
    workflow = load(GITHUB / "workflows" / "pull-request.yml")
    assert "pull_request" in triggers(workflow)
    steps = runs(workflow)
    test_command = readme_command("Run the tests")
    assert test_command == "bash tools/test.sh"
    assert test_command in steps
    assert any(step.endswith("catalogue check --format github") for step in steps)
    assert "python build.py --tiles none" in steps
    # The check comes first, so its annotations appear even when the tests then fail on the same entry.
    assert [i for i, s in enumerate(steps) if "catalogue check" in s][0] < steps.index(test_command)
    assert uses(workflow)[:2] == ["actions/checkout", "actions/setup-python"]
    setup = next(
        s
        for job in workflow["jobs"].values()
        for s in job["steps"]
        if s.get("uses", "").startswith("actions/setup-python")
    )
    assert setup["with"]["python-version"] == "3.11"


def test_main_is_built_with_the_readme_command_and_published_to_pages():
    workflow = load(GITHUB / "workflows" / "pages.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    # The README's command, given the address Pages publishes at (canonical links, feeds, sitemap).
    assert any(run.startswith(readme_command("Build the site") + " --base-url ") for run in runs(workflow))
    checkout = next(s for s in workflow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # dates in feeds and citations come from the whole history
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses(workflow))
    upload = next(
        s for s in workflow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact")
    )
    assert upload["with"]["path"].rstrip("/") == "site"


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
# What a fresh ubuntu-latest runner has: the repository alone (nothing beside it), no Debian chromium.
FOREIGN = ("/usr/bin/chromium", "apt-get install -y chromium", "CATALOGUE_LINT_NO_INSTALL")
OUTSIDE = re.compile(r"(?:^|[\s\"'=:(])\.\.(?:/|\s|$)", re.M)  # a path that climbs out of the checkout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_each_workflow_runs_on_a_fresh_hosted_runner(path):
    workflow = load(path)
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    needed = pyproject["project"]["requires-python"].removeprefix(">=")
    for job in workflow["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest"
        setup = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python")]
        for step in setup:  # a Python the package accepts
            assert tuple(map(int, step["with"]["python-version"].split("."))) >= tuple(map(int, needed.split(".")))
    for step in steps(workflow):
        if "uses" in step:  # actions by a major version, not a branch
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]
        if "run" not in step:
            continue
        # Every script a step runs is in the repository, and nothing outside it is read or assumed.
        for script in re.findall(r"(?:bash|python) ((?:tools/|\.ci/)?[\w/.-]+\.(?:sh|py))", step["run"]):
            assert (REPO / script).is_file(), script
        assert not [word for word in FOREIGN if word in step["run"] or word in str(step.get("env", ""))]
        assert not OUTSIDE.search(step["run"]) and not OUTSIDE.search(str(step.get("env", ""))), step["run"]
    # The package is installed before the first step that needs it (the check, the build).
    runs_ = runs(workflow)
    first = next(i for i, run in enumerate(runs_) if "catalogue " in run or "build.py" in run)
    assert any("pip install -e ." in run for run in runs_[: first + 1])


def fake_python(tmp_path) -> tuple[dict[str, str], Path]:
    """A PATH whose `python` only writes down how it was called: a script's commands, run offline."""
    (tmp_path / "bin").mkdir()
    log = tmp_path / "calls"
    fake = tmp_path / "bin" / "python"
    fake.write_text(f'#!/bin/sh\necho "$*" >> {log}\n', encoding="utf-8")
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    return env, log


def test_the_test_script_installs_playwrights_chromium_when_the_workflow_asks_for_it(tmp_path):
    workflow = load(GITHUB / "workflows" / "pull-request.yml")
    step = next(s for s in steps(workflow) if s.get("run") == "bash tools/test.sh")
    assert step["env"]["CATALOGUE_CHROMIUM"] == PLAYWRIGHT
    env, log = fake_python(tmp_path)
    subprocess.run(["bash", "tools/test.sh", "-q"], cwd=REPO, env={**env, **step["env"]}, check=True)
    assert log.read_text(encoding="utf-8").splitlines() == [
        "-m pip install --quiet --disable-pip-version-check -e .[test]",
        "-m playwright install --with-deps chromium",
        "-m pytest -n auto --dist loadfile -q",
    ]
    log.unlink()  # a Chromium named by its path is used as it is: nothing to install
    subprocess.run(["bash", "tools/test.sh"], cwd=REPO, env={**env, "CATALOGUE_CHROMIUM": sys.executable}, check=True)
    assert "playwright" not in log.read_text(encoding="utf-8")


def test_the_lint_script_installs_its_tools_first(tmp_path):
    env, log = fake_python(tmp_path)
    subprocess.run(["bash", "tools/lint.sh"], cwd=REPO, env=env, check=True)
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "-m pip install --quiet --disable-pip-version-check -e .[lint]"
    assert [call.split()[1] for call in calls[1:]] == ["ruff", "ruff", "mypy"]
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    names = {extra: {re.split(r"[<>=\[ ]", d)[0] for d in deps} for extra, deps in extras.items()}
    assert {"ruff", "mypy"} <= names["lint"] and {"pytest", "pytest-xdist", "playwright"} <= names["test"]


# -- issue form and pull-request template ---------------------------------------------


def form_options(field_id: str) -> list[str]:
    form = load(GITHUB / "ISSUE_TEMPLATE" / "report-agreement.yml")
    field = next(item for item in form["body"] if item.get("id") == field_id)
    assert field["type"] == "dropdown"
    return field["attributes"]["options"]


@pytest.mark.parametrize(("field_id", "terms"), [("kind", vocab.KINDS), ("status", vocab.STATUSES)])
def test_the_issue_form_offers_the_vocabulary(field_id, terms):
    expected = [
        f"{t.labels['id']} / {t.labels['en']} ({key})" + (f": {t.notes['id']} / {t.notes['en']}" if t.notes else "")
        for key, t in terms.items()
    ]
    assert form_options(field_id) == expected, (
        f"update .github/ISSUE_TEMPLATE/report-agreement.yml '{field_id}' from catalogue/vocab.py"
    )


def test_the_issue_form_asks_for_places_country_year_and_a_source():
    form = load(GITHUB / "ISSUE_TEMPLATE" / "report-agreement.yml")
    ids = {item.get("id") for item in form["body"]}
    assert {
        "place-indonesia",
        "place-partner",
        "country-partner",
        "as-of",
        "source-title",
        "source-url",
        "details",
    } <= ids
    required = {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}
    assert {"place-indonesia", "place-partner", "source-title"} <= required
    assert load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")["blank_issues_enabled"] is True


def test_the_pull_request_template_is_a_short_checklist():
    template = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", template, re.M)
    assert len(items) == 5
    for needle in ("source", "`as_of`", "`catalogue check`", "One agreement per file", "`aliases:`"):
        assert any(needle in item for item in items), needle


def test_contributing_defines_each_status_as_the_vocabulary_does():
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for key, term in vocab.STATUSES.items():
        assert f"| `{key}` | {term.labels['en']} | {term.notes['en']}" in guide, key
        assert f"| `{key}` | {term.labels['id']} | {term.notes['id']}" in guide, key


# -- catalogue check --format github -----------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def break_entry(project, old: str, new: str, name: str = "surakarta-xian.md") -> None:
    entry = project.agreements / name
    text = entry.read_text(encoding="utf-8")
    assert text.count(old) == 1
    entry.write_text(text.replace(old, new), encoding="utf-8")


def test_check_github_format_annotates_each_problem_and_exits_1(project):
    break_entry(project, "status: stalled", "status: actve")
    result = run("check", "--root", str(project.root), "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=content/agreements/surakarta-xian.md,line=11,title=status::"
        "'actve' is not one of: active, stalled, exploratory, ended, not-reported (did you mean 'active'?)",
    ]
    assert result.stderr == "1 problem in 1 file; nothing was written.\n"
    assert "Traceback" not in result.output


def test_check_github_format_escapes_properties_and_data(project):
    # ',' in a file name, ':' in a field name and '%' in a value must all survive GitHub's command parser.
    break_entry(project, "status: stalled", 'status: 50%\n"mayor:name": x')
    (project.agreements / "a,b.md").write_text("no front matter\n", encoding="utf-8")
    result = run("check", "--root", str(project.root), "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert (
        lines[0]
        == "::error file=content/agreements/a%2Cb.md,line=1::no front matter; the file must start with a line '---', "
        "then the fields, then a line '---'"
    )
    assert (
        lines[1]
        == "::error file=content/agreements/surakarta-xian.md,line=11,title=status::'50%25' is not one of: active, "
        "stalled, exploratory, ended, not-reported"
    )
    assert lines[2].startswith(
        "::error file=content/agreements/surakarta-xian.md,line=12,title=mayor%3Aname::unknown field; an agreement "
        "takes: parties, "
    )
    assert result.stderr == "3 problems in 2 files; nothing was written.\n"


def test_check_text_format_is_still_the_default(project):
    break_entry(project, "status: stalled", "status: actve")
    result = run("check", "--root", str(project.root))
    assert result.stdout == ""
    assert result.stderr.startswith("content/agreements/surakarta-xian.md:11: status: 'actve'")


def test_check_github_format_prints_the_summary_when_all_is_well(project):
    result = run("check", "--root", str(project.root), "--format", "github")
    assert (result.exit_code, result.stdout) == (0, "3 entries, 6 places: no problems.\n")


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("50% done", "50%25 done", "50%25 done"),
        ("line one\r\nline two", "line one%0D%0Aline two", "line one%0D%0Aline two"),
        ("a:b, c", "a:b, c", "a%3Ab%2C c"),
    ],
)
def test_escaping_follows_githubs_workflow_command_rules(text, data, prop):
    assert _escape(text) == data
    assert _escape(text, prop=True) == prop
