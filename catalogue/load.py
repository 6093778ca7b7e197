"""Files on disk → RawEntry: front matter split from the body, with the line of every field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .files import Folder, content_files, folder as as_folder
from .limits import body_problems, control_problem
from .problems import Problem

# Named here too, where the stages and their tests have always found them.
from .yamlread import FieldPath as FieldPath, YamlProblem as YamlProblem, parse_yaml as parse_yaml

FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


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


def load_file(file: Path, root: Path | Folder) -> RawEntry | Problem:
    """One Markdown file → RawEntry, or a Problem."""
    inside = as_folder(root)
    text = inside.read_text(file)
    if isinstance(text, Problem):
        return text
    return load_text(text, inside.relative(file), file.stem)


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
    folder: Path, root: Path | Folder, load: Callable[[Path, Folder], RawEntry | Problem] | None = None
) -> tuple[list[RawEntry], list[Problem]]:
    """Every entry (*.md, not translations) under a folder, in a stable order → ([RawEntry], [Problem]).

    load reads one file (load_file; the build's parse cache gives its own)."""
    entries: list[RawEntry] = []
    problems: list[Problem] = []
    inside = as_folder(root)  # resolved once for every file
    for file in content_files(folder):
        if is_translation(file):
            continue
        loaded = (load or load_file)(file, inside)
        if isinstance(loaded, Problem):
            problems.append(loaded)
        else:
            entries.append(loaded)
    return entries, problems


def load_translations(folder: Path, root: Path | Folder) -> tuple[list[RawTranslation], list[Problem]]:
    """Every translation file under a folder → ([RawTranslation], [Problem]).

    A translation is plain Markdown; front matter is not needed and is refused, so a
    copied entry is not mistaken for one.
    """
    translations: list[RawTranslation] = []
    problems: list[Problem] = []
    inside = as_folder(root)
    for file in content_files(folder):
        match = TRANSLATION.match(file.stem)
        if not match:
            continue
        path = inside.relative(file)
        text = inside.read_text(file)
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
