"""Entry bodies: Markdown → HTML that can carry no script, no handler and no unsafe link."""

from __future__ import annotations

import re

import markdown
import nh3

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


_cleaner = nh3.Cleaner(
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
_markdown = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def to_html(text: str) -> str:
    """Render an entry's Markdown body and sanitise it: raw HTML never reaches a page."""
    _markdown.reset()
    return _cleaner.clean(_markdown.convert(text))
