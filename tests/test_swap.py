"""write.py: a build killed at any instant leaves the old or the new site whole; leftovers are
cleaned by the next build; two builds at once do not both write; only a previous build is replaced."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from catalogue import write
from catalogue.model import Page
from catalogue.write import MARKER, UnsafePath, WriteError, write_site
from conftest import REPO


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def site_pages(tag: str, count: int = 3) -> list[Page]:
    return [Page(f"{tag}/{i}.html", f"{tag} {i}".encode()) for i in range(count)] + [Page("index.html", tag.encode())]


def beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir())


def test_every_build_is_marked_and_nothing_is_left_beside_it(tmp_path):
    out = tmp_path / "site"
    write_site(out, site_pages("old"))
    write_site(out, site_pages("new"))
    assert tree(out)[MARKER].startswith(b"Built by sister-city-catalogue")
    assert {path for path in tree(out) if path != MARKER} == {"index.html", "new/0.html", "new/1.html", "new/2.html"}
    assert beside(out) == ["site"]


def test_a_folder_with_an_index_html_but_no_marker_is_not_replaced(tmp_path):
    out = tmp_path / "photos"
    out.mkdir()
    (out / "index.html").write_text("my own page", encoding="utf-8")
    (out / "holiday.jpg").write_bytes(b"jpeg")
    with pytest.raises(UnsafePath, match=f"no {MARKER} file in it"):
        write_site(out, site_pages("new"))
    assert tree(out) == {"holiday.jpg": b"jpeg", "index.html": b"my own page"}


def test_leftovers_of_killed_builds_are_removed_by_the_next(tmp_path):
    out = tmp_path / "site"
    write_site(out, site_pages("old"))
    for leftover in (".site-new-abc123", ".site-old-def456"):
        (tmp_path / leftover / "big").mkdir(parents=True)
        (tmp_path / leftover / "big" / "page.html").write_bytes(b"x" * 1000)
    (tmp_path / ".other-new-keep").mkdir()  # another site's folder is not this build's to clean
    write_site(out, site_pages("new"))
    assert beside(out) == [".other-new-keep", "site"]
    assert tree(out)["index.html"] == b"new"


def test_a_site_left_aside_by_a_kill_between_two_renames_comes_back(tmp_path):
    out = tmp_path / "site"
    write_site(out, site_pages("old"))
    os.rename(out, tmp_path / ".site-old-k1ll3d")  # the state a kill between the renames leaves
    with pytest.raises(UnsafePath):  # and the next build fails: the old site must still be back
        write_site(out, [Page("index.html", b"new"), Page("../escape.html", b"bad")])
    assert tree(out)["index.html"] == b"old"
    assert beside(out) == ["site"]


def test_without_an_atomic_exchange_the_renames_still_replace_the_site(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    out = tmp_path / "site"
    write_site(out, site_pages("old"))
    write_site(out, site_pages("new"))
    assert tree(out)["index.html"] == b"new" and "old/0.html" not in tree(out)
    assert beside(out) == ["site"]


def test_a_second_build_at_once_is_refused_with_a_message(tmp_path):
    out = tmp_path / "site"
    write_site(out, site_pages("old"))
    lock = tmp_path / ".site.lock"
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(
            WriteError, match=r"another build is writing .*site now .*; wait for it to finish, then build again"
        ):
            write_site(out, site_pages("new"))
    assert tree(out)["index.html"] == b"old"
    assert beside(out) == [".site.lock", "site"]  # the other build's lock, untouched


# A child process writes a large site over a small one and is killed with SIGKILL partway.
CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from catalogue.model import Page
    from catalogue.write import write_site
    out, count = Path(sys.argv[1]), int(sys.argv[2])
    print("ready", flush=True)
    write_site(out, (Page(f"new/{i // 100}/{i}.html", b"new " * 50) for i in range(count)))
""")


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2])
def test_a_build_killed_at_any_instant_leaves_the_old_or_the_new_site_whole(tmp_path, delay):
    out = tmp_path / "site"
    write_site(out, site_pages("old"))
    old = tree(out)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), "3000"],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout.readline() == b"ready\n"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    now = tree(out)
    finished = {f"new/{i // 100}/{i}.html" for i in range(3000)} | {MARKER}
    assert now == old or set(now) == finished
    write_site(out, site_pages("next"))  # the next build cleans whatever the kill left
    assert tree(out)["index.html"] == b"next"
    assert beside(out) == ["site"]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_kill_right_after_the_swap_leaves_the_new_site(tmp_path, exchange):
    """The narrowest instant, forced: the process dies inside _swap, after its first step."""
    out = tmp_path / "site"
    write_site(out, site_pages("old"))
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from catalogue import write
        from catalogue.model import Page
        real_exchange, real_rename = write._exchange, os.rename
        def exchange_then_die(a, b):
            real_exchange(a, b)
            os._exit(9)
        renames = []
        def rename_then_die(a, b):
            real_rename(a, b)
            renames.append(b)
            if len(renames) == 1 and ".site-old-" in str(b):
                os._exit(9)  # between the two renames: no site/ until the next build
        if {exchange}:
            write._exchange = exchange_then_die
        else:
            write._exchange = lambda a, b: False
            os.rename = rename_then_die
        write.write_site(Path({str(out)!r}), [Page("index.html", b"new")])
    """)
    assert subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(REPO)}).returncode == 9
    if exchange:
        assert tree(out)["index.html"] == b"new"  # never missing
    write_site(out, [Page("index.html", b"next")])
    assert tree(out)["index.html"] == b"next"
    assert beside(out) == ["site"]


@pytest.mark.parametrize(
    "old, new",
    [
        ({"x": b"a file", "index.html": b"i"}, {"x/y.html": b"now a folder", "index.html": b"i"}),
        ({"x/y.html": b"in a folder", "x/z.html": b"z", "index.html": b"i"}, {"x": b"now a file", "index.html": b"i"}),
    ],
    ids=["file becomes folder", "folder becomes file"],
)
@pytest.mark.parametrize("tools", ["cp and rm", "none"])
def test_an_incremental_write_over_a_linked_site_gives_the_full_sites_files(tmp_path, monkeypatch, old, new, tools):
    from catalogue.incremental import read_previous

    if tools == "none":  # no GNU cp or rm (macOS, Windows): the tree is linked and removed by Python
        monkeypatch.setattr(write.shutil, "which", lambda name: None)

    out, held = tmp_path / "site", tmp_path / "held"
    write_site(out, [Page(p, c) for p, c in old.items()], environment="env")
    for path in old:  # the old site's files, held by links of their own
        (held / path).parent.mkdir(parents=True, exist_ok=True)
        os.link(out / path, held / path)
    previous = read_previous(out, "env")
    assert previous.files == set(old)
    write_site(out, [Page(p, c) for p, c in new.items()], previous=previous, environment="env")
    assert {p: c for p, c in tree(out).items() if p != MARKER} == new
    assert tree(held) == old
    assert (out / "index.html").stat().st_ino == (held / "index.html").stat().st_ino  # unchanged: linked
    assert beside(out) == [".site-state", "held", "site"]
