"""The dated record of a tie: observations set the status and as_of; the check refuses what they do not support.

Fixture catalogues only (the shared fixture site plus entries written here), never live counts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogue.model import PartialDate
from catalogue.problems import CatalogueError
from catalogue.site import check
from conftest import FIXTURES, make_project, observed_entry

INVALID = FIXTURES / "invalid_evidence"

EXPECTED = {
    "active_without_activity.md": [
        "content/agreements/active-without-activity.md:11: status: 'active' needs an observation that reports "
        "activity (kind: activity or renewed); "
        "the newest (1990-04, signed) gives 'not-reported': remove 'status' and let the observations set it, or add "
        "the observation that shows activity",
    ],
    "as_of_contradicts_observations.md": [
        "content/agreements/as-of-contradicts-observations.md:11: as_of: '2015' is not the date of the newest "
        "observation (1990-04); remove 'as_of' (the observations set it)",
    ],
    "observation_kind_unknown.md": [
        "content/agreements/observation-kind-unknown.md:13: observations.0.kind: 'sign' is not one of: signed, "
        "mentioned, activity, renewed, exploring, reported-stalled, ended (did you mean 'signed'?)",
    ],
    "observation_source_unknown.md": [
        "content/agreements/observation-source-unknown.md:14: observations.0.source: 'P004' is not the key of one of "
        "this entry's sources (P040); add 'key: P004' to the source it means, or use one of those",
    ],
    "observation_without_date.md": [
        "content/agreements/observation-without-date.md:12: observations.0: missing required field 'date': When it "
        "happened or held, as the source dates it: 1990-04, 2017; or 'unknown' when the source gives no date.",
    ],
    "observations_not_a_list.md": [
        "content/agreements/observations-not-a-list.md:11: observations: must be a list of observations, each "
        "starting with '- ' and giving date, kind and source",
    ],
    "source_key_twice.md": [
        "content/agreements/source-key-twice.md:19: sources.1.key: 'P004' is already the key of source 1; give each "
        "source its own key",
    ],
    "status_contradicts_observations.md": [
        "content/agreements/status-contradicts-observations.md:11: status: 'stalled' contradicts the observations: "
        "the newest (2015, activity) gives 'active'; remove 'status' (the observations set it) or add the newer "
        "observation",
    ],
}


def problems(project) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        check(project)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("fixture", sorted(INVALID.glob("*.md")), ids=lambda f: f.name)
def test_each_invalid_fixture_gives_exactly_its_messages(tmp_path, fixture):
    assert fixture.name in EXPECTED, f"{fixture.name} has no expected message; add it to EXPECTED"
    project = make_project(tmp_path)
    shutil.copy(fixture, project.agreements / fixture.name.replace("_", "-"))
    assert problems(project) == EXPECTED[fixture.name]


def agreement(tmp_path: Path, observations: str, extra: str = ""):
    project = make_project(tmp_path)
    (project.agreements / "bandung-fort-worth.md").write_text(
        observed_entry(observations, extra=extra), encoding="utf-8"
    )
    entries = {e.agreement.slug: e.agreement for e in check(project).catalogue.entries}
    return entries["bandung-fort-worth"]


def test_the_newest_observation_sets_status_and_as_of(tmp_path):
    a = agreement(
        tmp_path,
        """\
  - {date: 2015, kind: activity, source: P004}
  - {date: 1990-04, kind: signed, source: P004}
  - {date: 2017, kind: reported-stalled, source: P000}
""",
    )
    assert (a.status, a.as_of) == ("stalled", PartialDate(2017))
    assert [o.kind for o in a.timeline] == ["signed", "activity", "reported-stalled"]
    assert a.last_activity.date == PartialDate(2015)


def test_a_signing_alone_is_not_reported_and_has_no_activity(tmp_path):
    a = agreement(tmp_path, "  - {date: 1990-04, kind: signed, source: P004}\n")
    assert (a.status, a.as_of, a.last_activity) == ("not-reported", PartialDate(1990, 4), None)


def test_same_date_the_later_line_wins_and_undated_count_as_oldest(tmp_path):
    a = agreement(
        tmp_path,
        """\
  - {date: 2017, kind: activity, source: P000}
  - {date: unknown, kind: ended, source: P004}
  - {date: 2017, kind: ended, source: P000}
""",
    )
    assert (a.status, a.as_of) == ("ended", PartialDate(2017))
    assert [o.date for o in a.timeline] == [None, PartialDate(2017), PartialDate(2017)]


def test_only_undated_observations_give_an_unknown_as_of(tmp_path):
    a = agreement(tmp_path, "  - {date: unknown, kind: mentioned, source: P004}\n")
    assert (a.status, a.as_of) == ("not-reported", None)


def test_a_status_that_agrees_may_stay_written(tmp_path):
    a = agreement(tmp_path, "  - {date: 2015, kind: renewed, source: P004}\n", extra="status: active\nas_of: 2015\n")
    assert (a.status, a.as_of) == ("active", PartialDate(2015))


def test_an_entry_without_observations_keeps_its_written_status(tmp_path):
    project = make_project(tmp_path)
    entries = {e.agreement.slug: e.agreement for e in check(project).catalogue.entries}
    xian = entries["surakarta-xian"]  # the fixture's old-style entry: status and as_of written, no observations
    assert (xian.status, xian.as_of, xian.observations) == ("stalled", PartialDate(2017), ())


def test_past_versions_read_their_status_from_their_observations():
    from catalogue.evidence import written_status

    written = [
        {"date": "1990-04", "kind": "signed"},
        {"date": 2017, "kind": "reported-stalled"},
        {"date": "unknown", "kind": "activity"},
        "garbage",
    ]
    assert written_status(written) == ("stalled", "2017")
    assert written_status([{"kind": "nonsense"}]) is None
