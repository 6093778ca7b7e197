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
