"""The editor schema: a JSON Schema for entry front matter, made from the model and the vocabularies.

Its committed copy is schema/entry.schema.json (`catalogue schema --write`; a test fails when it is
stale). Editors read it for completion, hover text and inline errors. It declares draft 2020-12 but
keeps to keywords that draft-07 reads the same way, because the YAML language server behind the
common editors validates as draft-07; only `prefixItems` (coordinate ranges) is newer, and older
readers skip it. `catalogue check` stays the authority: the schema cannot know the gazetteer, the
days in a month, whether dates are in order or whether an entry is a duplicate.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import countries, model, vocab
from .evidence import KEY
from .validate import FIRST_YEAR, LAST_YEAR, SLUG

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

# A JSON Schema (or a part of one): a JSON object, whose values are any JSON.
JsonSchema = dict[str, Any]

PATH = "schema/entry.schema.json"  # relative to the catalogue's folder

# validate.py's FIRST_YEAR-LAST_YEAR spelt out as a pattern (tests/test_schema.py holds them together).
YEAR_TEXT = "(1[89][0-9]{2}|20[0-9]{2}|2100)"
DATE_TEXT = f"^{YEAR_TEXT}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
URL_TEXT = r"^https?://[^\s/?#]+[^\s]*$"
# A language code: the site's languages are a setting, so the schema takes any code and
# `catalogue check` holds them to catalogue.toml's `languages`.
LANGUAGE_TEXT = r"^[a-z]{2,3}(_[A-Z]{2})?$"
TEXT = {"type": ["string", "number"], "pattern": r"\S"}

# Shapes that hold records of their own, described once under $defs.
RECORDS = {
    "parties": model.Party,
    "documents": model.Document,
    "sources": model.Source,
    "progress": model.Progress,
    "observations": model.Observation,
}
DEFS = {
    model.Party: "party",
    model.Document: "document",
    model.Source: "source",
    model.Progress: "progress",
    model.Observation: "observation",
}


def entry_schema() -> JsonSchema:
    """The JSON Schema (draft 2020-12) of one entry's front matter."""
    schema = _record(model.Agreement)
    schema.update(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Sister-city catalogue entry",
            "description": (
                "The front matter of one file in content/agreements/. Generated from catalogue/model.py and "
                "catalogue/vocab.py by `catalogue schema --write`: do not edit it by hand. `catalogue check` "
                "has the last word; it also checks places, calendar days, date order and duplicate entries."
            ),
            "$defs": {name: _record(cls) for cls, name in DEFS.items()},
        }
    )
    return schema


def schema_text() -> str:
    """The schema as committed: sorted keys, 2-space indent, a final newline; the same bytes every time."""
    return json.dumps(entry_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _record(cls: type[DataclassInstance]) -> JsonSchema:
    fields = model.documented_fields(cls)
    record = {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: _property(f.metadata) for f in fields},
        "required": [f.name for f in fields if f.metadata["required"] and not f.metadata.get("unless")],
    }
    # Fields required unless another is given (status and as_of, unless observations): one or the other.
    unless: dict[str, list[str]] = {}
    for f in fields:
        if f.metadata["required"] and f.metadata.get("unless"):
            unless.setdefault(f.metadata["unless"], []).append(f.name)
    if unless:
        record["allOf"] = [{"anyOf": [{"required": [other]}, {"required": names}]} for other, names in unless.items()]
    return record


def _property(meta: Mapping[str, Any]) -> JsonSchema:
    value = _value(meta)
    if not meta["required"]:
        # `catalogue check` reads an empty optional field ('region:' and nothing after it) as left out.
        value = _or_null(value)
    return {"description": meta["doc"], **value}


def _or_null(value: JsonSchema) -> JsonSchema:
    if set(value) == {"anyOf"}:
        return {"anyOf": value["anyOf"] + [{"type": "null"}]}
    if "enum" not in value:
        types = value["type"] if isinstance(value["type"], list) else [value["type"]]
        return {**value, "type": types + ["null"]}
    return {"anyOf": [value, {"type": "null"}]}


def _value(meta: Mapping[str, Any]) -> JsonSchema:
    shape, terms = meta["shape"], meta["vocab"]
    if shape == "list":
        return {"type": "array", "items": _terms(terms), "uniqueItems": True}
    if terms is not None:
        return _terms(terms)
    if shape == "parties":
        return {"type": "array", "items": _ref(shape), "minItems": 2, "maxItems": 2}
    if shape == "documents":
        return {"type": "array", "items": _ref(shape)}
    if shape == "sources":
        return {"type": "array", "items": _ref(shape), "minItems": 1}
    if shape == "observations":
        return {"type": "array", "items": _ref(shape), "minItems": 1}
    if shape == "progress":
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                key: {**_ref(shape), "description": " / ".join(t.labels.values())} for key, t in vocab.SECTORS.items()
            },
        }
    simple: dict[str, JsonSchema] = {
        # Numbers are accepted as text, as `catalogue check` does ('title: 1984').
        "text": TEXT,
        "language": {"type": "string", "pattern": LANGUAGE_TEXT, "examples": ["id", "en"]},
        "text-by-language": {
            "anyOf": [
                TEXT,
                {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"pattern": LANGUAGE_TEXT},
                    "additionalProperties": TEXT,
                },
            ]
        },
        "date": _date(),
        "date-or-unknown": {"anyOf": _date()["anyOf"] + [{"enum": ["unknown"]}]},
        "year": {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
        "integer": {"type": "integer", "minimum": 1},
        "url": {"type": "string", "pattern": URL_TEXT},
        "key": {"type": ["string", "integer"], "pattern": KEY.pattern},
        "flag": {"type": "boolean"},
        "doi": {"type": "string", "pattern": r"^10\.[0-9]{4,9}/\S+$"},
        "isbn": {"type": ["string", "integer"], "pattern": r"^[0-9][0-9 -]{8,16}[0-9Xx]$"},
        "country": _countries(),
        "coordinates": {
            "type": "array",
            "minItems": 2,
            "maxItems": 2,
            "items": {"type": "number"},
            "prefixItems": [
                {"type": "number", "minimum": -90, "maximum": 90, "description": "latitude"},
                {"type": "number", "minimum": -180, "maximum": 180, "description": "longitude"},
            ],
        },
        "slugs": {"type": "array", "items": {"type": "string", "pattern": SLUG.pattern}},
        "names": {"type": "array", "items": {"type": "string", "pattern": r"\S"}, "uniqueItems": True},
    }
    if shape in simple:
        return simple[shape]
    raise AssertionError(f"no schema for shape {shape}")  # a new shape in model.py needs one here


def _ref(shape: str) -> JsonSchema:
    return {"$ref": f"#/$defs/{DEFS[RECORDS[shape]]}"}


def _terms(terms: dict[str, vocab.Term]) -> JsonSchema:
    return {
        "type": "string",
        "enum": list(terms),
        "markdownEnumDescriptions": [_term_text(t) for t in terms.values()],
    }


def _term_text(term: vocab.Term) -> str:
    first, *others = term.labels.values()
    text = " · ".join([f"**{first}**", *(f"*{label}*" for label in others)])
    notes = list(dict.fromkeys(note for note in term.notes.values() if note))  # a language may repeat another's
    return f"{text}: {' · '.join(notes)}" if notes else text


def _date() -> JsonSchema:
    # A bare year is read by YAML as a number; months and days keep it text.
    return {
        "anyOf": [
            {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
            {"type": "string", "pattern": DATE_TEXT},
        ]
    }


def _countries() -> JsonSchema:
    names = countries.english_names()
    codes = sorted(names)
    return {"type": "string", "enum": codes, "markdownEnumDescriptions": [names[code] for code in codes]}
