"""YAML text → (data, the line of every field): screened as libyaml's events and read in the same pass.

Front matter and places.yaml are written by strangers, so the text is first held to the budget of
limits.py one event at a time (libyaml's parser keeps its own stack and never recurses: deep nesting
cannot crash the interpreter, and aliases are refused before anything expands them). The same pass
builds the data from the events when they hold only what front matter is made of: mappings by text,
lists, and plain text, numbers, true/false and null. Anything else (a mapping key that is a number or
a list, a merge key '<<', several documents, a number Python cannot read) is read again by PyYAML's own
composer and constructor, which give it its usual value or error: the quick reading is only ever the
one PyYAML would give.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .limits import MAX_DIGITS, MAX_NESTING, MAX_TEXT_CHARS, MAX_YAML_EVENTS, control_problem
from .problems import Problem

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

# Where a value sits in the front matter: field names and list positions, e.g. ("parties", 0, "name").
FieldPath = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
# The scalars read in the first pass, by the constructor PyYAML gives each (text is kept as it is).
_SCALARS = {
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:null": "construct_yaml_null",
}


class YamlProblem(Exception):
    """A file whose YAML cannot be read at all."""

    def __init__(self, problem: Problem):
        self.problem = problem


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, dict[FieldPath, int]]:
    """YAML text → (data, {field path: line}); raises YamlProblem when it cannot or must not be read."""
    control = control_problem(text, path, first_line)
    if control:
        raise YamlProblem(control)
    # Screened first, as events: the C composer recurses without limit (deep nesting crashes the
    # interpreter) and aliases would make the line index walk every expansion (a 560-byte bomb).
    screened = _screen(text, path, first_line)
    if isinstance(screened, Problem):
        raise YamlProblem(screened)
    if screened is not None:
        return screened
    return _compose(text, path, first_line)


def _compose(text: str, path: str, first_line: int) -> tuple[Any, dict[FieldPath, int]]:
    """PyYAML's own reading of screened text: its composer, its constructor, then the line of each node."""
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
    """Where the screen is inside one mapping or sequence: to name the field of a problem, and the value read so far."""

    __slots__ = ("path", "mapping", "index", "key", "data", "key_line")

    def __init__(self, path: FieldPath, mapping: bool):
        self.path, self.mapping, self.index = path, mapping, 0
        self.key: str | None = None
        self.data: Any = {} if mapping else []
        self.key_line = 0  # the line of the key whose value comes next

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


# A value the first pass does not read itself: PyYAML's composer and constructor read the text instead.
_UNUSUAL = object()


def _screen(text: str, path: str, first_line: int) -> Problem | tuple[Any, dict[FieldPath, int]] | None:
    """The first thing in the YAML's events that is outside the budget (limits.py); else the data and the line of
    each field, read from the same events; or None when the events hold something only PyYAML's composer reads.

    Events come from libyaml's parser, which keeps its own stack and never recurses, so this
    costs one linear pass and bounded memory whatever the text.
    """
    parser = _Loader(text)
    stack: list[_Frame] = []
    count = 0
    # The value being read: None once something unusual is met (the screen goes on to the end regardless).
    lines: dict[FieldPath, int] | None = {}
    documents = 0
    data: Any = None

    def problem(line: int, message: str) -> Problem:
        where = stack[-1].child() if stack else ()
        return Problem(path, line, ".".join(map(str, where)), message)

    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if event is None or kind is yaml.StreamEndEvent:
                return None if lines is None or documents > 1 else (data, lines)
            count += 1
            line = first_line + event.start_mark.line
            if count > MAX_YAML_EVENTS:
                return problem(line, f"the file has more than {MAX_YAML_EVENTS:,} values; split it")
            if kind is yaml.ScalarEvent:
                if event.anchor or event.tag is not None:
                    return problem(line, _anchor_or_tag(event))
                value = event.value
                if len(value) > MAX_TEXT_CHARS:
                    return problem(
                        line,
                        f"is {len(value):,} characters long; at most {MAX_TEXT_CHARS:,} are allowed in one value: put "
                        "long text in the body, below the front matter",
                    )
                # Only escapes ("\x01") make a control character that the text, checked whole, did not show.
                if event.style == '"' and (control := control_problem(value, path, line)):
                    return problem(line, control.message)
                if event.implicit[0] and len(value) > MAX_DIGITS and _NUMBER_LIKE.fullmatch(value):
                    return problem(
                        line,
                        f"the number {value[:12]}... has {len(value):,} characters; at most {MAX_DIGITS} are allowed: "
                        "check it, or put it in quotes if it is text",
                    )
                frame = stack[-1] if stack else None
                if lines is not None:
                    # Text needs no resolver: quoted, or plain and no implicit resolver is registered for its first
                    # character (the test yaml.resolver.BaseResolver.resolve makes first).
                    if _TEXT_BY_FIRST and (not event.implicit[0] or (value and value[0] not in _RESOLVED_FIRST)):
                        read: Any = value
                    else:
                        read = _scalar(parser, event)
                    if read is _UNUSUAL:
                        lines = None
                    elif frame is None:
                        data, lines[()] = read, line
                    elif not frame.mapping:
                        lines[frame.path + (frame.index,)] = line
                        frame.data.append(read)
                    elif frame.key is None:  # a key: text only, each once (PyYAML reads the rest, reports a repeat)
                        if type(read) is not str or frame.path + (read,) in lines:
                            lines = None
                        frame.key_line = line
                    else:
                        lines[frame.path + (frame.key,)] = frame.key_line
                        frame.data[frame.key] = read
                if frame is not None:
                    frame.finished(value)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor or event.tag is not None:
                    return problem(line, _anchor_or_tag(event))
                if len(stack) >= MAX_NESTING:
                    return problem(
                        line, f"nests more than {MAX_NESTING} levels deep; check the indentation and the brackets"
                    )
                where = stack[-1].child() if stack else ()
                if lines is not None:
                    if stack and stack[-1].mapping and stack[-1].key is None:
                        lines = None  # a list or mapping as a key
                    else:
                        lines[where] = line
                stack.append(_Frame(where, kind is yaml.MappingStartEvent))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = stack.pop().data
                if not stack:
                    data = value
                    continue
                frame = stack[-1]
                if lines is not None:  # the list or mapping is an item, or a key's value (a key: see above)
                    if not frame.mapping:
                        frame.data.append(value)
                    elif frame.key is None:
                        lines = None
                    else:
                        lines[frame.path + (frame.key,)] = frame.key_line
                        frame.data[frame.key] = value
                frame.finished()
            elif kind is yaml.AliasEvent:
                return problem(line, _anchor_or_tag(event))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
    except yaml.MarkedYAMLError as err:
        return _syntax_problem(err, path, first_line)
    except yaml.YAMLError as err:
        return Problem(path, first_line, "", f"cannot be read as YAML ({err}); write plain 'field: value' lines")
    finally:
        parser.dispose()


def _anchor_or_tag(event: yaml.NodeEvent) -> str:
    """The message for an alias, an anchor or a tag: none is allowed."""
    if isinstance(event, yaml.AliasEvent) or event.anchor:
        return "anchors and aliases (&name, *name) are not allowed; write each value out in full"
    tag = str(getattr(event, "tag", ""))
    return (
        f"the tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed; write the value plainly, in quotes if it "
        "is text"
    )


# Plain scalars starting with any other character are text: no implicit resolver is registered for it
# (the same test as yaml.resolver.BaseResolver.resolve makes, without its list building).
_RESOLVED_FIRST = frozenset(first for first, resolvers in _Loader.yaml_implicit_resolvers.items() if resolvers)
_TEXT_BY_FIRST = not _Loader.yaml_implicit_resolvers.get(None) and not _Loader.yaml_path_resolvers


def _scalar(parser: Any, event: yaml.ScalarEvent) -> Any:
    """A scalar's value as PyYAML's constructor gives it, for text, numbers, true/false and null; else _UNUSUAL."""
    tag = parser.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STR:
        return event.value
    construct = _SCALARS.get(tag)
    if construct is None:
        return _UNUSUAL
    try:
        return getattr(parser, construct)(yaml.ScalarNode(tag, event.value))
    except Exception:  # e.g. '0b_' looks like a number and is not one: PyYAML's reading reports it
        return _UNUSUAL


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
