"""New entries: a good slug, front matter that validates, and a body that says what to write."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NotRequired, TypedDict

import yaml

from .gazetteer import Gazetteer
from .load import is_translation, load_folder, load_text
from .model import Agreement, Party
from .names import slug
from .places import default_gazetteer
from .problems import CatalogueError, Problem, relative
from .validate import TieIdentity, tie_identity, validate, validate_all

# An HTML comment: the site never shows it (Markdown keeps it, the sanitiser drops it), so an
# entry whose contributor has not written the text yet still checks and builds cleanly.
BODY_HINT = """<!--
Write here, in plain Markdown, what the source says about this tie: who signed what and when,
what each side did, and what the source does not say ("The paper gives no start date.").
Readers never see this note; delete it once the text is written.
-->
"""

HEADER = '# One file per agreement. Field reference: README.md ("Entry fields").'


class ScaffoldError(Exception):
    """A new entry that cannot be written: the file exists, or the tie is already entered."""


class PartyMeta(TypedDict):
    """A party's front matter as `new` and `import` write it."""

    name: str
    level: str
    country: str
    region: NotRequired[str]
    coordinates: NotRequired[list[float]]


class SourceMeta(TypedDict):
    title: str | None
    year: NotRequired[int]
    url: NotRequired[str]


class Began(TypedDict, total=False):
    since: int | str


class EntryMeta(Began):
    """An entry's front matter as `new` and `import` write it, in the README's order."""

    parties: list[PartyMeta]
    kind: str
    status: str | None
    as_of: int | str | None
    sources: list[SourceMeta]


slug_words = slug  # one rule for names in file names and place addresses (names.py)


def pair_slug(first: PartyMeta, second: PartyMeta) -> str:
    """'surakarta-xian': the first party's name, then its partner's (a country code for a name in another script)."""
    return "-".join(slug_words(p["name"]) or p["country"].lower() for p in (first, second))


def as_party(meta: PartyMeta) -> Party:
    """A party's front matter (party_meta) as the Party the check will read from it, for its identity."""
    return Party(name=meta["name"], level=meta["level"], country=meta["country"], region=meta.get("region"))


def same_place(first: PartyMeta, second: PartyMeta, gazetteer: Gazetteer) -> bool:
    """The same place as `catalogue check` sees it (validate.tie_identity: one identity for both)."""
    return len(tie_identity("", [as_party(first), as_party(second)], gazetteer)[1]) == 1


def pair_keys(kind: str, parties: Iterable[PartyMeta], gazetteer: Gazetteer) -> set[TieIdentity]:
    """The key under which two entries are one tie in either order (A–B is B–A), as check_across keys it."""
    return {tie_identity(kind, [as_party(p) for p in parties], gazetteer)}


def party_meta(
    name: str,
    level: str,
    country: str,
    *,
    region: str | None = None,
    coordinates: tuple[float, float] | None = None,
) -> PartyMeta:
    meta: PartyMeta = {"name": name, "level": level, "country": country}  # front matter, in this order
    if region:
        meta["region"] = region
    if coordinates:
        meta["coordinates"] = [round(float(coordinates[0]), 4), round(float(coordinates[1]), 4)]
    return meta


def source_meta(title: str | None, *, url: str | None = None, year: int | None = None) -> SourceMeta:
    meta: SourceMeta = {"title": title}
    if year:
        meta["year"] = year
    if url:
        meta["url"] = url
    return meta


def entry_meta(
    parties: Iterable[PartyMeta],
    kind: str,
    status: str | None,
    as_of: str | None,
    sources: Iterable[SourceMeta],
    *,
    since: str | None = None,
) -> EntryMeta:
    """Front matter in the order the README's field table lists it."""
    began: Began = {"since": _date(since)} if since else {}
    return {
        "parties": list(parties),
        "kind": kind,
        "status": status,
        "as_of": None if as_of is None else _date(as_of),
        **began,
        "sources": list(sources),
    }


def _date(value: str) -> int | str:
    """'2019' → 2019, so a year reads as the shipped entries write it; other dates stay text."""
    text = str(value).strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else text


def entry_text(meta: Mapping[str, object], body: str) -> str:
    """The file: front matter (two levels deep at most, as entries are) and the body."""
    lines = ["---", HEADER]
    for key, value in meta.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for item in value:
                for i, (name, inner) in enumerate(item.items()):
                    lines.append(f"{'  - ' if i == 0 else '    '}{name}: {_yaml(inner)}")
        else:
            lines.append(f"{key}: {_yaml(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


class _Dumper(yaml.SafeDumper):
    """PyYAML decides the quoting ('NO' and 'a: b' must stay text), but dates go unquoted:
    the catalogue's loader reads 2015-09-25 as text, so it needs no quotes."""


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _yaml(value: object) -> str:
    if isinstance(value, list) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return "[" + ", ".join(repr(v) for v in value) + "]"  # coordinates; a float's repr is YAML
    if isinstance(value, list):
        return yaml.dump(value, Dumper=_Dumper, default_flow_style=True, allow_unicode=True, width=10**6).strip()
    return _scalar(value)


@lru_cache(maxsize=65536)
def _scalar(value: object) -> str:
    # A line break is written as \n in double quotes, so every value stays on its key's line.
    style = '"' if isinstance(value, str) and ("\n" in value or "\r" in value) else None
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, width=10**6, default_style=style)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def parse_entry(text: str, path: str, slug: str) -> Agreement | list[Problem]:
    """Load and validate an entry's text as `catalogue check` would read the file."""
    raw = load_text(text, path, slug)
    return [raw] if isinstance(raw, Problem) else validate(raw)


@dataclass
class Existing:
    """What a folder of entries already holds: slugs (and old slugs) taken, and ties entered."""

    slugs: set[str] = field(default_factory=set)
    pairs: dict[TieIdentity, str] = field(default_factory=dict)  # pair key → path of the entry

    @classmethod
    def read(cls, folder: Path, root: Path, gazetteer: Gazetteer) -> Existing:
        existing = cls()
        if not folder.is_dir():
            return existing
        existing.slugs.update(file.stem for file in folder.rglob("*.md") if not is_translation(file))
        raws, _ = load_folder(folder, root)
        agreements, _ = validate_all(raws, gazetteer=gazetteer)
        for agreement in agreements:
            existing.slugs.update(agreement.aliases)
            existing.add({tie_identity(agreement.kind, agreement.parties, gazetteer)}, agreement.path)
        return existing

    def add(self, keys: set[TieIdentity], where: str) -> None:
        for key in keys:
            self.pairs.setdefault(key, where)

    def entered_in(self, keys: set[TieIdentity]) -> str | None:
        """Where the same tie is already entered, or None."""
        return next((self.pairs[key] for key in sorted(keys) if key in self.pairs), None)

    def unique_slug(self, base: str, kind: str) -> str:
        """base, else base-KIND, else base-KIND-2, -3, ...: never a slug or alias already taken."""
        if base not in self.slugs:
            return base
        base = f"{base}-{kind}"
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        return slug


def write_entry(folder: Path, slug: str, text: str) -> Path:
    """Write a new entry file; never overwrites one."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    with open(path, "x", encoding="utf-8", newline="\n") as out:
        out.write(text)
    return path


def create(
    folder: Path, root: Path, meta: EntryMeta, slug: str | None = None, gazetteer: Gazetteer | None = None
) -> Path:
    """Write a new entry for meta into folder: a fresh slug, never over another file or another tie."""
    gazetteer = gazetteer or default_gazetteer()  # the check's own: the same places make the same tie
    existing = Existing.read(folder, root, gazetteer)
    where = existing.entered_in(pair_keys(meta["kind"], meta["parties"], gazetteer))
    if where:
        first, second = (p["name"] for p in meta["parties"])
        raise ScaffoldError(
            f"{first} – {second} ({meta['kind']}) is already entered in {where}; correct that file instead of adding "
            "another"
        )
    if slug is None:
        slug = existing.unique_slug(pair_slug(*meta["parties"]), meta["kind"])
    path = folder / f"{slug}.md"
    if path.exists() or slug in existing.slugs:
        what = "exists" if path.exists() else "is an old slug (alias) of another entry"
        raise ScaffoldError(f"{relative(path, root)} {what}; refusing to overwrite it: choose another --slug")
    text = entry_text(meta, BODY_HINT)
    checked = parse_entry(text, relative(path, root), slug)
    if isinstance(checked, list):
        raise CatalogueError(checked)
    return write_entry(folder, slug, text)
