"""Templates are compiled once per process (render.COMPILED): a second language and every
rebuild of `catalogue serve` reuse the compiled code, and an edited template is compiled again."""

from __future__ import annotations

import marshal

import pytest
from jinja2 import Environment, FileSystemLoader

from catalogue.render import CompiledTemplates, compiled_folder, compiled_key, environment


def test_a_second_environment_reuses_the_compiled_template(tmp_path):
    (tmp_path / "page.html").write_text("{{ _('Agreements') }}: {{ n }}", encoding="utf-8")
    english = environment(tmp_path, "en").get_template("page.html")
    indonesian = environment(tmp_path, "id").get_template("page.html")
    assert english.root_render_func.__code__ is indonesian.root_render_func.__code__  # compiled once
    assert english.render(n=3) != indonesian.render(n=3)  # and still each in its own language


def test_an_edited_template_is_compiled_again(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("before {{ n }}", encoding="utf-8")
    assert environment(tmp_path).get_template("page.html").render(n=1) == "before 1"
    page.write_text("after {{ n }}", encoding="utf-8")
    assert environment(tmp_path).get_template("page.html").render(n=1) == "after 1"
    assert environment(tmp_path, "id").get_template("page.html").render(n=1) == "after 1"


# -- kept between processes, beside the site ----------------------------------------------


def compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from here on."""
    compiled: list[str] = []
    original = Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", counting)
    return compiled


def fresh_environment(templates, folder) -> tuple[Environment, CompiledTemplates]:
    """An environment like a new build process's: nothing compiled in memory, templates kept in folder."""
    cache = CompiledTemplates()
    cache.keep_in(folder)
    return Environment(loader=FileSystemLoader(templates), bytecode_cache=cache, auto_reload=False), cache


def test_a_new_process_reads_compiled_templates_from_the_state_folder(tmp_path, monkeypatch):
    (tmp_path / "page.html").write_text("{{ n }} ties", encoding="utf-8")
    env, cache = fresh_environment(tmp_path, tmp_path / "state")
    assert env.get_template("page.html").render(n=3) == "3 ties"
    assert not (tmp_path / "state").exists()  # saved with the site, not while it is built
    cache.save()
    compiled = compiles(monkeypatch)

    env, _ = fresh_environment(tmp_path, tmp_path / "state")
    assert env.get_template("page.html").render(n=4) == "4 ties"
    assert compiled == []


def test_an_edited_template_is_compiled_again_in_a_new_process(tmp_path, monkeypatch):
    page = tmp_path / "page.html"
    page.write_text("before {{ n }}", encoding="utf-8")
    env, cache = fresh_environment(tmp_path, tmp_path / "state")
    env.get_template("page.html")
    cache.save()
    page.write_text("after {{ n }}", encoding="utf-8")
    compiled = compiles(monkeypatch)

    env, cache = fresh_environment(tmp_path, tmp_path / "state")
    assert env.get_template("page.html").render(n=1) == "after 1"
    assert compiled == ["page.html"]
    cache.save()
    env, _ = fresh_environment(tmp_path, tmp_path / "state")
    assert env.get_template("page.html").render(n=2) == "after 2"
    assert compiled == ["page.html"]  # the edited one was kept in its turn


@pytest.mark.parametrize("content", [b"", b"garbage", marshal.dumps((99, "x", None)), marshal.dumps("text")])
def test_a_damaged_compiled_template_is_compiled_again(tmp_path, monkeypatch, content):
    (tmp_path / "page.html").write_text("{{ n }} ties", encoding="utf-8")
    env, cache = fresh_environment(tmp_path, tmp_path / "state")
    env.get_template("page.html")
    cache.save()
    (kept,) = (tmp_path / "state").iterdir()
    kept.write_bytes(content)
    compiled = compiles(monkeypatch)

    env, _ = fresh_environment(tmp_path, tmp_path / "state")
    assert env.get_template("page.html").render(n=5) == "5 ties"
    assert compiled == ["page.html"]


def test_compiled_templates_of_another_python_jinja_or_code_are_removed(tmp_path):
    (tmp_path / "page.html").write_text("{{ n }}", encoding="utf-8")
    old = tmp_path / "templates" / "an-older-key"
    old.mkdir(parents=True)
    (old / "x").write_bytes(b"old")
    env, cache = fresh_environment(tmp_path, tmp_path / "templates" / compiled_key())
    env.get_template("page.html")
    cache.save()
    assert [p.name for p in (tmp_path / "templates").iterdir()] == [compiled_key()]


def test_a_build_keeps_its_compiled_templates_beside_the_site(project):
    from catalogue.config import Config
    from catalogue.site import build

    out = project.root / "site"
    build(project, out, Config(tiles="none"), search=False, jobs=1)
    kept = compiled_folder(project.root / ".site-state")
    assert len(list(kept.iterdir())) == len([p for p in project.templates.rglob("*.html") if "assets" not in p.parts])
    assert not any(p.name.startswith(".") for p in kept.iterdir())  # no half-written file left
