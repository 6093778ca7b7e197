"""The build refuses what it can before the slow stages: a wrong --out is named before any page is rendered."""

from __future__ import annotations

import pytest

import catalogue.render
from catalogue.config import Config
from catalogue.site import build
from catalogue.write import UnsafePath
from conftest import make_project


class Rendered(Exception):
    pass


def refuse_to_render(*args, **kwargs):
    raise Rendered("a page was rendered before --out was checked")


@pytest.mark.parametrize(
    "make_out",
    [
        lambda root: (root / "site.txt", (root / "site.txt").write_text("not a site", encoding="utf-8"))[0],
        lambda root: (
            root / "notes",
            (root / "notes").mkdir(),
            (root / "notes" / "mine.txt").write_text("x", encoding="utf-8"),
        )[0],
    ],
)
def test_a_wrong_out_is_refused_before_rendering(tmp_path, monkeypatch, make_out):
    project = make_project(tmp_path)
    out = make_out(project.root)
    monkeypatch.setattr(catalogue.render, "Renderer", refuse_to_render)
    with pytest.raises(UnsafePath, match="refusing to replace"):
        build(project, out, Config(tiles="none"), search=False)


def test_a_good_out_reaches_rendering(tmp_path, monkeypatch):
    """The stub above does stop a build that renders: the test before can fail."""
    project = make_project(tmp_path)
    monkeypatch.setattr(catalogue.render, "Renderer", refuse_to_render)
    with pytest.raises(Rendered):
        build(project, project.root / "site", Config(tiles="none"), search=False)
