"""Layers point one way: the pull-request gate (`catalogue check`) loads nothing of rendering or
mapping. Run in a fresh interpreter, so modules other tests imported cannot hide a wrong import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Third-party packages that only rendering and mapping need, and the project's own rendering side.
FORBIDDEN = {"folium", "branca", "jinja2", "markupsafe"}  # not xstatic: a .pth file imports it at start-up
RENDERING = {
    "render",
    "mapping",
    "mapdata",
    "charts",
    "stats",
    "exports",
    "earlier",
    "feeds",
    "sitemap",
    "xmlout",
    "assets",
    "search",
}  # not write: cli names its errors

PROBE = """
import json, sys
from pathlib import Path
import catalogue.cli
from catalogue.site import Project, check
check(Project(Path(sys.argv[1])))
print(json.dumps(sorted(sys.modules)))
"""


def loaded_by_check(fixture: Path) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(fixture)], env=env, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout))


def test_check_loads_nothing_of_rendering_or_mapping():
    modules = loaded_by_check(ROOT / "tests" / "fixtures" / "site")
    assert "catalogue.validate" in modules and "catalogue.index" in modules  # the probe did run the check
    third_party = sorted(m for m in modules if m.split(".")[0] in FORBIDDEN)
    own = sorted(m for m in modules if m.startswith("catalogue.") and m.split(".")[1] in RENDERING)
    assert third_party == [] and own == []


def test_the_probe_sees_a_rendering_import():
    """The same probe does see them once rendering is imported, so the test above can fail."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import json, sys, catalogue.render; print(json.dumps(sorted(sys.modules)))"
    modules = set(
        json.loads(
            subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
        )
    )
    assert {"jinja2", "markupsafe", "catalogue.render"} <= modules
