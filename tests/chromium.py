"""Which Chromium the browser tests drive, found in a documented order (README, "Running the tests").

1. `CATALOGUE_CHROMIUM`: a Chromium or Chrome executable you name; it must exist. The value
   `playwright` names Playwright's own Chromium: the pull-request workflow sets it, since a hosted
   Ubuntu runner's `/usr/bin/chromium` is a link to whatever Chromium snapshot its image carries
   that week, not a Debian package, and the browser Playwright is released with is the one it drives
   best.
2. Debian's headless shell, `/usr/bin/chromium-headless-shell` (`apt-get install chromium-headless-shell`):
   the same Blink and V8 without the desktop browser around them, the build Playwright itself runs
   headless tests on. Each new browser context (every test opens one) costs about a third of the
   CPU it costs the full browser, which builds a whole profile for it.
3. Debian's browser, `/usr/bin/chromium` (`apt-get install chromium`).
4. Playwright's own Chromium, where `python -m playwright install --with-deps chromium` put it
   (Ubuntu's `chromium` package is only a snap stub); Playwright launches its own headless shell.

Without any of them the browser tests are skipped, except under CI (`CI` set), where they fail:
a pull request must not turn green by testing less.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV = "CATALOGUE_CHROMIUM"
PLAYWRIGHT = "playwright"  # ENV's value for Playwright's own Chromium
DEBIAN_SHELL = Path("/usr/bin/chromium-headless-shell")
DEBIAN = Path("/usr/bin/chromium")


@dataclass(frozen=True)
class Found:
    """A Chromium to launch: `path` None means Playwright's own browser."""

    path: Path | None
    how: str


class NotFound(Exception):
    """No Chromium in any of the four places; the message says how to get one."""


def find_chromium(
    environ: dict[str, str] | None = None,
    debian: Path = DEBIAN,
    playwright_path: Path | None = None,
    debian_shell: Path = DEBIAN_SHELL,
) -> Found:
    """The first Chromium of the documented order, or NotFound naming each place looked in."""
    environ = os.environ if environ is None else environ
    named = environ.get(ENV, "").strip()
    if named == PLAYWRIGHT:
        own = playwright_path if playwright_path is not None else _playwright_chromium()
        if own is None or not own.is_file():
            raise NotFound(
                f"{ENV}={PLAYWRIGHT}, but Playwright's Chromium is not installed; run "
                "`python -m playwright install --with-deps chromium`"
            )
        return Found(None, "Playwright's own browser")
    if named:
        if not Path(named).is_file():
            raise NotFound(f"{ENV}={named} is not a file; point it at a Chromium executable or unset it")
        return Found(Path(named), f"{ENV}")
    if debian_shell.is_file():
        return Found(debian_shell, "Debian's headless shell")
    if debian.is_file():
        return Found(debian, "Debian's package")
    own = playwright_path if playwright_path is not None else _playwright_chromium()
    if own is not None and own.is_file():
        return Found(None, "Playwright's own browser")
    raise NotFound(
        f"no Chromium: set {ENV}, or install Debian's chromium-headless-shell or chromium (apt-get install "
        "chromium-headless-shell), "
        "or run `python -m playwright install --with-deps chromium`"
    )


def _playwright_chromium() -> Path | None:
    """Where Playwright would look for its own Chromium (it need not be installed)."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            return Path(playwright.chromium.executable_path)
    except Exception:  # no playwright, or no driver: then there is no own browser either
        return None
