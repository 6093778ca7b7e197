"""Templates are compiled once per process (render.COMPILED): a second language and every
rebuild of `catalogue serve` reuse the compiled code, and an edited template is compiled again."""

from __future__ import annotations

from catalogue.render import environment


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
