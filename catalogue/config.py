"""Site settings from catalogue.toml: the few things that differ between deployments."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

TILES = ("openstreetmap", "none")


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


def load_config(root: Path, **overrides) -> Config:
    """catalogue.toml under root (if any), then overrides from the command line."""
    file = root / "catalogue.toml"
    try:
        values = tomllib.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{file.name}: {err}; settings are written `name = \"text\"` or `name = 3`") from None
    known = {f.name for f in fields(Config)}
    for name, value in values.items():
        default = getattr(Config, name, None)
        if name in known and type(value) is not type(default):
            kind = "a whole number" if isinstance(default, int) else "text in quotes"
            raise ValueError(f"{file.name}: {name} = {value!r} must be {kind}, like the default {name} = {default!r}")
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"{file}: unknown setting {', '.join(unknown)}; known settings: {', '.join(sorted(known))}")
    config = replace(Config(), **{**values, **{k: v for k, v in overrides.items() if v is not None}})
    if config.base_url and not (config.base_url.startswith(("https://", "http://")) and config.base_url.endswith("/")):
        raise ValueError(f"base_url = {config.base_url!r} must be an http(s) address ending in '/', e.g. https://example.org/catalogue/")
    if config.repository and not config.repository.startswith(("https://", "http://")):
        raise ValueError(f"repository = {config.repository!r} must be an http(s) address, e.g. https://github.com/owner/repo")
    if config.tiles not in TILES:
        raise ValueError(f"tiles = {config.tiles!r} is not one of: {', '.join(TILES)}")
    return config
