"""Feeds announce observations: one Atom entry per dated observation, dated by it, with an id that holds.

A fixture catalogue (the shared fixture site plus one entry written here), never live content.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from catalogue.config import Config
from catalogue.feeds import TAG, feed_pages
from catalogue.dates import Dates
from catalogue.site import check
from conftest import make_project, observed_entry

ATOM = "{http://www.w3.org/2005/Atom}"
OBSERVATIONS = (
    "  - {date: 1990-04, kind: signed, source: P004, note: Signed by both mayors.}\n"
    "  - {date: 2024-05, kind: activity, source: P000, sector: culture, note: A dance festival.}\n"
    "  - {date: unknown, kind: mentioned, source: P000}\n"
)
BASE = TAG + "agreements/bandung-fort-worth/observations/"


def feeds(tmp_path, observations: str = OBSERVATIONS) -> dict[str, ET.Element]:
    project = make_project(tmp_path)
    (project.agreements / "bandung-fort-worth.md").write_text(observed_entry(observations), encoding="utf-8")
    pages = feed_pages(check(project).catalogue, Dates(), Config())
    return {p.path: ET.fromstring(p.content) for p in pages}


def items(root: ET.Element) -> dict[str, ET.Element]:
    return {e.findtext(f"{ATOM}id"): e for e in root.findall(f"{ATOM}entry")}


def test_each_dated_observation_is_an_entry_dated_by_it(tmp_path):
    root = feeds(tmp_path)["en/feed.xml"]
    found = items(root)
    activity = found[TAG + "en/agreements/bandung-fort-worth/observations/2024-05/activity/P000/culture"]
    signed = found[TAG + "en/agreements/bandung-fort-worth/observations/1990-04/signed/P004"]
    assert activity.findtext(f"{ATOM}updated") == "2024-05-01T00:00:00Z"
    assert activity.find(f"{ATOM}published") is None  # the same moment: Atom takes <updated> for it
    assert signed.findtext(f"{ATOM}updated") == "1990-04-01T00:00:00Z"
    assert activity.findtext(f"{ATOM}title") == "Bandung – Fort Worth: Activity (May 2024)"
    text = activity.findtext(f"{ATOM}content")
    assert "A dance festival." in text
    assert "Source: [Untitled article on regional cooperation]" in text  # a supplied title is not quoted
    assert activity.find(f"{ATOM}category").get("term") == "activity"
    assert activity.find(f"{ATOM}link").get("href") == "agreements/bandung-fort-worth.html#record"
    # The undated observation says nothing of when it was new: no entry.
    assert not [i for i in found if "/unknown/" in i or "/undated/" in i or "/mentioned/" in i]
    # The feed is newest first over agreements and observations alike, and dated by its newest item.
    times = [e.findtext(f"{ATOM}updated") for e in root.findall(f"{ATOM}entry")]
    assert times == sorted(times, reverse=True)
    assert root.findtext(f"{ATOM}updated") == times[0]


def test_both_places_and_both_languages_announce_it(tmp_path):
    files = feeds(tmp_path)
    for path, prefix in (("places/id/bandung.xml", ""), ("places/us/fort-worth.xml", ""), ("feed.xml", "")):
        assert TAG + prefix + "agreements/bandung-fort-worth/observations/1990-04/signed/P004" in items(files[path])
    indonesian = items(files["feed.xml"])[BASE + "2024-05/activity/P000/culture"]
    assert indonesian.findtext(f"{ATOM}title").startswith("Bandung – Fort Worth: Kegiatan")
    assert "Sumber: [Untitled article" in indonesian.findtext(f"{ATOM}content")
    # Ties of other places do not appear in a place's feed.
    assert not any("bandung-fort-worth" in i for i in items(files["places/cn/xian.xml"]))


def test_ids_hold_when_the_record_is_reordered_or_a_note_edited(tmp_path):
    before = set(items(feeds(tmp_path / "a")["feed.xml"]))
    lines = OBSERVATIONS.splitlines(keepends=True)
    edited = (lines[1] + lines[2] + lines[0]).replace("A dance festival.", "A dance festival in Fort Worth.")
    assert set(items(feeds(tmp_path / "b", edited)["feed.xml"])) == before


def test_alike_observations_are_told_apart(tmp_path):
    twice = "  - {date: 2019, kind: activity, source: P004}\n" * 2
    found = items(feeds(tmp_path, twice)["feed.xml"])
    assert {BASE + "2019/activity/P004", BASE + "2019/activity/P004/2"} <= set(found)
