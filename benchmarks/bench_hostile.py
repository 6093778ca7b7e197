#!/usr/bin/env python3
"""How long the worst inputs take now: refused ones, and the worst Markdown the budgets let through.

    python benchmarks/bench_hostile.py [--before]

--before also times the Markdown converter on inputs the budgets now refuse (at sizes that
finish in seconds: the cost grows with the square of the count), for comparison.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from catalogue.limits import MAX_MARKS_PER_BODY, MAX_MARKS_PER_PARAGRAPH  # noqa: E402
from catalogue.markup import to_html  # noqa: E402
from catalogue.problems import CatalogueError  # noqa: E402
from catalogue.site import check  # noqa: E402
from conftest import FIXTURES, make_project  # noqa: E402

ENTRY = (FIXTURES / "site" / "content" / "agreements" / "surakarta-xian.md").read_text(encoding="utf-8")
PATTERNS = ["[", "![", "<a ", "![a](", "[^", "*[", "<http://"]


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def refused(body: str = "", front: str = "") -> tuple[float, str]:
    """Seconds check() takes on the fixture catalogue with surakarta-xian.md changed, and its first problem."""
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder))
        text = ENTRY.replace("---\nparties:", "---\n" + front + "parties:", 1) if front else ENTRY
        (project.agreements / "surakarta-xian.md").write_text(text + body, encoding="utf-8")
        started = time.perf_counter()
        try:
            check(project)
            message = "accepted"
        except CatalogueError as err:
            message = err.problems[0].message[:70]
        return time.perf_counter() - started, message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", action="store_true")
    before = parser.parse_args().before
    if before:
        print("Markdown conversion, one paragraph (now refused above the budget):")
        for pattern in PATTERNS:
            figures = [
                f"{n:>5} in {timed(lambda pattern=pattern, n=n: to_html(pattern * n)):6.2f} s"
                for n in (500, 1000, 2000)
            ]
            print(f"  {pattern!r:>11}: " + ", ".join(figures))
    paragraphs = MAX_MARKS_PER_BODY // MAX_MARKS_PER_PARAGRAPH
    print(f"Worst Markdown within the budget ({paragraphs} paragraphs of {MAX_MARKS_PER_PARAGRAPH} '[' or '<'):")
    for pattern in PATTERNS:
        marks = pattern.count("[") + pattern.count("<")
        body = "\n\n".join([pattern * (MAX_MARKS_PER_PARAGRAPH // marks)] * paragraphs)
        print(f"  {pattern!r:>11}: {timed(lambda body=body: to_html(body)):6.3f} s")
    with tempfile.TemporaryDirectory() as folder:
        check(make_project(Path(folder)))  # loads the gazetteer once, so the times below are the check's own
    print("check() on the fixture catalogue with one hostile entry:")
    cases = {
        "50,000 '['": ("\n" + "[" * 50_000, ""),
        "50,000 '!['": ("\n" + "![" * 50_000, ""),
        "50,000 '<a '": ("\n" + "<a " * 50_000, ""),
        "10 MB body": ("\n" + "word " * 2_000_000, ""),
        "560-byte alias bomb": (
            "",
            "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i else '"lol"'] * 9) + "]\n" for i in range(9)),
        ),
        "150,000-deep brackets": ("", "x: " + "[" * 150_000 + "\n"),
        "4,301-digit number": ("", "x: 1" + "0" * 4300 + "\n"),
        "valid (for scale)": ("", ""),
    }
    for name, (body, front) in cases.items():
        seconds, message = refused(body, front)
        print(f"  {name:>22}: {seconds:6.3f} s  {message}")


if __name__ == "__main__":
    main()
