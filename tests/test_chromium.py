"""The order the browser tests find Chromium in: the variable, Debian's headless shell, then its browser, then
Playwright's own."""

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
    named, shell, debian, own = exe("mine"), exe("chromium-headless-shell"), exe("chromium"), exe("own")
    found = find_chromium({ENV: str(named)}, debian=debian, playwright_path=own, debian_shell=shell)
    assert (found.path, found.how) == (named, ENV)


def test_a_variable_naming_nothing_is_an_error_not_a_fallback(exe, tmp_path):
    with pytest.raises(NotFound, match=f"{ENV}=.*missing is not a file; point it at a Chromium executable or unset it"):
        find_chromium({ENV: str(tmp_path / "missing")}, debian=exe("chromium"), debian_shell=exe("shell"))


def test_then_debian_s_shell_then_its_browser_then_playwright(exe, tmp_path):
    shell, debian, own = exe("chromium-headless-shell"), exe("chromium"), exe("own")
    found = find_chromium({}, debian=debian, playwright_path=own, debian_shell=shell)
    assert (found.path, found.how) == (shell, "Debian's headless shell")
    found = find_chromium({}, debian=debian, playwright_path=own, debian_shell=tmp_path / "none")
    assert (found.path, found.how) == (debian, "Debian's package")
    found = find_chromium({}, debian=tmp_path / "none", playwright_path=own, debian_shell=tmp_path / "none")
    assert (found.path, found.how) == (None, "Playwright's own browser")


def test_none_found_says_how_to_get_one(tmp_path):
    with pytest.raises(NotFound) as caught:
        find_chromium({}, debian=tmp_path / "none", playwright_path=tmp_path / "nor-this", debian_shell=tmp_path / "no")
    assert str(caught.value) == (
        f"no Chromium: set {ENV}, or install Debian's chromium-headless-shell or chromium (apt-get install "
        "chromium-headless-shell), "
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
