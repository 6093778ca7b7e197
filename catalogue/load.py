"""Files on disk → RawEntry: front matter split from the body, with the line of every field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Problem, relative

# The C loader is ~7x faster; fall back for Pythons built without libyaml.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """Safe YAML for front matter (see the resolvers below)."""


# Dates stay text ('2016-11' and '2015-09-25' are read alike), and only true/false are
# booleans: YAML 1.1 would read Norway's code NO (and yes/no/on/off) as a boolean.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True)
class RawEntry:
    """One file as written: its front matter, body, and where each field sits."""

    path: str  # as shown to the contributor, relative to the project
    slug: str
    meta: dict
    body: str
    lines: dict  # field path tuple, e.g. ("parties", 0, "name") -> 1-based line in the file

    def line(self, *field_path) -> int:
        """The line of a field, or of its nearest enclosing field that has one."""
        path = tuple(field_path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def parse_yaml(text: str, path: str, first_line: int = 1):
    """YAML text → (data, {field path: line}); raises ProblemList-friendly Problem on syntax errors."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + (mark.line if mark else 0)
        what = err.problem or "invalid YAML"
        raise YamlProblem(Problem(path, line, "", f"YAML syntax error: {what}; check the indentation and quote values that contain ': ' or start with a special character")) from None
    finally:
        loader.dispose()
    lines: dict = {}
    if node is not None:
        repeated = _index_lines(node, (), lines, first_line)
        if repeated:
            where, first, again = repeated[0]
            # YAML keeps the last value silently; a contributor editing the first would see no change.
            raise YamlProblem(Problem(path, again, ".".join(map(str, where)), f"is given twice, on lines {first} and {again}; keep one of them"))
    return data, lines


class YamlProblem(Exception):
    """A file whose YAML cannot be read at all."""

    def __init__(self, problem: Problem):
        self.problem = problem


def _index_lines(node, path, lines, first_line) -> list[tuple]:
    """Record the line of every field under node; return the keys repeated in a mapping."""
    lines[path] = first_line + node.start_mark.line
    repeated = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                line = first_line + key.start_mark.line
                if path + (key.value,) in lines:
                    repeated.append((path + (key.value,), lines[path + (key.value,)], line))
                    continue
                repeated += _index_lines(value, path + (key.value,), lines, first_line)
                lines[path + (key.value,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            repeated += _index_lines(item, path + (i,), lines, first_line)
    return repeated


def split_front_matter(text: str, path: str):
    """Text → (front matter text, first line of it, body); or a Problem."""
    if not FENCE.match(text.lstrip("\ufeff")):
        return Problem(path, 1, "", "no front matter; the file must start with a line '---', then the fields, then a line '---'")
    text = text.lstrip("\ufeff")
    closing = FENCE.search(text, 4)
    if closing is None:
        return Problem(path, 1, "", "the front matter is not closed; add a line '---' after the last field")
    front = text[text.index("\n") + 1 : closing.start()] if "\n" in text[: closing.start()] else ""
    body = text[closing.end():].lstrip("\r\n")
    return front, 2, body


def load_file(file: Path, root: Path):
    """One Markdown file → RawEntry, or a Problem."""
    path = relative(file, root)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        data = err.object
        line = data.count(b"\n", 0, err.start) + 1
        return Problem(path, line, "", f"not UTF-8 text: byte {data[err.start]:#04x} on this line cannot be read; save the file as UTF-8")
    return load_text(text, path, file.stem)


def load_text(text: str, path: str, slug: str) -> RawEntry | Problem:
    """An entry's text (a file's, or one not yet written) → RawEntry, or the Problem that stops it loading."""
    split = split_front_matter(text, path)
    if isinstance(split, Problem):
        return split
    front, first_line, body = split
    try:
        meta, lines = parse_yaml(front, path, first_line)
    except YamlProblem as err:
        return err.problem
    if meta is None:
        meta, lines = {}, {(): first_line}
    if not isinstance(meta, dict):
        return Problem(path, lines.get((), first_line), "", "the front matter must be a set of 'field: value' lines, not a list or a single value")
    return RawEntry(path=path, slug=slug, meta=meta, body=body, lines=lines)


TRANSLATION = re.compile(r"^(?P<slug>.+)\.(?P<lang>id|en)$")


@dataclass(frozen=True)
class RawTranslation:
    """A sibling file <slug>.<lang>.md: an entry's body in another language."""

    path: str
    slug: str
    lang: str
    body: str


def is_translation(file: Path) -> bool:
    return TRANSLATION.match(file.stem) is not None


def load_folder(folder: Path, root: Path):
    """Every entry (*.md, not translations) under a folder, in a stable order → ([RawEntry], [Problem])."""
    entries, problems = [], []
    for file in sorted(folder.rglob("*.md")):
        if is_translation(file):
            continue
        loaded = load_file(file, root)
        (problems if isinstance(loaded, Problem) else entries).append(loaded)
    return entries, problems


def load_translations(folder: Path, root: Path):
    """Every translation file under a folder → ([RawTranslation], [Problem]).

    A translation is plain Markdown; front matter is not needed and is refused, so a
    copied entry is not mistaken for one.
    """
    translations, problems = [], []
    for file in sorted(folder.rglob("*.md")):
        match = TRANSLATION.match(file.stem)
        if not match:
            continue
        path = relative(file, root)
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(path, 1, "", "not UTF-8 text; save the file as UTF-8"))
            continue
        if FENCE.match(text.lstrip("\ufeff")):
            problems.append(Problem(path, 1, "", "a translation holds only the body, in Markdown; remove the front matter (the fields stay in the entry's own file)"))
            continue
        translations.append(RawTranslation(path, match["slug"], match["lang"], text.lstrip("\ufeff")))
    return translations, problems
