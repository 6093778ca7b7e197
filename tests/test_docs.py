"""Documentation kept in step with the code: the README's field table, every command's help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from catalogue.fieldref import markdown_table

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_field_table_is_the_generated_one():
    found = re.search(r"<!-- fields:start[^>]*-->\n(.*?)\n<!-- fields:end -->", README, re.S)
    assert found, "README.md lost its fields:start/fields:end markers"
    assert found.group(1) == markdown_table(), (
        "README field table is stale: paste catalogue.fieldref.markdown_table() output"
    )


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"catalogue {command}" in result.output


def test_every_command_is_in_the_readme():
    for command in main.commands:
        assert f"`catalogue {command}" in README, command


# -- CONTRIBUTING.md -------------------------------------------------------------------------

CONTRIBUTING = (Path(__file__).parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
EXAMPLE = re.compile(r"<!-- example-entry[^>]*-->\n```markdown\n(.*?)```\n", re.S)


def test_contributing_explains_every_observation_kind_in_both_languages():
    from catalogue import vocab

    for kind, status in vocab.OBSERVATION_STATUS.items():
        rows = re.findall(rf"^\| `{re.escape(kind)}` \|.*\| `{re.escape(status)}` \|$", CONTRIBUTING, re.M)
        assert len(rows) == 2, f"CONTRIBUTING.md should give kind '{kind}' (status '{status}') in both languages"
    for field in ("title_supplied", "year_estimated", "`key`", "[^"):
        assert CONTRIBUTING.count(field) >= 2, field


@pytest.mark.parametrize("number", [0, 1], ids=["indonesian", "english"])
def test_contributing_example_entry_passes_catalogue_check(tmp_path, number):
    from catalogue.site import check
    from conftest import make_project

    examples = EXAMPLE.findall(CONTRIBUTING)
    assert len(examples) == 2, "CONTRIBUTING.md should hold the example entry in each language"
    project = make_project(tmp_path)
    # The example is Surakarta – Xi'an: it takes the place of the fixture's entry for that tie.
    (project.agreements / "surakarta-xian.md").write_text(examples[number], encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    entry = next(e for e in check(project).catalogue.entries if e.agreement.slug == "surakarta-xian")
    a = entry.agreement
    # It shows what the guide explains: observations setting the status, a keyed source with a
    # supplied title and an estimated year, and a per-claim marker that becomes a link.
    assert a.observations and (a.status, str(a.as_of)) == ("stalled", "2017")
    source = a.sources[0]
    assert source.key == "P003" and source.title_supplied and source.year_estimated
    assert source.title.startswith("[") and source.title.endswith("]")
    assert 'href="#source-P003"' in entry.body_html
