"""'Report a correction' links: the repository's issue form, with the page's parties filled in.

GitHub issue forms take a field's value from the URL's query, keyed by the field's id
(.github/ISSUE_TEMPLATE/report-agreement.yml), so a reader starts from what the page says.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from . import countries
from .model import Entry, Place

ISSUE_FORM = "report-agreement.yml"
TITLE = "[Perjanjian / Agreement]: "  # the form's own title prefix


def issue_url(repository: str, title: str, fields: dict[str, str]) -> str:
    """The issue form of repository, titled and with the given fields filled in."""
    query = {"template": ISSUE_FORM, "title": TITLE + title, **{k: v for k, v in fields.items() if v}}
    return f"{repository.rstrip('/')}/issues/new?{urlencode(query, quote_via=quote)}"


def _written(place: Place) -> str:
    return f"{place.name}, {place.region}" if place.region else place.name


def agreement_report(repository: str, entry: Entry, page: str) -> str:
    """For an agreement page: both parties, the partner's country, and which page is wrong."""
    home, partner = entry.places
    return issue_url(
        repository,
        f"{home.name} – {partner.name}",
        {
            "place-indonesia": _written(home),
            "place-partner": _written(partner),
            "country-partner": countries.name(partner.country),
            "details": f"Correction to {page}\n\n",
        },
    )


def place_report(repository: str, place: Place, home_country: str, page: str) -> str:
    """For a place page: the place on its side of the form (home or partner), and the page."""
    side = (
        {"place-indonesia": _written(place)}
        if place.country == home_country
        else {"place-partner": _written(place), "country-partner": countries.name(place.country)}
    )
    return issue_url(repository, place.name, {**side, "details": f"Correction to {page}\n\n"})
