"""Site settings from catalogue.toml: the few things that differ between deployments."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .files import read_text
from .limits import MAX_RECENT, MAX_STALE_AFTER_YEARS, MAX_TEXT_CHARS, control_character
from .problems import Problem
from .countries import is_country

TILES = ("openstreetmap", "none")
FILE = "catalogue.toml"
# Whole-number settings and their ranges: a negative count or a 30-digit year would crash the build.
BOUNDS = {"recent": (0, MAX_RECENT), "stale_after_years": (1, MAX_STALE_AFTER_YEARS)}


def N_(text: str) -> str:
    """Marks a default for translation (Babel extracts it); pages translate it when shown."""
    return text


@dataclass(frozen=True)
class Config:
    """Settings; every field can be set in catalogue.toml."""

    title: str = N_("Sister cities of Indonesia")
    tagline: str = N_("An open, cited catalogue of Indonesian regions' ties with cities and regions abroad.")
    base_url: str = ""  # e.g. "https://example.org/catalogue/", for canonical links
    repository: str = ""  # e.g. "https://github.com/owner/repo", for "edit this page"
    tiles: str = "openstreetmap"  # or "none": no map tiles, for offline use and tests
    recent: int = 8  # how many entries the home page lists
    stale_after_years: int = 3  # a status observed longer ago than this shows as "last confirmed YEAR"
    # Every tie has a party in this country, written first; `new` and `import` put it first too.
    # "" for a catalogue of ties between any places (the benchmark corpus is one).
    home_country: str = "ID"


class ConfigError(ValueError):
    """A setting that cannot be used, as a Problem in catalogue.toml."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _problem(message: str) -> ConfigError:
    return ConfigError(Problem(FILE, 0, "", message))


def load_config(root: Path, **overrides) -> Config:
    """catalogue.toml under root (if any), then overrides from the command line."""
    file = root / FILE
    text = read_text(file, root) if os.path.lexists(file) else ""
    if isinstance(text, Problem):
        raise ConfigError(text)
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _problem(f'{err}; settings are written `name = "text"` or `name = 3`') from None
    known = {f.name for f in fields(Config)}
    for name, value in values.items():
        default = getattr(Config, name, None)
        if name in known and type(value) is not type(default):
            kind = "a whole number" if isinstance(default, int) else "text in quotes"
            raise _problem(f"{name} = {_shown(value)} must be {kind}, like the default {name} = {default!r}")
    unknown = sorted(set(values) - known)
    if unknown:
        raise _problem(f"unknown setting {', '.join(unknown)}; known settings: {', '.join(sorted(known))}")
    config = replace(Config(), **{**values, **{k: v for k, v in overrides.items() if v is not None}})
    for name, (low, high) in BOUNDS.items():
        value = getattr(config, name)
        if not low <= value <= high:
            raise _problem(f"{name} = {_shown(value)} must be a whole number from {low} to {high}")
    for name in ("title", "tagline", "base_url", "repository", "tiles"):
        value = getattr(config, name)
        if len(value) > MAX_TEXT_CHARS:
            raise _problem(f"{name} is {len(value):,} characters long; at most {MAX_TEXT_CHARS:,} are allowed")
        if control_character(value) or "\n" in value or "\r" in value:
            raise _problem(
                f"{name} = {value[:40]!r} contains a line break or control character; write it on one line, without control characters"
            )
    if config.base_url and not (config.base_url.startswith(("https://", "http://")) and config.base_url.endswith("/")):
        raise _problem(
            f"base_url = {config.base_url!r} must be an http(s) address ending in '/', e.g. https://example.org/catalogue/"
        )
    if config.repository and not config.repository.startswith(("https://", "http://")):
        raise _problem(
            f"repository = {config.repository!r} must be an http(s) address, e.g. https://github.com/owner/repo"
        )
    if config.home_country and not is_country(config.home_country):
        raise _problem(
            f'home_country = {config.home_country!r} is not an ISO 3166-1 alpha-2 country code; write e.g. home_country = "ID", or "" for none'
        )
    if config.tiles not in TILES:
        raise _problem(f"tiles = {config.tiles!r} is not one of: {', '.join(TILES)}")
    return config


def _shown(value) -> str:
    """A value as the contributor wrote it, cut short: a 10**30 stays readable."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
