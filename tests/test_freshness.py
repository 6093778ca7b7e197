"""Freshness: stale statuses at the year boundary, unknown dates, lapsed and renewed documents, the lists."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from bs4 import BeautifulSoup

from catalogue.freshness import (
    Freshness,
    expired_entries,
    freshness,
    newest_as_of,
    stale_entries,
    unconfirmed_entries,
)
from catalogue.index import build_index
from catalogue.model import Document, PartialDate
from catalogue.site import check
from test_cite import partial
from test_stats import real_agreements  # noqa: F401 (a fixture)

P = PartialDate
RULE = "To be renewed in the last six months before it ends."


@pytest.fixture
def entries(project):
    return {e.agreement.slug: e for e in check(project).catalogue.entries}


@pytest.fixture
def xian(entries):
    return entries["surakarta-xian"]  # stalled, as_of 2017, an LoI of 2015-09-25 with no term


def with_agreement(entry, **changes):
    return dataclasses.replace(entry, agreement=dataclasses.replace(entry.agreement, **changes))


def loi(**fields):
    return Document(type="loi", **fields)


@pytest.mark.parametrize(
    "reference, stale",
    [
        (P(2020), False),  # three years after 2017: not more than three
        (P(2020, 12, 31), False),
        (P(2021), True),
        (P(2021, 1, 1), True),
        (datetime.date(2021, 1, 1), True),
        (datetime.date(2020, 12, 31), False),
        (P(2017), False),
        (P(2010), False),  # a reference before the observation: nothing is old
    ],
)
def test_stale_after_three_whole_years(xian, reference, stale):
    result = freshness(xian, reference, 3)
    assert result.stale is stale
    assert result.last_confirmed == 2017
    assert result.unconfirmed is False


def test_the_number_of_years_is_a_setting(xian):
    assert freshness(xian, P(2019), 1).stale is True
    assert freshness(xian, P(2019), 2).stale is False
    assert freshness(xian, P(2021)).stale is True  # default 3


def test_unknown_as_of_is_unconfirmed_not_stale(entries):
    result = freshness(entries["jawa-barat-penang"], P(2030), 3)
    assert (result.stale, result.unconfirmed, result.last_confirmed) == (False, True, None)
    assert result.noteworthy


def test_an_ended_tie_is_neither_stale_nor_lapsed(entries):
    ended = with_agreement(entries["sragen-usaid"], documents=(loi(signed=P(2013), term_years=2),))
    result = freshness(ended, P(2030), 3)
    assert (result.stale, result.unconfirmed, result.expired_documents) == (False, False, ())
    assert result.last_confirmed == 2017
    assert not result.noteworthy


def test_no_reference_judges_nothing(xian):
    entry = with_agreement(xian, documents=(loi(signed=P(2000), term_years=1),))
    assert freshness(entry, None, 3) == Freshness(2017, False, False, (), 3)


@pytest.mark.parametrize(
    "signed, reference, lapsed",
    [
        (P(2016, 11), P(2021), False),  # runs out in 2021-11: not wholly before 2021
        (P(2016, 11), P(2021, 11), False),
        (P(2016, 11), P(2021, 11, 30), False),
        (P(2016, 11), P(2021, 12), True),
        (P(2016, 11), P(2022), True),
        (P(2016, 11, 15), P(2021, 11, 14), False),
        (P(2016, 11, 15), P(2021, 11, 15), False),
        (P(2016, 11, 15), P(2021, 11, 16), True),
        (P(2016, 11, 15), datetime.date(2021, 11, 16), True),
        (P(2016), P(2021, 12, 31), False),  # signed some time in 2016: may run to the end of 2021
        (P(2016), P(2022, 1, 1), True),
    ],
)
def test_a_term_runs_out_only_when_it_certainly_has(xian, signed, reference, lapsed):
    document = loi(signed=signed, term_years=5, renewal=RULE)
    result = freshness(with_agreement(xian, documents=(document,)), reference, 3)
    assert bool(result.expired_documents) is lapsed
    if lapsed:
        assert result.expired_documents[0].document is document
        assert result.expired_documents[0].ran_out.year == 2021
        assert result.expired_since == 2021


def test_a_renewal_rule_is_not_a_recorded_renewal(xian):
    entry = with_agreement(xian, documents=(loi(signed=P(2016, 11), term_years=5, renewal=RULE),))
    assert freshness(entry, P(2025), 3).expired_since == 2021


def test_a_recorded_renewal_restarts_the_term(xian):
    renewed = Document(type="loi", signed=P(2016, 11), term_years=5, renewal=RULE, renewed=P(2021, 6))
    entry = with_agreement(xian, documents=(renewed,))
    assert freshness(entry, P(2025), 3).expired_documents == ()
    lapsed = freshness(entry, P(2027), 3).expired_documents
    assert [d.ran_out for d in lapsed] == [P(2026, 6)]


def test_documents_without_a_term_or_date_and_drafts_never_lapse(xian):
    documents = (
        loi(signed=P(2000)),
        loi(term_years=1),
        Document(type="draft", signed=P(2000), term_years=1),
    )
    assert freshness(with_agreement(xian, documents=documents), P(2030), 3).expired_documents == ()


def test_lapsed_documents_oldest_first(xian):
    later, earlier = loi(signed=P(2012), term_years=5), Document(type="mou", signed=P(2010), term_years=3)
    result = freshness(with_agreement(xian, documents=(later, earlier)), P(2030), 3)
    assert [d.document for d in result.expired_documents] == [earlier, later]
    assert result.expired_since == 2013


def test_the_lists_are_sorted_oldest_first(entries):
    xian = entries["surakarta-xian"]
    made = [
        with_agreement(xian, slug="b-2015", as_of=P(2015), documents=(loi(signed=P(2010), term_years=5),)),
        with_agreement(xian, slug="a-2017", as_of=P(2017), documents=(loi(signed=P(2008), term_years=2),)),
        with_agreement(xian, slug="c-2015-03", as_of=P(2015, 3)),
        with_agreement(xian, slug="d-fresh", as_of=P(2024), documents=(loi(signed=P(2024), term_years=5),)),
        entries["jawa-barat-penang"],  # as_of unknown
        entries["sragen-usaid"],  # ended
    ]
    catalogue = build_index(made)
    assert [e.agreement.slug for e in stale_entries(catalogue, P(2025), 3)] == ["b-2015", "c-2015-03", "a-2017"]
    assert [e.agreement.slug for e in expired_entries(catalogue, P(2025))] == ["a-2017", "b-2015"]
    assert [e.agreement.slug for e in unconfirmed_entries(catalogue)] == ["jawa-barat-penang"]
    assert newest_as_of(catalogue) == P(2024)


def test_the_real_catalogue(real_agreements):
    """Bogor–Kisarazu's LoI (2016-11, five years, a renewal rule only) is the one lapsed document."""
    lapsed = expired_entries(real_agreements, P(2025))
    assert [e.agreement.slug for e in lapsed] == ["bogor-kisarazu"]
    assert freshness(lapsed[0], P(2025), 3).expired_since == 2021


def test_the_note_reads_as_information(xian):
    entry = with_agreement(xian, documents=(loi(title="Letter <b>of</b> Intent", signed=P(2015), term_years=1),))
    html = partial("freshness_note.html", freshness=freshness(entry, P(2021), 3))
    text = " ".join(BeautifulSoup(html, "html.parser").get_text().split())
    assert "Last confirmed 2017." in text
    assert "The term of “Letter <b>of</b> Intent” (1 year) ran out in 2016; no renewal is recorded." in text
    assert "<b>" not in html  # the title is escaped
    assert 'role="alert"' not in html
    untitled = with_agreement(xian, documents=(loi(signed=P(2015), term_years=2),))
    html = partial("freshness_note.html", freshness=freshness(untitled, P(2019), 3))
    assert "A document's term (2 years) ran out in 2017; no renewal is recorded." in html.replace("&#39;", "'")
    assert "Last confirmed" not in html
    assert partial("freshness_note.html", freshness=freshness(xian, P(2018), 3)).strip() == ""
