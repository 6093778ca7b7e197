"""A tie's list row (catalogue/rows.py): the same words as its own page's view, every value escaped, made once."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from catalogue.config import load_config
from catalogue.i18n import table
from catalogue.model import PartialDate
from catalogue.render import escaped_gettext
from catalogue.rows import Rows
from catalogue.site import Project, check
from catalogue.views import entry_view
from conftest import CORPUS


@pytest.fixture(scope="module")
def corpus():
    return check(Project(CORPUS), config=load_config(CORPUS)).catalogue


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_rows_words_are_those_of_the_ties_view(corpus, lang):
    # A reference date that makes some ties stale, so the badge's words differ between ties.
    reference = PartialDate(2022)
    language = next(language for language in table() if language == lang)
    rows = Rows({e.agreement.slug: e for e in corpus.entries}, lang, escaped_gettext(language)[0], reference, 5)
    stale = 0
    for entry in corpus.entries:
        view, row = entry_view(entry, lang, reference, 5), rows.record(entry.agreement.slug)
        assert (row.title, row.url, row.status, row.kind_key, row.kind) == (
            view.title,
            view.url,
            view.status,
            view.kind_key,
            view.kind.text,
        )
        assert (row.since, row.as_of, row.sector_keys, row.countries) == (
            view.since,
            view.as_of,
            view.sector_keys,
            view.countries,
        )
        assert row.sectors == tuple(s.text for s in view.sectors)
        assert row.country_names == (view.parties[0].country.text, view.parties[1].country.text)
        assert (row.badge_text, row.stale) == (view.badge_text, view.stale)
        stale += row.stale
    assert 0 < stale < len(corpus.entries)


def test_a_rows_markup_is_made_once_per_root_and_differs_only_in_its_links(corpus):
    language = next(language for language in table() if language == "en")
    rows = Rows({e.agreement.slug: e for e in corpus.entries}, "en", escaped_gettext(language)[0])
    slug = corpus.entries[0].agreement.slug
    near, deep = rows.markup(slug, "../"), rows.markup(slug, "../../")
    assert isinstance(near, Markup) and rows.markup(slug, "../") is near  # kept, not made again
    assert near != deep and str(deep) == str(near).replace('href="../', 'href="../../')
    assert near.startswith("<li><a ")  # no keys: a page of a long list filters from its data file
    keyed = rows.markup(slug, "../", keys=True)
    status = corpus.entries[0].agreement.status
    assert (
        keyed.startswith(f'<li data-f="{status}|')
        and str(keyed).replace(keyed[: keyed.index("><a") + 1], "<li>") == near
    )
