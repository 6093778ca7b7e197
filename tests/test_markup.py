"""Entry bodies: Markdown in, HTML out that carries no script, no handler and no unsafe link."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from catalogue.markup import to_html

REL = 'rel="nofollow noopener noreferrer"'
DEAD_LINK = f"<p><a {REL}>x</a></p>"  # the text stays, the link goes

# (what a contributor might write, exactly what reaches the page)
VECTORS = {
    "script_element": ("<script>alert(1)</script>Text", "\n<p>Text</p>"),
    "script_inline": ("Text <script>alert(1)</script> more", "<p>Text  more</p>"),
    "img_onerror": ('<img src="x" onerror="alert(1)">', "<p></p>"),
    "a_onclick": (
        '<a href="https://example.org/" onclick="alert(1)">x</a>',
        f'<p><a href="https://example.org/" {REL}>x</a></p>',
    ),
    "div_onmouseover": ("<div onmouseover=alert(1)>x</div>", "x"),
    "markdown_javascript": ("[x](javascript:alert(1))", DEAD_LINK),
    "markdown_javascript_mixed_case": ("[x](JaVaScRiPt:alert(1))", DEAD_LINK),
    "markdown_javascript_entity": ("[x](&#106;avascript:alert(1))", DEAD_LINK),
    "markdown_javascript_leading_space": ("[x]( javascript:alert(1))", DEAD_LINK),
    "html_javascript_entity": ('<a href="&#106;avascript:alert(1)">x</a>', DEAD_LINK),
    "html_javascript_hex_tab_entity": ('<a href="java&#x09;script:alert(1)">x</a>', DEAD_LINK),
    "html_javascript_raw_tab": ('<a href="java\tscript:alert(1)">x</a>', DEAD_LINK),
    "html_javascript_leading_space": ('<a href="  javascript:alert(1)">x</a>', DEAD_LINK),
    "html_javascript_control_char": ('<a href="\x01javascript:alert(1)">x</a>', DEAD_LINK),
    "html_javascript_upper": ('<a href="JAVASCRIPT:alert(1)">x</a>', DEAD_LINK),
    "data_url": ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", DEAD_LINK),
    "data_url_html": ('<a href="DATA:text/html,<script>alert(1)</script>">x</a>', DEAD_LINK),
    "vbscript": ("[x](vbscript:msgbox(1))", DEAD_LINK),
    "relative_path": ("[x](other.html)", DEAD_LINK),
    "root_relative": ("[x](/agreements/index.html)", DEAD_LINK),
    "protocol_relative": ("[x](//evil.example/x)", DEAD_LINK),
    "fragment": ("[x](#top)", DEAD_LINK),
    "iframe": ('<iframe src="https://evil.example/"></iframe>', ""),
    "iframe_in_text": ('Before <iframe src="https://evil.example/">inside</iframe> after', "<p>Before  after</p>"),
    "style": ("<style>body { display: none }</style>Text", "\n<p>Text</p>"),
    "style_attribute": ('<p style="background:url(javascript:alert(1))">Text</p>', "<p>Text</p>"),
    "svg_onload": ("<svg onload=alert(1)><circle r=1 /></svg>", "<p></p>"),
    "object_embed": ('<object data="x.swf"></object><embed src="x.swf">', "\n<p></p>"),
    "form_input": ('<form action="https://evil.example/"><input name="q"></form>', ""),
    "code_span_is_text": ("`<script>alert(1)</script>`", "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>"),
}

SAFE = {
    "https": ("[x](https://example.org/a?b=1&c=2)", f'<p><a href="https://example.org/a?b=1&amp;c=2" {REL}>x</a></p>'),
    "http": ("[x](http://example.org/)", f'<p><a href="http://example.org/" {REL}>x</a></p>'),
    "https_upper": ('<a href="HTTPS://EXAMPLE.ORG/">x</a>', f'<p><a href="HTTPS://EXAMPLE.ORG/" {REL}>x</a></p>'),
    "autolink": ("<https://example.org/>", f'<p><a href="https://example.org/" {REL}>https://example.org/</a></p>'),
    "mailto": ("[write](mailto:editor@example.org)", f'<p><a href="mailto:editor@example.org" {REL}>write</a></p>'),
    "title_kept": (
        '[x](https://example.org/ "The paper")',
        f'<p><a href="https://example.org/" title="The paper" {REL}>x</a></p>',
    ),
    "own_rel_and_target_replaced": (
        '<a href="https://example.org/" rel="opener" target="_blank">x</a>',
        f'<p><a href="https://example.org/" {REL}>x</a></p>',
    ),
}


@pytest.mark.parametrize("text, expected", VECTORS.values(), ids=VECTORS.keys())
def test_unsafe_markup_comes_out_as_exactly_this(text, expected):
    assert to_html(text) == expected


@pytest.mark.parametrize("text", [text for text, _ in VECTORS.values()], ids=VECTORS.keys())
def test_unsafe_markup_leaves_nothing_that_runs(text):
    soup = BeautifulSoup(to_html(text), "html.parser")
    tags = {tag.name for tag in soup.find_all(True)}
    assert tags <= {"p", "a", "code"}
    for tag in soup.find_all(True):
        assert set(tag.attrs) <= {"href", "title", "rel"}, tag
    assert [a["href"] for a in soup.find_all("a", href=True)] == (["https://example.org/"] if "onclick" in text else [])


@pytest.mark.parametrize("text, expected", SAFE.values(), ids=SAFE.keys())
def test_safe_links_are_kept_with_nofollow(text, expected):
    assert to_html(text) == expected


def test_ordinary_markdown_survives():
    text = (
        "Signed on **25 September 2015** (*kepegawaian*).\n\n- trade\n- culture\n\n| Sector | State "
        "|\n|---|---|\n| Trade | done |\n"
    )
    assert to_html(text) == (
        "<p>Signed on <strong>25 September 2015</strong> (<em>kepegawaian</em>).</p>\n"
        "<ul>\n<li>trade</li>\n<li>culture</li>\n</ul>\n"
        "<table>\n<thead>\n<tr>\n<th>Sector</th>\n<th>State</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>Trade</td>\n<td>done</td>\n</tr>\n</tbody>\n</table>"
    )


def test_headings_below_the_page_title_only():
    # The page has its own <h1>; a body's "# Title" must not add a second one.
    assert to_html("# Title\n\n## Part") == "Title\n<h2>Part</h2>"


def test_one_body_does_not_leak_into_the_next():
    # The Markdown converter is shared; footnotes and references must be reset between entries.
    first = to_html("Text[^1]\n\n[^1]: A note.\n\n[ref]: https://example.org/")
    second = to_html("[x][ref]")
    assert "A note." in first
    assert second == "<p>[x][ref]</p>"
