"""Same input, same bytes: the fixture catalogue built by two fresh processes, with different hash
seeds and time zones, gives two byte-identical sites (search index included). One warm process
building twice cannot show this: set order, dict order from hashing and the local clock only vary
between processes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, make_project


def build_in_fresh_process(tmp: Path, name: str, seed: str, tz: str) -> Path:
    project = make_project(tmp / name)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": seed, "TZ": tz}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "catalogue",
            "build",
            "--root",
            str(project.root),
            "--out",
            "site",
            "--tiles",
            "none",
            "--quiet",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=project.root,
    )
    return project.root / "site"


def tree(site: Path) -> dict[str, str]:
    """Every file of a site by its path inside it, with a digest of its bytes."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_fresh_processes_build_byte_identical_sites(tmp_path):
    first = tree(build_in_fresh_process(tmp_path, "a", seed="1", tz="Asia/Jakarta"))
    second = tree(build_in_fresh_process(tmp_path, "b", seed="4242", tz="America/Los_Angeles"))
    assert len(first) > 50 and any(path.startswith("pagefind/") for path in first)  # a whole site, with its index
    differing = sorted(path for path in first.keys() | second.keys() if first.get(path) != second.get(path))
    assert differing == []
