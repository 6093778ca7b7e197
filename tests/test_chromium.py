"""The order the browser tests find Chromium in: the variable, Debian's package, Playwright's own."""

from __future__ import annotations

import pytest

from chromium import ENV, PLAYWRIGHT, NotFound, find_chromium


@pytest.fixture
def exe(tmp_path):
    def make(name):
        path = tmp_path / name
        path.write_text("#!/bin/sh\n", encoding="utf-8")
        return path

    return make


def test_the_variable_comes_first(exe):
    named, debian, own = exe("mine"), exe("chromium"), exe("own")
    found = find_chromium({ENV: str(named)}, debian=debian, playwright_path=own)
    assert (found.path, found.how) == (named, ENV)


def test_a_variable_naming_nothing_is_an_error_not_a_fallback(exe, tmp_path):
    with pytest.raises(NotFound, match=f"{ENV}=.*missing is not a file; point it at a Chromium executable or unset it"):
        find_chromium({ENV: str(tmp_path / "missing")}, debian=exe("chromium"))


def test_then_debian_then_playwright(exe, tmp_path):
    debian, own = exe("chromium"), exe("own")
    assert find_chromium({}, debian=debian, playwright_path=own).path == debian
    found = find_chromium({}, debian=tmp_path / "none", playwright_path=own)
    assert (found.path, found.how) == (None, "Playwright's own browser")


def test_none_found_says_how_to_get_one(tmp_path):
    with pytest.raises(NotFound) as caught:
        find_chromium({}, debian=tmp_path / "none", playwright_path=tmp_path / "nor-this")
    assert str(caught.value) == (
        f"no Chromium: set {ENV}, or install Debian's chromium (apt-get install chromium), "
        "or run `python -m playwright install --with-deps chromium`"
    )


def test_the_variable_can_ask_for_playwrights_own_before_debians(exe, tmp_path):
    # A hosted runner has a /usr/bin/chromium (its image's Chromium snapshot); the workflow asks for Playwright's.
    debian, own = exe("chromium"), exe("own")
    found = find_chromium({ENV: PLAYWRIGHT}, debian=debian, playwright_path=own)
    assert (found.path, found.how) == (None, "Playwright's own browser")
    with pytest.raises(NotFound) as caught:
        find_chromium({ENV: PLAYWRIGHT}, debian=debian, playwright_path=tmp_path / "not-installed")
    assert str(caught.value) == (
        f"{ENV}=playwright, but Playwright's Chromium is not installed; run "
        "`python -m playwright install --with-deps chromium`"
    )
