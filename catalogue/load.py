"""Files on disk → RawEntry: front matter split from the body, with the line of every field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from .files import content_files, read_text
from .limits import MAX_DIGITS, MAX_NESTING, MAX_TEXT_CHARS, MAX_YAML_EVENTS, body_problems, control_problem
from .problems import Problem, relative

# The C loader is ~7x faster; fall back for Pythons built without libyaml.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]  # a base chosen at import time: mypy cannot follow it
    """Safe YAML for front matter (see the resolvers below)."""


# Dates stay text ('2016-11' and '2015-09-25' are read alike), and only true/false are
# booleans: YAML 1.1 would read Norway's code NO (and yes/no/on/off) as a boolean.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)

# Where a value sits in the front matter: field names and list positions, e.g. ("parties", 0, "name").
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class RawEntry:
    """One file as written: its front matter, body, and where each field sits."""

    path: str  # as shown to the contributor, relative to the project
    slug: str
    meta: dict[str, Any]  # the front matter as parsed YAML; validate.py checks every value
    body: str
    lines: dict[FieldPath, int]  # field path -> 1-based line in the file

    def line(self, *field_path: str | int) -> int:
        """The line of a field, or of its nearest enclosing field that has one."""
        path = tuple(field_path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, dict[FieldPath, int]]:
    """YAML text → (data, {field path: line}); raises YamlProblem when it cannot or must not be read."""
    control = control_problem(text, path, first_line)
    if control:
        raise YamlProblem(control)
    # Screened first, as events: the C composer recurses without limit (deep nesting crashes the
    # interpreter) and aliases would make the line index walk every expansion (a 560-byte bomb).
    screened = _screen(text, path, first_line)
    if screened:
        raise YamlProblem(screened)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        raise YamlProblem(_syntax_problem(err, path, first_line)) from None
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError, OverflowError) as err:
        # Not expected after the screen (it refuses explicit tags): still a problem, never a traceback.
        raise YamlProblem(
            Problem(
                path,
                first_line,
                "",
                f"cannot be read as YAML ({type(err).__name__}: {err}); write plain 'field: value' lines",
            )
        ) from None
    finally:
        loader.dispose()
    lines: dict[FieldPath, int] = {}
    if node is not None:
        repeated = _index_lines(node, (), lines, first_line)
        if repeated:
            where, first, again = repeated[0]
            # YAML keeps the last value silently; a contributor editing the first would see no change.
            raise YamlProblem(
                Problem(
                    path,
                    again,
                    ".".join(map(str, where)),
                    f"is given twice, on lines {first} and {again}; keep one of them",
                )
            )
    return data, lines


def _syntax_problem(err: yaml.MarkedYAMLError, path: str, first_line: int) -> Problem:
    mark = err.problem_mark or err.context_mark
    line = first_line + (mark.line if mark else 0)
    what = err.problem or "invalid YAML"
    return Problem(
        path,
        line,
        "",
        f"YAML syntax error: {what}; check the indentation and quote values that contain ': ' or start with a special "
        "character",
    )


# A plain value YAML would read as a whole number (decimal, hex, octal, binary or base 60).
_NUMBER_LIKE = re.compile(r"[-+]?[0-9][0-9a-fA-FxXoObB_:]*")


class _Frame:
    """Where the screen is inside one mapping or sequence, to name the field of a problem."""

    def __init__(self, path: FieldPath, mapping: bool):
        self.path, self.mapping, self.index = path, mapping, 0
        self.key: str | None = None

    def child(self) -> FieldPath:
        if self.mapping:
            return self.path if self.key is None else self.path + (self.key,)
        return self.path + (self.index,)

    def finished(self, scalar_key: str | None = None) -> None:
        """A node ended in this frame: a key (given for scalar keys), a value or an item."""
        if not self.mapping:
            self.index += 1
        elif self.key is None:
            self.key = scalar_key if scalar_key is not None else "?"
        else:
            self.key = None


def _screen(text: str, path: str, first_line: int) -> Problem | None:
    """The first thing in the YAML's events that is outside the budget (limits.py), or None.

    Events come from libyaml's parser, which keeps its own stack and never recurses, so this
    costs one linear pass and bounded memory whatever the text.
    """
    parser = _Base(text)
    stack: list[_Frame] = []
    count = 0

    def problem(line: int, message: str) -> Problem:
        where = stack[-1].child() if stack else ()
        return Problem(path, line, ".".join(map(str, where)), message)

    try:
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return None
            count += 1
            line = first_line + event.start_mark.line
            if count > MAX_YAML_EVENTS:
                return problem(line, f"the file has more than {MAX_YAML_EVENTS:,} values; split it")
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return problem(line, "anchors and aliases (&name, *name) are not allowed; write each value out in full")
            if getattr(event, "tag", None) is not None:
                return problem(
                    line,
                    f"the tag '{event.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed; write the value "
                    "plainly, in quotes if it is text",
                )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_NESTING:
                    return problem(
                        line, f"nests more than {MAX_NESTING} levels deep; check the indentation and the brackets"
                    )
                stack.append(_Frame(stack[-1].child() if stack else (), isinstance(event, yaml.MappingStartEvent)))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                if stack:
                    stack[-1].finished()
            elif isinstance(event, yaml.ScalarEvent):
                value = event.value
                if len(value) > MAX_TEXT_CHARS:
                    return problem(
                        line,
                        f"is {len(value):,} characters long; at most {MAX_TEXT_CHARS:,} are allowed in one value: put "
                        "long text in the body, below the front matter",
                    )
                control = control_problem(value, path, line)
                if control:
                    return problem(line, control.message)
                if event.implicit[0] and len(value) > MAX_DIGITS and _NUMBER_LIKE.fullmatch(value):
                    return problem(
                        line,
                        f"the number {value[:12]}... has {len(value):,} characters; at most {MAX_DIGITS} are allowed: "
                        "check it, or put it in quotes if it is text",
                    )
                if stack:
                    stack[-1].finished(value)
    except yaml.MarkedYAMLError as err:
        return _syntax_problem(err, path, first_line)
    except yaml.YAMLError as err:
        return Problem(path, first_line, "", f"cannot be read as YAML ({err}); write plain 'field: value' lines")
    finally:
        parser.dispose()


class YamlProblem(Exception):
    """A file whose YAML cannot be read at all."""

    def __init__(self, problem: Problem):
        self.problem = problem


def _index_lines(
    node: yaml.Node, path: FieldPath, lines: dict[FieldPath, int], first_line: int
) -> list[tuple[FieldPath, int, int]]:
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


def split_front_matter(text: str, path: str) -> tuple[str, int, str] | Problem:
    """Text → (front matter text, first line of it, body); or a Problem."""
    if not FENCE.match(text.lstrip("\ufeff")):
        return Problem(
            path, 1, "", "no front matter; the file must start with a line '---', then the fields, then a line '---'"
        )
    text = text.lstrip("\ufeff")
    closing = FENCE.search(text, 4)
    if closing is None:
        return Problem(path, 1, "", "the front matter is not closed; add a line '---' after the last field")
    front = text[text.index("\n") + 1 : closing.start()] if "\n" in text[: closing.start()] else ""
    body = text[closing.end() :].lstrip("\r\n")
    return front, 2, body


def load_file(file: Path, root: Path) -> RawEntry | Problem:
    """One Markdown file → RawEntry, or a Problem."""
    text = read_text(file, root)
    if isinstance(text, Problem):
        return text
    return load_text(text, relative(file, root), file.stem)


def load_text(text: str, path: str, slug: str) -> RawEntry | Problem:
    """An entry's text (a file's, or one not yet written) → RawEntry, or the Problem that stops it loading."""
    control = control_problem(text, path)
    if control:
        return control
    split = split_front_matter(text, path)
    if isinstance(split, Problem):
        return split
    front, first_line, body = split
    too_much = body_problems(body, path, _body_line(text, body))
    if too_much:
        return too_much[0]
    try:
        meta, lines = parse_yaml(front, path, first_line)
    except YamlProblem as err:
        return err.problem
    if meta is None:
        meta, lines = {}, {(): first_line}
    if not isinstance(meta, dict):
        return Problem(
            path,
            lines.get((), first_line),
            "",
            "the front matter must be a set of 'field: value' lines, not a list or a single value",
        )
    return RawEntry(path=path, slug=slug, meta=meta, body=body, lines=lines)


def _body_line(text: str, body: str) -> int:
    """The line of the file on which the body starts."""
    return text.count("\n", 0, len(text) - len(body)) + 1


# <slug>.<language>.md: any language code (the check holds it to the site's languages); a slug has no dots.
TRANSLATION = re.compile(r"^(?P<slug>[^.]+)\.(?P<lang>[a-z]{2,3}(?:_[A-Z]{2})?)$")


@dataclass(frozen=True)
class RawTranslation:
    """A sibling file <slug>.<lang>.md: an entry's body in another language."""

    path: str
    slug: str
    lang: str
    body: str


def is_translation(file: Path) -> bool:
    return TRANSLATION.match(file.stem) is not None


def load_folder(
    folder: Path, root: Path, load: Callable[[Path, Path], RawEntry | Problem] | None = None
) -> tuple[list[RawEntry], list[Problem]]:
    """Every entry (*.md, not translations) under a folder, in a stable order → ([RawEntry], [Problem]).

    load reads one file (load_file; the build's parse cache gives its own)."""
    entries: list[RawEntry] = []
    problems: list[Problem] = []
    for file in content_files(folder):
        if is_translation(file):
            continue
        loaded = (load or load_file)(file, root)
        if isinstance(loaded, Problem):
            problems.append(loaded)
        else:
            entries.append(loaded)
    return entries, problems


def load_translations(folder: Path, root: Path) -> tuple[list[RawTranslation], list[Problem]]:
    """Every translation file under a folder → ([RawTranslation], [Problem]).

    A translation is plain Markdown; front matter is not needed and is refused, so a
    copied entry is not mistaken for one.
    """
    translations: list[RawTranslation] = []
    problems: list[Problem] = []
    for file in content_files(folder):
        match = TRANSLATION.match(file.stem)
        if not match:
            continue
        path = relative(file, root)
        text = read_text(file, root)
        if isinstance(text, Problem):
            problems.append(text)
            continue
        if FENCE.match(text.lstrip("\ufeff")):
            problems.append(
                Problem(
                    path,
                    1,
                    "",
                    "a translation holds only the body, in Markdown; remove the front matter (the fields stay in the "
                    "entry's own file)",
                )
            )
            continue
        too_much = body_problems(text, path, 1)
        if too_much:
            problems += too_much
            continue
        translations.append(RawTranslation(path, match["slug"], match["lang"], text.lstrip("\ufeff")))
    return translations, problems
