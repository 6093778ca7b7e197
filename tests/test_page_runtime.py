"""render.PageEnvironment's shorter ways through Jinja's runtime (fast_escape, PageContext.call, plain-dict
globals) give the bytes Jinja's own runtime gives: for templates that reach every branch of them, and for a
whole real-sized site."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, pass_context
from markupsafe import Markup

from catalogue import render
from catalogue.config import load_config
from catalogue.site import build
from conftest import corpus_paging


class Shown:
    def __init__(self, text: str) -> None:
        self.text = text

    def __html__(self) -> str:
        return f"<b>{self.text}</b>"


def stopped() -> str:
    raise StopIteration


@pass_context
def seen(context, name: str) -> str:
    return str(context.get(name))


TEMPLATES = {
    "macros.html": (
        "{% macro row(x, mark=True) %}<li>{{ x }}{% if mark %}{{ _('(%(n)s)', n=x) }}{% endif %}</li>{% endmacro %}"
    ),
    "page.html": """{% from "macros.html" import row %}{% extends "base.html" %}
{% block main %}
{{ text }} {{ safe }} {{ number }} {{ none }} {{ shown }} {{ 3.5 }} {{ '<&>"' }}
{% for x in items %}{% set other = x %}{{ row(x) }}{{ row(x, mark=False) }}
{{- url_for('place', 'id/' ~ x) }}{{ seen('other') }}{% endfor %}
{% for x in items %}{% set root = '../../' %}{{ url_for('place', 'id/a') }}{% endfor %}
{% set lang = 'xx' %}{{ url_for('place', 'id/b', lang='en') }}{{ seen('lang') }}
{{ stopped() is undefined }} {{ text.upper() }} {{ items|join(', ') }} {{ _('Agreements') }}
{{ ngettext('%(num)d tie', '%(num)d ties', items|length) }}
{% include "part.html" %}
{% endblock %}""",
    "base.html": "<title>{% block title %}{{ _(text) }}{% endblock %}</title>\n{% block main %}{% endblock %}\n",
    "part.html": "{% for x in items %}<a href=\"{{ url_for('place', 'id/' ~ x) }}\">{{ x }}</a>{% endfor %}",
}

CONTEXT = {
    "text": "Bandung & <Braunschweig> 'quoted' \"twice\"",
    "safe": Markup("<em>safe</em>"),
    "number": 7,
    "none": None,
    "shown": Shown("a<b"),
    "items": ["one<", "two&", Markup("<i>three</i>")],
    "root": "../",
    "site_root": "../../",
    "stopped": stopped,
    "seen": seen,
}


def rendered(folder: Path, environment_class: type[Environment], monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(render, "PageEnvironment", environment_class)
        env = render.environment(folder, "en")
    assert isinstance(env, environment_class)
    return env.get_template("page.html").render(CONTEXT)


def test_page_runtime_renders_what_jinjas_own_runtime_renders(tmp_path, monkeypatch):
    for name, text in TEMPLATES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    fast = rendered(tmp_path, render.PageEnvironment, monkeypatch)
    assert fast == rendered(tmp_path, Environment, monkeypatch)
    assert "Bandung &amp; &lt;Braunschweig&gt; &#39;quoted&#39; &#34;twice&#34; <em>safe</em> 7 None <b>a<b</b>" in fast
    assert ">two&amp;(two&amp;)</li><li>two&amp;</li>../places/id/two&amp;.htmltwo&amp;<li>" in fast  # a loop's set
    assert "../../places/id/a.html" in fast  # url_for reads the root a loop sets, as with Jinja's own runtime
    assert "../../en/places/id/b.htmlxx" in fast  # and a block's


@pytest.mark.parametrize("value", ["a<b&'\"", "", Markup("<b>x</b>"), 3, None, Shown("<x>"), 2.5])
def test_fast_escape_is_markupsafe_escape(value):
    from markupsafe import escape

    assert render.fast_escape(value) == escape(value)
    assert type(render.fast_escape(value)) is Markup


def test_a_site_rendered_with_jinjas_own_runtime_is_the_same_bytes(corpus_site, tmp_path, monkeypatch):
    """The real-sized fixture catalogue (lists in pages, places, two languages), built with Jinja's own Environment:
    every file the same as the corpus site's (built with PageEnvironment)."""
    project = corpus_site.project
    monkeypatch.setattr(render, "PageEnvironment", Environment)
    out = tmp_path / "site"
    with corpus_paging():
        build(project, out, load_config(project.root), search=False, jobs=1, incremental=False)
    ours = {p.relative_to(corpus_site.site) for p in corpus_site.site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(out) for p in out.rglob("*") if p.is_file()}
    assert ours == theirs
    html = [p for p in ours if p.suffix == ".html"]
    assert len(html) > 500
    for path in sorted(ours):
        assert (out / path).read_bytes() == (corpus_site.site / path).read_bytes(), path
