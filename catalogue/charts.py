"""Horizontal bar charts as inline SVG, drawn at build time: no chart service, no JavaScript.

Every label and the title are XML-escaped here, so the returned string is safe to insert
into a page as markup. Text is drawn in currentColor and every part has a class (chart-bar,
chart-label, chart-value, chart-axis), so the page's CSS can restyle it for dark mode. The
chart has a viewBox and no fixed size: it scales to its container's width, a phone's included.
"""

from __future__ import annotations

import re
from typing import Sequence
from xml.sax.saxutils import escape, quoteattr

# Drawn 400 units wide: scaled to a 360px phone its 16-unit text is still about 13px; the
# page's CSS caps the width (about 32rem) so it does not grow huge on a desktop.
WIDTH = 400
ROW = 28  # height of one bar's row
BAR = 20
FONT = 16
CHAR = FONT * 0.56  # a generous average glyph width: labels are measured, not rendered
PAD = 8
DEFAULT_COLOUR = "#0072B2"  # Okabe-Ito blue, the map's 'exploratory' colour
UNKNOWN_COLOUR = "#6B6B6B"  # grey, for rows such as 'start not stated'
MAX_LABEL = WIDTH * 0.5


def bar_chart(rows: Sequence[tuple[str, int]], *, title: str, colour: str | Sequence[str] | None = None, ident: str = "chart") -> str:
    """rows of (label, count) as an SVG chart; colour is one colour, one per row, or the default.

    ident makes the element ids unique when a page has several charts.
    """
    ident = re.sub(r"[^A-Za-z0-9_-]+", "-", ident).strip("-") or "chart"
    colours = per_row(colour, len(rows))
    top = max((count for _, count in rows), default=0)
    most = min(int(MAX_LABEL // CHAR), max((len(label) for label, _ in rows), default=0))  # characters shown
    label_width = most * CHAR
    value_width = len(str(top)) * CHAR + PAD
    x0 = PAD + label_width + PAD
    room = WIDTH - x0 - value_width - PAD
    height = PAD * 2 + ROW * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title" font-size="{FONT}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
    ]
    for i, ((label, count), fill) in enumerate(zip(rows, colours)):
        y = PAD + i * ROW + (ROW - BAR) / 2
        middle = y + BAR / 2
        length = room * count / top if top else 0
        shown = fitted(label, most)
        tooltip = f"<title>{escape(label)}</title>" if shown != label else ""
        parts.append(
            f'<text class="chart-label" x="{num(x0 - PAD)}" y="{num(middle)}" text-anchor="end" '
            f'dominant-baseline="central" fill="currentColor">{tooltip}{escape(shown)}</text>'
        )
        if count:
            parts.append(f'<rect class="chart-bar" x="{num(x0)}" y="{num(y)}" width="{num(max(length, 1))}" height="{BAR}" fill={quoteattr(fill)}/>')
        parts.append(
            f'<text class="chart-value" x="{num(x0 + length + PAD / 2)}" y="{num(middle)}" '
            f'dominant-baseline="central" fill="currentColor">{count}</text>'
        )
    parts.append(f'<line class="chart-axis" x1="{num(x0)}" y1="{PAD / 2:g}" x2="{num(x0)}" y2="{num(height - PAD / 2)}" stroke="currentColor"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def per_row(colour: str | Sequence[str] | None, count: int) -> list[str]:
    if colour is None or isinstance(colour, str):
        return [colour or DEFAULT_COLOUR] * count
    if len(colour) != count:
        raise ValueError(f"{len(colour)} colours for {count} rows; give one colour, or one per row")
    return list(colour)


def fitted(label: str, most: int) -> str:
    """The label cut to most characters with an ellipsis; the full label is in the table and a tooltip."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def num(value: float) -> str:
    """A coordinate with at most one decimal, so the same data draws the same bytes."""
    return f"{value:.1f}".rstrip("0").rstrip(".")
