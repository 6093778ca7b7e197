"""'Report a correction': every agreement and place page links to the issue form with the page's
parties filled in, when a repository is set; without one the link is absent, not broken."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from catalogue.config import Config
from catalogue.site import build, check
from catalogue import urls
from conftest import REPO, make_project, parse

REPOSITORY = "https://github.com/example/sister-cities"
FORM = REPO / ".github" / "ISSUE_TEMPLATE" / "report-agreement.yml"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("report"))
    hostile = (
        (project.agreements / "surakarta-xian.md")
        .read_text(encoding="utf-8")
        .replace("region: Jawa Tengah", 'region: "Jawa & <b>Tengah</b>"')
    )
    (project.agreements / "surakarta-xian.md").write_text(hostile, encoding="utf-8")
    with_repo, without = project.root / "with", project.root / "without"
    build(project, with_repo, Config(tiles="none", repository=REPOSITORY, base_url="https://example.org/c/"))
    build(project, without, Config(tiles="none"))
    return check(project).catalogue, with_repo, without


def report_query(page) -> dict[str, str]:
    links = parse(page).select("a.report")
    assert len(links) == 1, page
    parts = urlsplit(links[0]["href"])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == REPOSITORY + "/issues/new"
    return {key: values[0] for key, values in parse_qs(parts.query).items()}


def test_every_agreement_page_reports_its_two_parties(sites):
    catalogue, site, _ = sites
    for lang in ("", "en/"):
        for entry in catalogue.entries:
            query = report_query(site / lang / entry.url)
            home, partner = entry.places
            assert query["template"] == "report-agreement.yml"
            assert query["place-indonesia"] == (f"{home.name}, {home.region}" if home.region else home.name)
            assert query["place-partner"].startswith(partner.name)
            assert query["title"] == f"[Perjanjian / Agreement]: {home.name} – {partner.name}"
            assert query["details"].startswith(f"Correction to https://example.org/c/{lang}{entry.url}")


def test_every_place_page_reports_its_place_on_its_side(sites):
    catalogue, site, _ = sites
    for key, group in catalogue.places.items():
        query = report_query(site / "en" / urls.place(key))
        side = "place-indonesia" if group.place.country == "ID" else "place-partner"
        assert query[side].startswith(group.place.name), key
        assert ("country-partner" in query) == (side == "place-partner")


def test_the_fields_filled_in_are_the_forms_own(sites):
    catalogue, site, _ = sites
    ids = {item.get("id") for item in yaml.safe_load(FORM.read_text(encoding="utf-8"))["body"]}
    used = set()
    for entry in catalogue.entries:
        used |= set(report_query(site / entry.url)) - {"template", "title"}
    assert used and used <= ids


def test_untrusted_text_stays_in_the_query(sites):
    catalogue, site, _ = sites
    query = report_query(site / "en/agreements/surakarta-xian.html")
    assert query["place-indonesia"] == "Surakarta, Jawa & <b>Tengah</b>"
    html = (site / "en/agreements/surakarta-xian.html").read_text(encoding="utf-8")
    assert "<b>Tengah" not in html


def test_without_a_repository_there_is_no_link(sites):
    catalogue, _, site = sites
    for path in [*(e.url for e in catalogue.entries), *(urls.place(k) for k in catalogue.places)]:
        assert parse(site / "en" / path).select("a.report") == [], path
