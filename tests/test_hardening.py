"""A stranger's pull request can neither leak, hang nor crash the build (issue 9).

Each hostile input gives exactly its message, with its file and line, and leaves no traceback.
Inputs that can be committed as text are fixtures in tests/fixtures/hostile/; links, pipes,
folders and oversized files are made here, one function per case.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from catalogue.cli import main
from catalogue.config import Config
from catalogue.limits import MAX_BODY_CHARS, MAX_FILE_BYTES, MAX_SLUG_CHARS
from catalogue.problems import CatalogueError
from catalogue.site import build, check
from conftest import FIXTURES, REPO, make_project, parse

HOSTILE = FIXTURES / "hostile"
ENTRY = (FIXTURES / "site" / "content" / "agreements" / "surakarta-xian.md").read_text(encoding="utf-8")

CONTROL = (
    "contains the control character {}, which is invisible and cannot be published; delete it (in YAML, also "
    "escapes such as \\x01 or \\0)"
)
TAG = "the tag '{}' is not allowed; write the value plainly, in quotes if it is text"
LINK = (
    "is a symbolic link, not an ordinary file; content files must be ordinary files in the repository: replace the "
    "link with the file's own text"
)
FOLDER = "is a folder, not an ordinary file; this name is kept for a file: rename the folder"

EXPECTED = {
    "alias_reserved.md": [
        "content/agreements/alias-reserved.md:11: aliases.0: 'index' is the address of the list of all agreements; an "
        "alias is an old slug of this entry: remove it"
    ],
    "alias_too_long.md": [
        "content/agreements/alias-too-long.md:11: aliases.0: is 299 characters long; an alias may have at most 100, "
        "as it becomes a file name: shorten it"
    ],
    "control_character_escaped.md": [
        "content/agreements/control-character-escaped.md:19: sources.0.title: " + CONTROL.format("U+001B")
    ],
    "control_character_nul.md": ["content/agreements/control-character-nul.md:11: " + CONTROL.format("U+0000")],
    "control_character_raw.md": ["content/agreements/control-character-raw.md:23: " + CONTROL.format("U+001B")],
    "markdown_angle_brackets_in_a_paragraph.md": [
        "content/agreements/markdown-angle-brackets-in-a-paragraph.md:25: this paragraph has 101 '[' and '<' "
        "characters; at most 100 are allowed in one paragraph: split it with a blank line, or remove the extra "
        "ones"
    ],
    "markdown_brackets_in_a_paragraph.md": [
        "content/agreements/markdown-brackets-in-a-paragraph.md:23: this paragraph has 101 '[' and '<' characters; at "
        "most 100 are allowed in one paragraph: split it with a blank line, or remove the extra ones"
    ],
    "markdown_marks_in_the_body.md": [
        "content/agreements/markdown-marks-in-the-body.md:23: the text has 1,080 '[' and '<' characters; at most 500 "
        "are allowed (each link uses one or two): remove the extra ones"
    ],
    "nesting_too_deep.md": [
        "content/agreements/nesting-too-deep.md:14: sectors.0.0.0.0.0.0.0.0.0.0.0: nests more than 12 levels deep; "
        "check the indentation and the brackets"
    ],
    "number_4300_digits.md": [
        "content/agreements/number-4300-digits.md:17: documents.0.term_years: the number 100000000000... has 4,301 "
        "characters; at most 20 are allowed: check it, or put it in quotes if it is text"
    ],
    "party_name_too_long.md": [
        "content/agreements/party-name-too-long.md:7: parties.1.name: is 299 characters long; a party's name may have "
        "at most 150, as it becomes a file name: shorten it"
    ],
    "term_years_10_to_the_30.md": [
        "content/agreements/term-years-10-to-the-30.md:17: documents.0.term_years: the number 100000000000... has 31 "
        "characters; at most 20 are allowed: check it, or put it in quotes if it is text"
    ],
    "term_years_too_many.md": [
        "content/agreements/term-years-too-many.md:17: documents.0.term_years: 1000 years is more than 100; check it "
        "for a typo"
    ],
    "yaml_alias_bomb.md": [
        "content/agreements/yaml-alias-bomb.md:2: a0: anchors and aliases (&name, *name) are not allowed; write each "
        "value out in full"
    ],
    "yaml_tag_bool.md": ["content/agreements/yaml-tag-bool.md:11: status: " + TAG.format("!!bool")],
    "yaml_tag_float.md": ["content/agreements/yaml-tag-float.md:12: as_of: " + TAG.format("!!float")],
    "yaml_tag_int.md": ["content/agreements/yaml-tag-int.md:17: documents.0.term_years: " + TAG.format("!!int")],
    "yaml_tag_timestamp.md": ["content/agreements/yaml-tag-timestamp.md:13: since: " + TAG.format("!!timestamp")],
}


def problems(project) -> list[str]:
    try:
        check(project)
    except CatalogueError as err:
        return [str(problem) for problem in err.problems]
    return []


@pytest.mark.parametrize("fixture", sorted(HOSTILE.glob("*.md")), ids=lambda fixture: fixture.name)
def test_each_hostile_fixture_gives_exactly_its_message(project, fixture):
    assert fixture.name in EXPECTED, f"{fixture.name} has no expected message; add it to EXPECTED"
    shutil.copy(fixture, project.agreements / (fixture.stem.replace("_", "-") + ".md"))
    assert problems(project) == EXPECTED[fixture.name]


def test_every_expected_message_has_its_fixture():
    assert sorted(EXPECTED) == sorted(f.name for f in HOSTILE.glob("*.md"))


# -- files that are not ordinary files inside the catalogue ----------------------------------


def symlink_to_etc_passwd(project):
    (project.agreements / "leak.md").symlink_to("/etc/passwd")
    return [f"content/agreements/leak.md: {LINK}"]


def symlink_to_proc_environ(project):
    (project.agreements / "leak.md").symlink_to("/proc/self/environ")
    return [f"content/agreements/leak.md: {LINK}"]


def symlink_to_an_entry_inside(project):
    (project.agreements / "copy.md").symlink_to(project.agreements / "surakarta-xian.md")
    return [f"content/agreements/copy.md: {LINK}"]


def symlink_to_a_folder_outside(project):
    outside = project.root.parent / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(ENTRY, encoding="utf-8")
    (project.agreements / "more").symlink_to(outside)
    return [f"content/agreements/more: {LINK}"]


def dangling_symlink(project):
    (project.agreements / "gone.md").symlink_to(project.root / "nowhere.md")
    return [f"content/agreements/gone.md: {LINK}"]


def translation_symlink(project):
    (project.agreements / "surakarta-xian.en.md").symlink_to("/etc/hostname")
    return [f"content/agreements/surakarta-xian.en.md: {LINK}"]


def folder_named_like_an_entry(project):
    (project.agreements / "x.md").mkdir()
    return [f"content/agreements/x.md: {FOLDER}"]


def pipe_named_like_an_entry(project):
    os.mkfifo(project.agreements / "pipe.md")
    return [
        "content/agreements/pipe.md: is a pipe, not an ordinary file; content files must be ordinary text files: "
        "replace it with one"
    ]


def page_symlink(project):
    (project.pages / "leak.md").symlink_to("/etc/passwd")
    return [f"content/pages/leak.md: {LINK}"]


def page_folder(project):
    (project.pages / "help.md").mkdir()
    return [f"content/pages/help.md: {FOLDER}"]


def places_yaml_symlink(project):
    project.places.unlink()
    project.places.symlink_to("/etc/passwd")
    return [f"content/places.yaml: {LINK}"]


def places_yaml_folder(project):
    project.places.unlink()
    project.places.mkdir()
    return [f"content/places.yaml: {FOLDER}"]


def places_yaml_alias_bomb(project):
    project.places.write_text("ID: &a\n  Jawa Barat: [-6.9022, 107.6187]\nMY: *a\n", encoding="utf-8")
    return [
        "content/places.yaml:1: ID: anchors and aliases (&name, *name) are not allowed; write each value out in full"
    ]


def places_yaml_control_character(project):
    project.places.write_text(
        "ID:\n  Jawa Barat: [-6.9022, 107.6187]\x1b\nMY:\n  Penang: [5.4141, 100.3288]\n", encoding="utf-8"
    )
    return ["content/places.yaml:2: " + CONTROL.format("U+001B")]


def places_yaml_tag(project):
    project.places.write_text(
        "ID:\n  Jawa Barat: [!!float x, 107.6187]\nMY:\n  Penang: [5.4141, 100.3288]\n", encoding="utf-8"
    )
    return ["content/places.yaml:2: ID.Jawa Barat.0: " + TAG.format("!!float")]


def page_control_character(project):
    (project.pages / "about.md").write_text("---\ntitle: About\x07\n---\nText.\n", encoding="utf-8")
    return ["content/pages/about.md:2: " + CONTROL.format("U+0007")]


def slug_too_long(project):
    name = "-".join(["surakarta"] * 11)  # 109 characters
    shutil.move(project.agreements / "surakarta-xian.md", project.agreements / f"{name}.md")
    return [
        f"content/agreements/{name}.md:1: the file name is {len(name)} characters long; at most {MAX_SLUG_CHARS} are "
        "allowed, as it becomes the page's file name: rename it after the two parties, e.g. 'surakarta-xian.md'"
    ]


def party_name_spelling_out_too_long(project):
    entry = project.agreements / "surakarta-xian.md"
    entry.write_text(ENTRY.replace("name: Xi'an", "name: Kota " + "\u33af" * 30), encoding="utf-8")
    return [
        "content/agreements/surakarta-xian.md:7: parties.1.name: becomes the address 'kota-rad-s2rad-s2rad...', 185 "
        "characters long; at most 150 are allowed, as it becomes a file name: write the name in plain letters, or "
        "shorten it"
    ]


def page_name_too_long(project):
    name = "-".join(["about"] * 20)  # 119 characters
    shutil.move(project.pages / "about.md", project.pages / f"{name}.md")
    return [
        f"content/pages/{name}.md:2: the file name is {len(name)} characters long; at most {MAX_SLUG_CHARS} are "
        "allowed, as it becomes the page's file name: rename it, e.g. 'about.md'"
    ]


def file_too_big(project):
    (project.agreements / "big.md").write_text(ENTRY + "x" * MAX_FILE_BYTES, encoding="utf-8")
    size = len(ENTRY) + MAX_FILE_BYTES
    return [
        f"content/agreements/big.md: is {size:,} bytes; a content file may be at most {MAX_FILE_BYTES:,} bytes: "
        "shorten it, or split it into several"
    ]


def body_too_long(project):
    (project.agreements / "surakarta-xian.md").write_text(
        ENTRY.replace("by 2017", "by 2017 " + "word " * (MAX_BODY_CHARS // 5)), encoding="utf-8"
    )
    length = len(ENTRY.split("---\n", 2)[2]) + 5 * (MAX_BODY_CHARS // 5) + 1
    return [
        f"content/agreements/surakarta-xian.md:23: the text is {length:,} characters long; at most {MAX_BODY_CHARS:,} "
        "are allowed: shorten it, or link to the full text in a source"
    ]


def fifty_thousand_brackets(project):
    (project.agreements / "surakarta-xian.md").write_text(ENTRY.replace("by 2017", "[" * 50_000), encoding="utf-8")
    return [
        "content/agreements/surakarta-xian.md:23: the text has 50,000 '[' and '<' characters; at most 500 are allowed "
        "(each link uses one or two): remove the extra ones"
    ]


def not_utf8(project):
    (project.agreements / "latin1.md").write_bytes(ENTRY.replace("Xi'an", "Xi\xe1n").encode("latin-1"))
    return [
        "content/agreements/latin1.md:7: not UTF-8 text: byte 0xe1 on this line cannot be read; save the file as UTF-8"
    ]


CASES = [
    symlink_to_etc_passwd,
    symlink_to_proc_environ,
    symlink_to_an_entry_inside,
    symlink_to_a_folder_outside,
    dangling_symlink,
    translation_symlink,
    folder_named_like_an_entry,
    pipe_named_like_an_entry,
    page_symlink,
    page_folder,
    places_yaml_symlink,
    places_yaml_folder,
    places_yaml_alias_bomb,
    places_yaml_control_character,
    places_yaml_tag,
    page_control_character,
    slug_too_long,
    party_name_spelling_out_too_long,
    page_name_too_long,
    file_too_big,
    body_too_long,
    fifty_thousand_brackets,
    not_utf8,
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_each_hostile_file_gives_exactly_its_message(project, case):
    expected = case(project)
    assert problems(project) == expected


@pytest.mark.parametrize(
    "case", [symlink_to_etc_passwd, symlink_to_a_folder_outside, fifty_thousand_brackets], ids=lambda c: c.__name__
)
def test_a_hostile_file_stops_the_build_and_leaves_the_old_site(project, case):
    out = project.root / "site"
    build(project, out, Config(tiles="none"), search=False)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    case(project)
    with pytest.raises(CatalogueError):
        build(project, out, Config(tiles="none"), search=False)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert "root:" not in "".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*.html"))


def test_the_pull_request_workflow_build_refuses_a_symlinked_entry(project):
    """The command the pull-request workflow runs, run as it runs it, in a catalogue with a linked entry."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))
    steps = {step.get("name"): step for step in workflow["jobs"]["check-test-build"]["steps"]}
    command = steps["Build the site"]["run"]
    assert command.startswith("python build.py"), command
    shutil.copy(REPO / "build.py", project.root / "build.py")
    (project.agreements / "leak.md").symlink_to("/etc/passwd")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        command.replace("python", sys.executable, 1),
        shell=True,
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert f"content/agreements/leak.md: {LINK}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (project.root / "site").exists()


# -- catalogue.toml, through the command line -----------------------------------------------


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    "toml, message",
    [
        ("stale_after_years = -5\n", "catalogue.toml: stale_after_years = -5 must be a whole number from 1 to 200"),
        ("recent = -1\n", "catalogue.toml: recent = -1 must be a whole number from 0 to 1000"),
        (
            "recent = 1000000000000000000000000000000\n",
            "catalogue.toml: recent = 1000000000000000000000000000000 must be a whole number from 0 to 1000",
        ),
        (
            'title = "a\\u001bb"\n',
            "catalogue.toml: title = 'a\\x1bb' contains a line break or control character; write it on one line, "
            "without control characters",
        ),
        (
            b'title = "caf\xe9"\n',
            "catalogue.toml:1: not UTF-8 text: byte 0xe9 on this line cannot be read; save the file as UTF-8",
        ),
        (None, f"catalogue.toml: {FOLDER}"),
    ],
)
def test_check_and_build_refuse_a_bad_catalogue_toml_naming_it(tmp_path, toml, message):
    project = make_project(tmp_path)
    settings = project.root / "catalogue.toml"
    if toml is None:
        settings.mkdir()
    elif isinstance(toml, bytes):
        settings.write_bytes(toml)
    else:
        settings.write_text(toml, encoding="utf-8")
    checked = run("check", "--root", str(project.root))
    assert checked.exit_code == 1
    assert checked.output.splitlines() == [message, "1 problem in 1 file; nothing was written."]
    built = run("build", "--root", str(project.root), "--tiles", "none", "--out", str(tmp_path / "out"))
    assert built.exit_code == 2 and f"Error: {message}" in built.output
    assert "Traceback" not in checked.output + built.output
    assert not (tmp_path / "out").exists()


def test_check_reports_the_settings_with_the_entries_problems(project):
    (project.root / "catalogue.toml").write_text("recent = -1\n", encoding="utf-8")
    symlink_to_etc_passwd(project)
    result = run("check", "--root", str(project.root), "--format", "github")
    assert result.exit_code == 1
    assert "::error file=catalogue.toml::recent = -1 must be a whole number from 0 to 1000" in result.output
    assert "::error file=content/agreements/leak.md::is a symbolic link" in result.output


HOSTILE_TITLE = '<script>alert(1)</script> 50% {{ x }} %(num)s "quoted" & <b>'


def test_site_settings_are_text_and_placeholders_are_escaped(tmp_path):
    project = make_project(tmp_path)
    (project.root / "catalogue.toml").write_text(
        f"title = '{HOSTILE_TITLE}'\ntagline = '<img src=x onerror=alert(1)> 100%'\n", encoding="utf-8"
    )
    result = run("build", "--root", str(project.root), "--tiles", "none", "--quiet")
    assert result.exit_code == 0, result.output
    site = project.root / "site"
    for page in ("index.html", "en/index.html"):
        html = parse(site / page)
        assert html.select_one(".brand").get_text() == HOSTILE_TITLE
        assert html.select_one("h1").get_text() == HOSTILE_TITLE
        assert html.select_one("p.lead").get_text() == "<img src=x onerror=alert(1)> 100%"
        assert html.select_one("title").get_text().endswith(" · " + HOSTILE_TITLE)
        assert html.select("script") == [s for s in html.select("script") if "alert" not in s.get_text()]
        assert html.select("img") == []
    raw = (site / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<img src=x" not in raw
    english = parse(site / "en" / "open-data.html").get_text()
    assert "places/<country>/<name>.xml" in english and "places//.xml" not in english


# -- the command line never shows a traceback ---------------------------------------------------


def test_serve_refuses_a_port_out_of_range(built):
    result = run("serve", "--dir", str(built), "--port", "70000")
    assert result.exit_code == 2
    assert "70000 is not in the range 1<=x<=65535" in result.output


def test_serve_on_a_port_in_use_says_so(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--dir", str(built), "--port", str(port))
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: cannot serve on 127.0.0.1:{port}: Address already in use; choose another port, e.g. --port {port + 1}"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_parent_is_an_error_not_a_traceback(project, tmp_path):
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        result = run("build", "--root", str(project.root), "--tiles", "none", "--out", str(parent / "site"))
    finally:
        parent.chmod(0o755)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: could not write the site to {parent / 'site'}: Permission denied")
    assert "the previous site is unchanged" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_full_disk_is_an_error_and_leaves_the_old_site(project, monkeypatch):
    out = project.root / "site"
    assert run("build", "--root", str(project.root), "--tiles", "none", "--quiet").exit_code == 0
    before = (out / "index.html").read_bytes()

    def full(self, data):
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    result = run(
        "build", "--root", str(project.root), "--tiles", "none", "--full"
    )  # a no-change rebuild writes nothing
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "the previous site is unchanged" in result.output
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in project.root.iterdir()) == [".site-state", "content", "site", "templates"]


def test_a_percent_sign_in_the_title_builds(project):
    (project.root / "catalogue.toml").write_text('title = "50%"\n', encoding="utf-8")
    result = run("build", "--root", str(project.root), "--tiles", "none", "--quiet")
    assert result.exit_code == 0, result.output
    assert parse(project.root / "site" / "index.html").select_one("h1").get_text() == "50%"


def test_an_output_folder_that_cannot_be_made_is_an_error_not_a_traceback(project, tmp_path):
    """Runs as root too (where a read-only folder is still writable): the parent is a file."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("build", "--root", str(project.root), "--tiles", "none", "--out", str(blocker / "site"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: could not write the site to {blocker / 'site'}: ")
    assert result.output.rstrip().endswith("Free some disk space or make the folder writable, then build again")
    assert result.exception is None or isinstance(result.exception, SystemExit)
