"""Long lists split into pages a reader can open: one page size, stable page addresses.

Page 1 keeps the list's own address (countries/jp.html); page n > 1 lives beside it in a folder
named after it (countries/jp/2.html; agreements/index.html → agreements/2.html), so links to a
list made before it was paginated still lead to its start.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZE = 100  # agreements per list page: a page stays far below 300 KB at any catalogue size


def page_url(path: str, number: int) -> str:
    """The address of page `number` (1-based) of the list whose first page is `path`."""
    if number == 1:
        return path
    folder = path[: -len("index.html")] if path.endswith("/index.html") or path == "index.html" else path[: -len(".html")] + "/"
    return f"{folder}{number}.html"


def page_count(items: int) -> int:
    """How many pages a list of `items` needs; an empty list still has its first page."""
    return max(1, -(-items // PAGE_SIZE))


@dataclass(frozen=True)
class Pager:
    """Where one page sits in its list, for the template's links (URLs relative to the language root)."""

    number: int
    count: int
    first_item: int  # 1-based position of the page's first agreement in the whole list
    last_item: int
    total: int
    prev_url: str | None
    next_url: str | None
    urls: tuple[str, ...]  # every page's address, in order


def pagers(path: str, total: int) -> list[Pager]:
    """One Pager per page of a list of `total` items whose first page is at `path`."""
    count = page_count(total)
    urls = tuple(page_url(path, n) for n in range(1, count + 1))
    return [
        Pager(
            number=n, count=count, first_item=min(total, (n - 1) * PAGE_SIZE + 1), last_item=min(total, n * PAGE_SIZE),
            total=total, prev_url=urls[n - 2] if n > 1 else None, next_url=urls[n] if n < count else None, urls=urls,
        )
        for n in range(1, count + 1)
    ]
