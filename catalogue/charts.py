"""Horizontal bar charts as inline SVG, drawn at build time: no chart service, no JavaScript.

Every label and the title are XML-escaped here, so the returned string is safe to insert
into a page as markup. Text is drawn in currentColor and every part has a class (chart-bar,
chart-label, chart-value, chart-axis), so the page's CSS can restyle it for dark mode. The
chart has a viewBox and no fixed size: it scales to its container's width, a phone's included.
"""

from __future__ import annotations

import re
import textwrap
from typing import Sequence

# Text for XML content (&, < and > escaped, as xml.sax.saxutils.escape does, whose import loads urllib.request,
# http.client and ssl into every build): the feeds' one rule, not a second copy of it.
from .xmlout import escape_text as escape


def quoteattr(text: str) -> str:
    """An XML attribute's value, escaped and quoted as xml.sax.saxutils.quoteattr does."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    return f"'{text}'" if "'" not in text else '"' + text.replace('"', "&quot;") + '"'


# Drawn 400 units wide: scaled to a 360px phone its 16-unit text is still about 14px; the page's
# CSS caps the width so it does not grow huge on a desktop. Each label sits above its bar, across
# the whole width, and wraps onto more lines rather than being cut: "Tata kelola pemerintahan"
# reads whole on a phone as on a desktop.
WIDTH = 400
BAR = 18
FONT = 16
LINE = 20  # one line of label text
CHAR = FONT * 0.56  # a generous average glyph width: labels are measured, not rendered
PAD = 8
GAP = 10  # between one row's bar and the next row's label
DEFAULT_COLOUR = "#0072B2"  # Okabe-Ito blue, the map's 'exploratory' colour
UNKNOWN_COLOUR = "#6B6B6B"  # grey, for rows such as 'start not stated'


def bar_chart(
    rows: Sequence[tuple[str, int]], *, title: str, colour: str | Sequence[str] | None = None, ident: str = "chart"
) -> str:
    """rows of (label, count) as an SVG chart; colour is one colour, one per row, or the default.

    ident makes the element ids unique when a page has several charts.
    """
    ident = re.sub(r"[^A-Za-z0-9_-]+", "-", ident).strip("-") or "chart"
    colours = per_row(colour, len(rows))
    top = max((count for _, count in rows), default=0)
    value_width = len(str(top)) * CHAR + PAD
    x0 = PAD
    room = WIDTH - x0 - value_width - PAD
    per_line = int((WIDTH - 2 * PAD) // CHAR)
    laid = [(label, count, wrapped(label, per_line)) for label, count in rows]
    height = PAD + sum(len(lines) * LINE + 4 + BAR + GAP for _, _, lines in laid) + PAD - GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {num(height)}" role="img" '
        f'aria-labelledby="{ident}-title" font-size="{FONT}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
    ]
    y = PAD
    for (_label, count, lines), fill in zip(laid, colours):
        spans = "".join(
            f'<tspan x="{num(x0)}" dy="{LINE if i else FONT}">{escape(line)}</tspan>' for i, line in enumerate(lines)
        )
        parts.append(f'<text class="chart-label" x="{num(x0)}" y="{num(y)}" fill="currentColor">{spans}</text>')
        y += len(lines) * LINE + 4
        length = room * count / top if top else 0
        middle = y + BAR / 2
        if count:
            parts.append(
                f'<rect class="chart-bar" x="{num(x0)}" y="{num(y)}" width="{num(max(length, 1))}" height="{BAR}" '
                f"fill={quoteattr(fill)}/>"
            )
        parts.append(
            f'<text class="chart-value" x="{num(x0 + length + PAD / 2)}" y="{num(middle)}" '
            f'dominant-baseline="central" fill="currentColor">{count}</text>'
        )
        y += BAR + GAP
    parts.append("</svg>")
    return "\n".join(parts)


def wrapped(label: str, per_line: int) -> list[str]:
    """The label in lines of at most per_line characters, at spaces where it can; every character kept.

    Each line but the last keeps its trailing space, so the lines read together are the label.
    """
    lines = textwrap.wrap(label, per_line, drop_whitespace=False, break_on_hyphens=False) or [label]
    return lines


def per_row(colour: str | Sequence[str] | None, count: int) -> list[str]:
    if colour is None or isinstance(colour, str):
        return [colour or DEFAULT_COLOUR] * count
    if len(colour) != count:
        raise ValueError(f"{len(colour)} colours for {count} rows; give one colour, or one per row")
    return list(colour)


def num(value: float) -> str:
    """A coordinate with at most one decimal, so the same data draws the same bytes."""
    return f"{value:.1f}".rstrip("0").rstrip(".")
