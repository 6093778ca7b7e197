"""schema.py: the editor schema is the model's, committed up to date, and agrees with `catalogue check`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from catalogue import model
from catalogue.cli import main
from catalogue.load import load_file, load_folder
from catalogue.schema import DATE_TEXT, PATH, entry_schema, schema_text
from catalogue.validate import FIRST_YEAR, LAST_YEAR
from conftest import FIXTURES, REPO

SCHEMA = entry_schema()
# 2020-12 is what the schema declares; draft-07 is what the YAML language server in editors reads.
VALIDATORS = [jsonschema.Draft202012Validator, jsonschema.Draft7Validator]

# Mistakes only `catalogue check` can see: the file's name, the gazetteer and places.yaml, calendar
# days, one field against another, one file against another. Every other invalid fixture must fail the schema too.
CHECK_ONLY = {
    "Bad_Name.md",
    "accessed_without_url.md",
    "date_bad_day.md",
    "ended_before_since.md",
    "ended_date_but_active.md",
    "place_not_in_gazetteer.md",
    "progress_sector_not_in_sectors.md",
    "province_not_in_places_yaml.md",
    "same_party_twice.md",
    "same_special_region_twice.md",
    "tie_again_with_government_words.md",
}
# Draft-07 has no prefixItems, so an editor cannot range-check latitude and longitude.
CHECK_ONLY_IN_DRAFT_07 = {"coordinates_out_of_range.md"}


def front_matter(path: Path) -> dict:
    raw = load_file(path, path.parent)
    assert hasattr(raw, "meta"), f"{path} does not load: {raw}"
    return raw.meta


def schema_errors(validator, meta: dict) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(SCHEMA).iter_errors(meta)]


def test_the_committed_schema_is_the_generated_one():
    committed = (REPO / PATH).read_text(encoding="utf-8")
    assert committed == schema_text(), f"{PATH} is stale: run `catalogue schema --write` and commit it"


def test_the_schema_is_valid_json_schema():
    for validator in VALIDATORS:
        validator.check_schema(SCHEMA)


def test_the_schema_text_is_deterministic_and_sorted():
    text = schema_text()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    ("cls", "where"),
    [
        (model.Agreement, ()),
        (model.Party, ("$defs", "party")),
        (model.Document, ("$defs", "document")),
        (model.Source, ("$defs", "source")),
        (model.Progress, ("$defs", "progress")),
    ],
)
def test_every_documented_field_is_in_the_schema_with_its_doc(cls, where):
    record = SCHEMA
    for key in where:
        record = record[key]
    fields = model.documented_fields(cls)
    assert list(record["properties"]) == [f.name for f in fields]
    assert record["required"] == [f.name for f in fields if f.metadata["required"] and not f.metadata["unless"]]
    assert record["additionalProperties"] is False
    for f in fields:
        assert record["properties"][f.name]["description"] == f.metadata["doc"], f.name


def test_vocabulary_fields_offer_the_vocabulary_with_both_labels():
    status = SCHEMA["properties"]["status"]
    assert status["enum"] == ["active", "stalled", "exploratory", "ended", "not-reported"]
    assert status["markdownEnumDescriptions"][1] == (
        "**Stalled** · *Mandek*: Signed, but nothing was reported to follow. · "
        "Sudah ditandatangani, tetapi tidak ada tindak lanjut yang dilaporkan."
    )
    assert SCHEMA["properties"]["kind"]["markdownEnumDescriptions"][0] == "**Sister city** · *Kota kembar*"
    assert SCHEMA["properties"]["sectors"]["uniqueItems"] is True
    assert "JP" in SCHEMA["$defs"]["party"]["properties"]["country"]["enum"]


def entries(root: Path) -> list:
    """The entries of a catalogue as the loader finds them (whatever else the folder holds)."""
    return load_folder(root / "content" / "agreements", root)[0]


def test_the_date_pattern_takes_the_years_the_check_takes():
    pattern = re.compile(DATE_TEXT)
    for year in range(1000, 3000):
        assert bool(pattern.match(str(year))) == (FIRST_YEAR <= year <= LAST_YEAR), year
    for text in ("2016-11", "2015-09-25", "2016-12-31"):
        assert pattern.match(text), text
    for text in ("2016-13", "2016-00", "2016-11-32", "11-2016", "2016-1", "2016/11", "16"):
        assert not pattern.match(text), text


SHIPPED = entries(REPO)
VALID = SHIPPED + entries(FIXTURES / "site")


def test_the_shipped_entries_are_all_here():
    assert len(SHIPPED) >= 31
    assert load_folder(REPO / "content" / "agreements", REPO)[1] == []  # none left out for not loading


@pytest.mark.parametrize("validator", VALIDATORS, ids=lambda v: v.__name__)
@pytest.mark.parametrize("entry", VALID, ids=lambda raw: raw.slug)
def test_every_valid_entry_passes_the_schema(entry, validator):
    assert schema_errors(validator, entry.meta) == []


INVALID = [p for p in sorted((FIXTURES / "invalid").glob("*.md")) if hasattr(load_file(p, p.parent), "meta")]


@pytest.mark.parametrize("validator", VALIDATORS, ids=lambda v: v.__name__)
@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.name)
def test_invalid_entries_fail_the_schema_unless_only_the_check_can_tell(fixture, validator):
    blind = CHECK_ONLY | (CHECK_ONLY_IN_DRAFT_07 if validator is jsonschema.Draft7Validator else set())
    errors = schema_errors(validator, front_matter(fixture))
    if fixture.name in blind:
        assert errors == [], f"{fixture.name} now fails the schema: take it out of CHECK_ONLY"
    else:
        assert errors, f"{fixture.name} passes the schema"


@pytest.mark.parametrize(
    ("fixture", "error"),
    [
        (
            "status_misspelt.md",
            "status: 'actve' is not one of ['active', 'stalled', 'exploratory', 'ended', 'not-reported']",
        ),
        ("unknown_field.md", ": Additional properties are not allowed ('mayor' was unexpected)"),
        (
            "one_party.md",
            "parties: [{'name': 'Bogor', 'level': 'city', 'country': 'ID', 'region': 'Jawa Barat'}] is too short",
        ),
        ("sources_empty.md", "sources: [] should be non-empty"),
    ],
)
def test_named_mistakes_fail_the_schema_on_their_field(fixture, error):
    errors = schema_errors(jsonschema.Draft202012Validator, front_matter(FIXTURES / "invalid" / fixture))
    assert error in errors


def test_country_unknown_fails_on_the_country():
    errors = schema_errors(jsonschema.Draft202012Validator, front_matter(FIXTURES / "invalid" / "country_unknown.md"))
    assert [e.split(":")[0] for e in errors] == ["parties.1.country"]
    assert errors[0].startswith("parties.1.country: 'JA' is not one of ['AD', ")


def test_an_empty_optional_field_passes_as_the_check_reads_it_as_left_out():
    meta = front_matter(REPO / "content" / "agreements" / "surakarta-xian.md")
    meta["parties"][1]["region"] = None
    meta["documents"] = None
    assert schema_errors(jsonschema.Draft202012Validator, meta) == []
    meta["status"] = None
    assert "status: None is not of type 'string'" in schema_errors(jsonschema.Draft202012Validator, meta)


# -- catalogue schema --------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_schema_prints_the_committed_schema():
    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout == (REPO / PATH).read_text(encoding="utf-8")


def test_schema_check_passes_on_the_repository():
    result = run("schema", "--check", "--root", str(REPO))
    assert (result.exit_code, result.stdout) == (0, f"{PATH} is up to date.\n")


def test_schema_check_fails_when_stale_and_write_fixes_it(project):
    stale = project.root / PATH
    stale.parent.mkdir()
    stale.write_text(schema_text().replace('"active"', '"actief"'), encoding="utf-8")
    result = run("schema", "--check", "--root", str(project.root))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{PATH} is out of date with catalogue/model.py and catalogue/vocab.py; "
        "run `catalogue schema --write` and commit the result.\n"
    )
    result = run("schema", "--write", "--root", str(project.root))
    assert (result.exit_code, result.stdout) == (0, f"Wrote {PATH}.\n")
    assert stale.read_text(encoding="utf-8") == schema_text()
    assert run("schema", "--check", "--root", str(project.root)).exit_code == 0


def test_schema_check_fails_when_missing(project):
    result = run("schema", "--check", "--root", str(project.root))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{PATH} is missing; run `catalogue schema --write`")
