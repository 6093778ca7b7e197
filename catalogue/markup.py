"""Entry bodies: Markdown → HTML that can carry no script, no handler and no unsafe link."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import markdown

TAGS = {
    "p",
    "br",
    "hr",
    "a",
    "em",
    "strong",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
    "sup",
    "sub",
    "del",
}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def _only_safe_links(tag: str, attribute: str, value: str) -> str | None:
    # ammonia passes relative URLs through; entries may link out only to http(s) and mailto.
    if attribute == "href":
        return value if SAFE_LINK.match(value.strip()) else None
    return value


@cache
def _converter() -> tuple[markdown.Markdown, Callable[[str], str]]:
    """Python-Markdown and nh3's cleaner, made when the first body is converted: a rebuild whose bodies are
    all in the parse cache (a status edit, say) loads neither (with Markdown's code-highlighting module,
    which loads Pygments, some 40 ms of a process)."""
    import markdown
    import nh3
    from markdown.extensions.abbr import AbbrExtension
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.md_in_html import MarkdownInHtmlExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    cleaner = nh3.Cleaner(
        tags=TAGS,
        clean_content_tags={
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "template",
            "noscript",
            "textarea",
            "svg",
            "math",
        },
        attributes=ATTRIBUTES,
        attribute_filter=_only_safe_links,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    # "extra" and "sane_lists" as instances, in extra's order: by name, Markdown looks them up among every
    # installed package's entry points first.
    extra = [FencedCodeExtension(), FootnoteExtension(), AttrListExtension(), DefListExtension(), TableExtension()]
    extensions = [*extra, AbbrExtension(), MarkdownInHtmlExtension(), SaneListExtension()]
    return markdown.Markdown(extensions=extensions, output_format="html"), cleaner.clean


def to_html(text: str) -> str:
    """Render an entry's Markdown body and sanitise it: raw HTML never reaches a page."""
    converter, clean = _converter()
    converter.reset()
    return clean(converter.convert(text))
