"""Site settings from catalogue.toml: the few things that differ between deployments."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from babel.localedata import locale_identifiers

from .files import read_text
from .limits import MAX_RECENT, MAX_STALE_AFTER_YEARS, MAX_TEXT_CHARS, control_character
from .problems import Problem, did_you_mean
from .countries import is_country
from .i18n import DEFAULT_LANGUAGES, SOURCE, N_, catalogue_path, known_language

TILES = ("openstreetmap", "none")
FILE = "catalogue.toml"
# Whole-number settings and their ranges: a negative count or a 30-digit year would crash the build.
BOUNDS = {"recent": (0, MAX_RECENT), "stale_after_years": (1, MAX_STALE_AFTER_YEARS)}


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
    # The languages the site is built in, as ISO 639 codes: the first at the site root, each other
    # under <code>/. A language other than English needs a gettext catalogue (catalogue/i18n.py).
    languages: tuple[str, ...] = DEFAULT_LANGUAGES


class ConfigError(ValueError):
    """A setting that cannot be used, as a Problem in catalogue.toml."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _problem(message: str) -> ConfigError:
    return ConfigError(Problem(FILE, 0, "", message))


def load_config(root: Path, **overrides: str | None) -> Config:
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
    if "languages" in values:
        values["languages"] = _languages(values["languages"], root)
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
                f"{name} = {value[:40]!r} contains a line break or control character; write it on one line, without "
                "control characters"
            )
    if config.base_url and not (config.base_url.startswith(("https://", "http://")) and config.base_url.endswith("/")):
        raise _problem(
            f"base_url = {config.base_url!r} must be an http(s) address ending in '/', e.g. "
            "https://example.org/catalogue/"
        )
    if config.repository and not config.repository.startswith(("https://", "http://")):
        raise _problem(
            f"repository = {config.repository!r} must be an http(s) address, e.g. https://github.com/owner/repo"
        )
    if config.home_country and not is_country(config.home_country):
        raise _problem(
            f"home_country = {config.home_country!r} is not an ISO 3166-1 alpha-2 country code; write e.g. "
            'home_country = "ID", or "" for none'
        )
    if config.tiles not in TILES:
        raise _problem(f"tiles = {config.tiles!r} is not one of: {', '.join(TILES)}")
    return config


def _languages(value: object, root: Path) -> tuple[str, ...]:
    """The `languages` setting: a list of distinct language codes CLDR knows, each but English with a catalogue."""
    example = 'languages = ["id", "en"]'
    if not isinstance(value, list) or not value or not all(isinstance(code, str) for code in value):
        raise _problem(f"languages = {_shown(value)} must be a list of language codes, like the default {example}")
    for code in value:
        if not known_language(code) or code != code.strip() or "/" in code:
            hint = did_you_mean(code.replace("-", "_"), locale_identifiers())
            raise _problem(
                f"languages: {code!r} is not a language code CLDR knows{hint}; write ISO 639 codes, like {example}"
            )
    repeated = sorted({code for code in value if value.count(code) > 1})
    if repeated:
        raise _problem(f"languages lists {', '.join(repeated)} more than once; write each language once")
    for code in value:
        if code != SOURCE and catalogue_path(code, locale_folders(root)) is None:
            raise _problem(
                f"languages: {code!r} has no translation catalogue; add "
                f"catalogue/locale/{code}/LC_MESSAGES/messages.po "
                f"(or locale/{code}/... in the catalogue's folder; start from catalogue/locale/messages.pot: pybabel "
                f"init -i catalogue/locale/messages.pot -d catalogue/locale -l {code})"
            )
    return tuple(value)


def locale_folders(root: Path) -> tuple[Path, ...]:
    """Where a catalogue's own gettext catalogues live (beside the package's, and before them)."""
    own = root / "locale"
    return (own,) if own.is_dir() else ()


def _shown(value: object) -> str:
    """A value as the contributor wrote it, cut short: a 10**30 stays readable."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
