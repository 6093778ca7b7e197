"""The field reference for contributors, made from the model (README.md carries a copy, tested)."""

from __future__ import annotations

from . import model

SECTIONS = (
    (model.Agreement, ""),
    (model.Party, "parties[]."),
    (model.Document, "documents[]."),
    (model.Progress, "progress.SECTOR."),
    (model.Source, "sources[]."),
    (model.Observation, "observations[]."),
)
SHAPES = {
    "text": "text",
    "date": "1985, 2016-11 or 2015-09-25",
    "date-or-unknown": "a date, or `unknown`",
    "year": "four digits",
    "integer": "a whole number",
    "url": "http(s) link",
    "country": "ISO code",
    "coordinates": "[lat, lon]",
    "parties": "two parties (below)",
    "documents": "list (below)",
    "progress": "sector → state, note (below)",
    "sources": "list (below)",
    "list": "list",
    "slugs": "list of old slugs",
    "names": "list of names",
    "key": "letters, digits, hyphens",
    "observations": "list (below)",
    "flag": "true or false",
    "doi": "DOI (10.xxxx/...)",
    "isbn": "ISBN",
    "language": "a language code of the site (`id`, `en`)",
    "text-by-language": "text, or `{id: ..., en: ...}`",
}


def markdown_table() -> str:
    rows = ["| field | required | what it holds | allowed values |", "|---|---|---|---|"]
    for cls, prefix in SECTIONS:
        for field in model.documented_fields(cls):
            meta = field.metadata
            allowed = ", ".join(f"`{key}`" for key in meta["vocab"]) if meta["vocab"] else SHAPES[meta["shape"]]
            required = f"yes, unless `{meta['unless']}`" if meta.get("unless") else "yes" if meta["required"] else ""
            rows.append(f"| `{prefix}{field.name}` | {required} | {meta['doc']} | {allowed} |")
    return "\n".join(rows)
