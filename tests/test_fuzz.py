"""Fuzzing: mutated real-shaped entries, places.yaml and catalogue.toml never crash the check or the build.

Every input either checks (and then renders and exports) or gives Problems; nothing else may
escape. In the normal test run each property tries a fixed, derandomised set of examples
(~20 s in all). A deliberate run tries more, with fresh randomness:

    FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py

Every crash found becomes a file in tests/fixtures/fuzz/, replayed by the first test below.
"""

from __future__ import annotations

import os
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from catalogue.config import ConfigError, load_config
from catalogue.exports import export_pages
from catalogue.feeds import feed_pages
from catalogue.dates import Dates
from catalogue.config import Config
from catalogue.problems import CatalogueError
from catalogue.render import Renderer
from catalogue.site import Project, check
from conftest import FIXTURES, REPO, make_project

FUZZ = FIXTURES / "fuzz"
LONG = int(os.environ.get("FUZZ_EXAMPLES", "0"))
settings.register_profile(
    "suite",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    max_examples=LONG or 1,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PROFILE = settings.get_profile("long" if LONG else "suite")

AGREEMENTS = FIXTURES / "site" / "content" / "agreements"
# Each mutated entry replaces the file it came from: added beside it, it would only be the same tie twice.
ENTRIES = {p.name: p.read_text(encoding="utf-8") for p in sorted(AGREEMENTS.glob("*.md"))}
PLACES = (FIXTURES / "site" / "content" / "places.yaml").read_text(encoding="utf-8")
SETTINGS = (REPO / "catalogue.toml").read_text(
    encoding="utf-8"
) + 'tagline = "An open catalogue"\nrecent = 8\nstale_after_years = 3\n'

# Values a stranger might type, chosen for the parsers and the writers they reach.
HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "~",
        "null",
        "yes",
        "NO",
        "0x1F",
        "0o17",
        "1_000",
        "1:20:30",
        "-0",
        "1e400",
        ".nan",
        "2019-02-29",
        "9999-12-31",
        "0000",
        "'",
        '"',
        "&a",
        "*a",
        "!!int x",
        "!tag x",
        "? x",
        "- x",
        "[",
        "]",
        "{",
        "}",
        "|",
        ">",
        "%",
        "@x",
        "`x`",
        "# x",
        "a: b",
        "<script>alert(1)</script>",
        '=HYPERLINK("x")',
        "../../etc/passwd",
        "index",
        "CON",
        "a" * 300,
        "-".join(["x"] * 120),
        "Xi’an",
        "西安",
        "\u202e",
        "\ufeff",
        "é",
        "\x85",
        "\t",
        "\\x00",
        "\\e",
        "[" * 200,
        "<a " * 50,
        "![" * 60,
        "10" * 20,
        "1" * 25,
    ]
)
SCALARS = st.one_of(
    HOSTILE_TEXT,
    st.text(max_size=40),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates().map(str),
)
FREE_TEXT = {"title", "note", "region", "body", "publisher", "authors"}
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(HOSTILE_TEXT, st.text(max_size=10)), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths(data, prefix=()):
    """Every place in a YAML tree where a value can be replaced, removed or added."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from paths(value, prefix + (i,))


def mutate_tree(data, where, action, value):
    """data with the node at where replaced, removed or given a new child."""
    if not where:
        return value if action == "replace" else data
    parent = data
    for key in where[:-1]:
        parent = parent[key]
    if action == "replace":
        parent[where[-1]] = value
    elif action == "remove":
        del parent[where[-1]]
    elif isinstance(parent[where[-1]], dict):
        parent[where[-1]][str(value)[:20] if not isinstance(value, (dict, list)) else "extra"] = value
    elif isinstance(parent[where[-1]], list):
        parent[where[-1]].append(value)
    return data


@st.composite
def structural(draw, text: str, front_matter: bool):
    """A real file with its YAML tree mutated: a node replaced, removed or extended, then written back."""
    if front_matter:
        _, front, body = text.split("---\n", 2)
    else:
        front, body = text, ""
    data = yaml.safe_load(front)
    for _ in range(draw(st.integers(1, 3))):
        free = [where for where in paths(data) if where and isinstance(where[-1], str) and where[-1] in FREE_TEXT]
        if free and draw(st.booleans()):
            # Free text keeps the entry valid, so the value reaches the pages, feeds and exports.
            data = mutate_tree(
                data,
                draw(st.sampled_from(free)),
                "replace",
                draw(st.one_of(HOSTILE_TEXT, st.text(min_size=1, max_size=60))),
            )
            continue
        where = draw(st.sampled_from(list(paths(data))))
        data = mutate_tree(data, where, draw(st.sampled_from(["replace", "remove", "add"])), draw(VALUES))
    dumped = yaml.safe_dump(
        data,
        allow_unicode=draw(st.booleans()),
        sort_keys=False,
        default_flow_style=draw(st.sampled_from([None, True, False])),
    )
    body = draw(st.sampled_from([body, body + draw(HOSTILE_TEXT), draw(HOSTILE_TEXT), ""]))
    return f"---\n{dumped}---\n{body}" if front_matter else dumped


@st.composite
def textual(draw, text: str):
    """A real file with its lines cut, repeated, swapped, re-indented or spliced with hostile text."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "swap", "indent", "splice", "truncate"]))
        if action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "repeat":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "indent":
            lines[i] = draw(st.sampled_from(["", " ", "  ", "\t", "    "])) + lines[i].lstrip()
        elif action == "splice":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.one_of(HOSTILE_TEXT, st.text(max_size=8))) + lines[i][at:]
        elif action == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return "\n".join(lines)


def mutated_entries():
    """(file name, mutated text) for one of the fixture's entries."""
    return st.sampled_from(sorted(ENTRIES)).flatmap(
        lambda name: st.tuples(st.just(name), st.one_of(structural(ENTRIES[name], True), textual(ENTRIES[name])))
    )


def mutated_places():
    return st.one_of(structural(PLACES, False), textual(PLACES))


def mutated_settings():
    return textual(SETTINGS)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("fuzz"))


def survives(project: Project, fuzzed: str = "fuzzed") -> None:
    """check, then (when it passes) the fuzzed entry's pages and every export: only Problems may stop it."""
    try:
        checked = check(project)
    except CatalogueError:
        return
    catalogue = checked.catalogue
    renderer = Renderer(catalogue, Config(tiles="none"), project.templates, checked.pages, "en")
    pages = []
    for entry in catalogue.entries:
        if entry.agreement.slug == fuzzed:  # its own pages: the others are the fixture's, rendered elsewhere
            pages.append(renderer.agreement(entry))
            pages += [renderer.redirect(alias, entry) for alias in entry.agreement.aliases]
            pages += [renderer.place(place.key) for place in entry.places]
    for page in pages:
        assert all(0 < len(part.encode()) <= 255 for part in page.path.split("/")), page.path
    list(export_pages(catalogue, Dates(), Config()))
    list(feed_pages(catalogue, Dates(), Config()))


def fresh(sandbox: Project) -> Project:
    """The sandbox reset to the fixture catalogue."""
    shutil.rmtree(sandbox.root / "content")
    shutil.copytree(FIXTURES / "site" / "content", sandbox.root / "content")
    (sandbox.root / "catalogue.toml").unlink(missing_ok=True)
    return sandbox


@pytest.mark.parametrize("found", sorted(FUZZ.glob("*")) if FUZZ.is_dir() else [], ids=lambda p: p.name)
def test_every_crash_the_fuzzer_found_stays_fixed(sandbox, found):
    project = fresh(sandbox)
    data = found.read_bytes()
    # An entry replaces the fixture entry it was made from (see ENTRIES), named in its first line.
    target = {".yaml": project.places, ".toml": project.root / "catalogue.toml"}.get(
        found.suffix, project.agreements / "surakarta-xian.md"
    )
    target.write_bytes(data)
    if found.suffix == ".toml":
        try:
            load_config(project.root)
        except ConfigError:
            pass
    survives(project, "surakarta-xian")


@PROFILE
@given(entry=mutated_entries())
def test_a_mutated_entry_never_crashes_the_check_or_the_build(sandbox, entry):
    name, text = entry
    project = fresh(sandbox)
    (project.agreements / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    survives(project, name.removesuffix(".md"))


@PROFILE
@given(text=mutated_places())
def test_a_mutated_places_yaml_never_crashes_the_check(sandbox, text):
    project = fresh(sandbox)
    project.places.write_text(text, encoding="utf-8", errors="surrogatepass")
    survives(project)


@settings(PROFILE, max_examples=LONG or 20)  # each valid one renders the home page, map included
@given(text=mutated_settings())
def test_a_mutated_catalogue_toml_is_read_or_refused_with_its_name(sandbox, text):
    project = fresh(sandbox)
    (project.root / "catalogue.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        config = load_config(project.root)
    except ConfigError as err:
        assert str(err).startswith("catalogue.toml")
        return
    renderer = Renderer(check(project).catalogue, config, project.templates, (), "id")
    for page in (renderer.home(), renderer.freshness_page()):  # the pages that use the settings
        assert page.content
