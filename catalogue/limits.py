"""Every input budget in one place, and the checks that enforce them before the expensive work.

Entries come from strangers. Each budget below is far above what a real entry needs (the
largest shipped entry is 2.4 KB with a handful of links) and low enough that the worst input
within it is checked and built in well under a second, in bounded memory, and that every file
the build writes has a name any common filesystem takes (255 bytes).
"""

from __future__ import annotations

import re

from .problems import Problem

# -- files ------------------------------------------------------------------------------
MAX_FILE_BYTES = 200_000  # an entry, page, translation, places.yaml or catalogue.toml
MAX_BODY_CHARS = 100_000  # an entry's or page's Markdown body (Markdown costs ~3 s per MB)

# -- YAML front matter and places.yaml -------------------------------------------------------
MAX_NESTING = 12  # an entry nests 4 deep (sources → 0 → title); deeper YAML would crash the C composer
MAX_YAML_EVENTS = 50_000  # scalars and brackets in one file
MAX_TEXT_CHARS = 5_000  # one value (a title, a note): the body is where long text goes
MAX_DIGITS = 20  # digits in one number: Python refuses to read 4,300, and no year or term needs 20

# -- names that become file names ---------------------------------------------------------------
# A slug or alias is a file name (agreements/<slug>.html); a party's name becomes
# places/<country>/<name>.html. 255 bytes is the limit of ext4, APFS, NTFS and most others;
# these leave room for the extension, a language prefix folder and the search index's own names.
MAX_SLUG_CHARS = 100
MAX_NAME_CHARS = 150

# -- numbers a contributor or deployer writes -------------------------------------------------
MAX_TERM_YEARS = 100  # a document's term; years are added to dates, which stop at 9999
MAX_RECENT = 1_000  # catalogue.toml: entries listed on the home page
MAX_STALE_AFTER_YEARS = 200  # catalogue.toml: years after which a status shows as old

# -- Markdown ------------------------------------------------------------------------------
# Python-Markdown looks ahead from every '[' and '<' for its closing mark, so a paragraph of
# n of them costs n² (2,000 '![a](' took 6.9 s). Bounding them per paragraph and per body
# bounds the whole conversion: cost ≤ per-body × per-paragraph.
MAX_MARKS_PER_PARAGRAPH = 100
MAX_MARKS_PER_BODY = 500
MARKS = "[<"

# C0 and C1 control characters other than tab and line breaks: invisible, and raw bytes in HTML and CSV.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def control_character(text: str) -> tuple[int, str] | None:
    """(line, 'U+0001') of the first control character in text, or None."""
    found = CONTROL.search(text)
    if found is None:
        return None
    return text.count("\n", 0, found.start()) + 1, f"U+{ord(found.group()):04X}"


def control_problem(text: str, path: str, first_line: int = 1, field: str = "") -> Problem | None:
    """The problem for a control character in text, or None."""
    found = control_character(text)
    if found is None:
        return None
    line, code = found
    return Problem(
        path,
        first_line + line - 1,
        field,
        f"contains the control character {code}, which is invisible and cannot be published; delete it (in YAML, also "
        "escapes such as \\x01 or \\0)",
    )


def body_problems(body: str, path: str, first_line: int) -> list[Problem]:
    """What makes a Markdown body too big or too slow to convert: checked before Markdown runs."""
    if len(body) > MAX_BODY_CHARS:
        return [
            Problem(
                path,
                first_line,
                "",
                f"the text is {len(body):,} characters long; at most {MAX_BODY_CHARS:,} are allowed: shorten it, or "
                "link to the full text in a source",
            )
        ]
    control = control_problem(body, path, first_line)
    if control:
        return [control]
    total = sum(body.count(mark) for mark in MARKS)
    if total > MAX_MARKS_PER_BODY:
        return [
            Problem(
                path,
                first_line,
                "",
                f"the text has {total:,} '[' and '<' characters; at most {MAX_MARKS_PER_BODY:,} are allowed (each "
                "link uses one or two): remove the extra ones",
            )
        ]
    breaks = list(_PARAGRAPH_BREAK.finditer(body))
    starts = [0] + [m.end() for m in breaks]
    ends = [m.start() for m in breaks] + [len(body)]
    for start, end in zip(starts, ends):
        count = sum(body.count(mark, start, end) for mark in MARKS)
        if count > MAX_MARKS_PER_PARAGRAPH:
            line = first_line + body.count("\n", 0, start)
            return [
                Problem(
                    path,
                    line,
                    "",
                    f"this paragraph has {count} '[' and '<' characters; at most {MAX_MARKS_PER_PARAGRAPH} are "
                    "allowed in one paragraph: split it with a blank line, or remove the extra ones",
                )
            ]
    return []


def name_too_long(text: str, limit: int, what: str) -> str | None:
    """The message for a name longer than a file name allows, or None."""
    if len(text) <= limit:
        return None
    return f"is {len(text)} characters long; {what} may have at most {limit}, as it becomes a file name: shorten it"
