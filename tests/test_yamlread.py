"""yamlread.py: the first pass reads front matter exactly as PyYAML's composer and constructor do.

The first pass builds the data and the lines from the screen's events; whenever it does, both must
equal PyYAML's own reading (yamlread._compose), with the same types. Checked on every front matter
and places.yaml in the repository and its fixtures, and on generated YAML.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from catalogue.limits import control_problem
from catalogue.load import FENCE, split_front_matter
from catalogue.problems import Problem
from catalogue.yamlread import YamlProblem, _compose, _screen, parse_yaml
from conftest import FIXTURES, REPO


def _reading(text: str) -> object:
    """PyYAML's reading of text (screened first, as parse_yaml does): (data, lines) or the problem."""
    control = control_problem(text, "x.yaml", 2)
    if control:
        return control
    screened = _screen(text, "x.yaml", 2)
    if isinstance(screened, Problem):
        return screened
    try:
        return _compose(text, "x.yaml", 2)
    except YamlProblem as err:
        return err.problem


def _typed(value: object) -> object:
    """value with the type of every part spelt out, so 1 and 1.0 and True differ."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def assert_read_alike(text: str) -> None:
    try:
        quick: object = parse_yaml(text, "x.yaml", 2)
    except YamlProblem as err:
        quick = err.problem
    slow = _reading(text)
    if isinstance(quick, tuple) and isinstance(slow, tuple):
        assert _typed(quick[0]) == _typed(slow[0])
        assert list(quick[1].items()) == list(slow[1].items())  # the same lines, in the same order
    else:
        assert quick == slow


def _front_matters() -> list[tuple[str, str]]:
    found = []
    for file in sorted([*REPO.glob("content/**/*.md"), *FIXTURES.rglob("*.md")]):
        text = file.read_text(encoding="utf-8", errors="replace")
        if FENCE.match(text.lstrip("\ufeff")):
            split = split_front_matter(text, "x.md")
            if not isinstance(split, Problem):
                found.append((str(file.relative_to(REPO)), split[0]))
    for file in sorted([*REPO.glob("content/places.yaml"), *FIXTURES.rglob("*.yaml")]):
        found.append((str(file.relative_to(REPO)), file.read_text(encoding="utf-8", errors="replace")))
    return found


FRONT_MATTERS = _front_matters()


def test_there_are_front_matters_to_compare():
    assert len(FRONT_MATTERS) > 50


@pytest.mark.parametrize("text", [t for _, t in FRONT_MATTERS], ids=[n for n, _ in FRONT_MATTERS])
def test_every_file_in_the_repository_reads_as_pyyaml_reads_it(text):
    assert_read_alike(text)


UNUSUAL = [
    "1: a\n2: b\n",  # keys that are numbers
    "null: a\n",
    "? [a, b]\n: c\n",  # a list as a key
    "? {a: 1}\n: c\n",
    "<<: {a: 1}\nb: 2\n",  # a merge key
    "a: =\n",  # the value tag, which the safe constructor does not know
    "a: 0b_\n",  # looks like a number, is not one
    "a: 1\n...\n---\nb: 2\n",  # two documents
    "a: 1\na: 2\n",  # a repeated key
    "a:\n  b: 1\n  b: [2]\n",
    "a: 1\n'a': 2\n",
    "a: .nan\nb: -.inf\nc: 1_000\nd: 0x1F\ne: 0o17\nf: 017\ng: 1:30\nh: ~\ni: NO\nj: True\nk: 2016-11-03\n",
    "- a\n- [b, {c: d}]\n- {}\n- []\n- ''\n- \n",
    "42\n",
    "'text'\n",
    "",
    "# only a comment\n",
    "a: [1, 2\n",  # a syntax error
    "a: &x 1\nb: *x\n",
]


@pytest.mark.parametrize("text", UNUSUAL)
def test_unusual_yaml_reads_as_pyyaml_reads_it(text):
    assert_read_alike(text)


SCALARS = st.one_of(
    st.sampled_from(
        ["1", "-2", "0x1f", "1.5", "1e3", ".inf", "~", "null", "true", "NO", "yes", "'q'", '"d"', "<<", "="]
    ),
    st.sampled_from(["2016-11", "a b", "x: y", "[", "}", "#c", "-", "? k", "&a", "*a", "!!str s", "1_0", "0b_"]),
    st.text(alphabet="ab1:-_ .'\"", min_size=0, max_size=6),
)


def _yaml(depth: int) -> st.SearchStrategy[str]:
    """Generated YAML text, block or flow, right or wrong."""
    if depth == 0:
        return SCALARS
    inner = _yaml(depth - 1)
    keys = st.one_of(st.sampled_from(["a", "b", "1", "null", "a", "[x]", "'a'"]), SCALARS)
    block_map = st.lists(st.tuples(keys, inner), min_size=1, max_size=4).map(
        lambda items: "\n".join(f"{k}:\n  " + v.replace("\n", "\n  ") if "\n" in v else f"{k}: {v}" for k, v in items)
    )
    block_seq = st.lists(inner, min_size=1, max_size=4).map(
        lambda items: "\n".join("- " + v.replace("\n", "\n  ") for v in items)
    )
    flow = st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
    flow_map = st.lists(st.tuples(keys, inner), max_size=3).map(
        lambda items: "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    )
    return st.one_of(inner, block_map, block_seq, flow, flow_map)


@settings(
    max_examples=400, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(_yaml(3))
def test_generated_yaml_reads_as_pyyaml_reads_it(text):
    assert_read_alike(text + "\n")


def test_the_first_pass_reads_every_shipped_entry_itself():
    """Front matter as contributors write it never needs PyYAML's second reading."""
    shipped = [text for name, text in FRONT_MATTERS if name.startswith("content/")]
    assert shipped and all(isinstance(_screen(text, "x.md", 2), tuple) for text in shipped)
