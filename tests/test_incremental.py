"""Incremental builds give the same bytes as a full build of the same input, and leave what did not change untouched.

The property test makes seeded random edits to a fixture catalogue in git (a body, a status, a
rename with an alias, a deletion, a translation, places.yaml, a static page, a template, a
setting), rebuilding one site incrementally after each and comparing it, file by file, with a
full build of the same input into a fresh folder.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from catalogue import paging
from catalogue.config import Config
from catalogue.incremental import CACHE, MANIFEST, state_folder
from catalogue.problems import CatalogueError
from catalogue.site import Project, build
from catalogue.write import MARKER
from conftest import make_project
from test_history import Repo

SEED = 20261202
ROUNDS = 18


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: what 'untouched on disk' means."""
    return {
        p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def entries(project: Project) -> list[Path]:
    return sorted(p for p in project.agreements.glob("*.md") if "." not in p.stem)


def edit_body(project: Project, rng: random.Random) -> str:
    file = rng.choice(entries(project))
    file.write_text(file.read_text(encoding="utf-8") + f"\nOne more sentence, number {rng.randrange(1000)}.\n")
    return f"body of {file.name}"


def edit_status(project: Project, rng: random.Random) -> str:
    live = [f for f in entries(project) if re.search(r"^status: (active|stalled|exploratory)$", f.read_text(), re.M)]
    if not live:
        return edit_body(project, rng)
    file = rng.choice(live)
    now = re.search(r"^status: (\w+)$", file.read_text(), re.M)
    status = rng.choice([s for s in ["active", "stalled", "exploratory"] if now is None or s != now[1]])
    file.write_text(re.sub(r"^status: \w+$", f"status: {status}", file.read_text(), count=1, flags=re.M))
    return f"status of {file.name} → {status}"


def rename(project: Project, rng: random.Random) -> str:
    file = rng.choice(entries(project))
    text = file.read_text(encoding="utf-8")
    new = file.with_name(f"{file.stem}-{rng.randrange(100)}.md")
    if new.exists() or "aliases:" in text:
        return edit_body(project, rng)
    text = text.replace("\nkind:", f"\naliases: [{file.stem}]\nkind:", 1)
    new.write_text(text, encoding="utf-8")
    file.unlink()
    for translation in project.agreements.glob(f"{file.stem}.*.md"):
        translation.rename(translation.with_name(f"{new.stem}.{translation.name.split('.')[-2]}.md"))
    return f"renamed {file.name} → {new.name}"


def delete(project: Project, rng: random.Random) -> str:
    files = entries(project)
    if len(files) < 3:
        return edit_body(project, rng)
    file = rng.choice(files)
    file.unlink()
    for translation in project.agreements.glob(f"{file.stem}.*.md"):
        translation.unlink()
    return f"deleted {file.name}"


def translate(project: Project, rng: random.Random) -> str:
    file = rng.choice(entries(project))
    lang = "id"  # the fixture's entries are written in English: a translation into it would be refused
    target = file.with_name(f"{file.stem}.{lang}.md")
    target.write_text(f"Terjemahan {rng.randrange(1000)} dari isi entri.\n", encoding="utf-8")
    return f"translation {target.name}"


def places(project: Project, rng: random.Random) -> str:
    text = project.places.read_text(encoding="utf-8")
    lat = round(rng.uniform(5.0, 5.8), 4)
    project.places.write_text(re.sub(r"Penang: \[[\d.]+,", f"Penang: [{lat},", text), encoding="utf-8")
    return f"places.yaml: Penang at {lat}"


def static_page(project: Project, rng: random.Random) -> str:
    page = project.pages / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nMore about it ({rng.randrange(1000)}).\n")
    return "about.md"


def template(project: Project, rng: random.Random) -> str:
    file = project.root / "templates" / "home.html"
    file.write_text(
        file.read_text(encoding="utf-8") + f"{{# edited {rng.randrange(1000)} #}}\n<!-- {rng.randrange(9)} -->\n"
    )
    return "templates/home.html"


PARTNERS = [("Nara", "JP", 34.685, 135.805), ("Lyon", "FR", 45.764, 4.836), ("Cebu City", "PH", 10.316, 123.885)]


def add_entry(project: Project, rng: random.Random) -> str:
    """A new tie of a place in an area that has ties of its own (Bandung in Jawa Barat): the area's
    ties show on the place's page, a new partner country on every list's filters."""
    name, country, lat, lon = rng.choice(PARTNERS)
    stem = f"bandung-{name.lower().replace(' ', '-')}"
    file = project.agreements / f"{stem}-{rng.randrange(100)}.md"
    if any(project.agreements.glob(f"{stem}-*.md")):  # a tie entered twice is refused
        return edit_body(project, rng)
    file.write_text(
        "---\nparties:\n  - name: Bandung\n    level: city\n    country: ID\n    region: Jawa Barat\n"
        f"    coordinates: [-6.917, 107.619]\n  - name: {name}\n    level: city\n    country: {country}\n"
        f"    coordinates: [{lat}, {lon}]\nkind: sister-city\nstatus: {rng.choice(['active', 'stalled'])}\n"
        f"as_of: {rng.randrange(2010, 2021)}\nsources:\n  - title: A paper on Bandung's ties\n---\nA new tie.\n",
        encoding="utf-8",
    )
    return f"added {file.name}"


def as_of(project: Project, rng: random.Random) -> str:
    """The year a status was observed: whether it is stale, and where freshness lists it."""
    file = rng.choice(entries(project))
    text = file.read_text(encoding="utf-8")
    if not re.search(r"^as_of: \d+$", text, re.M):
        return edit_status(project, rng)
    year = rng.choice([y for y in range(2012, 2021) if f"\nas_of: {y}\n" not in text])
    file.write_text(re.sub(r"^as_of: \d+$", f"as_of: {year}", text, count=1, flags=re.M), encoding="utf-8")
    return f"as_of of {file.name} → {year}"


def outside_content(project: Project, rng: random.Random) -> str:
    """A commit that touches no content: a new commit for git, the same entries' history and reference date."""
    (project.root / "NOTES.txt").write_text(f"note {rng.randrange(10**6)}\n", encoding="utf-8")
    return "NOTES.txt"


def setting(project: Project, rng: random.Random) -> str:
    file = project.root / "catalogue.toml"
    before = file.read_text(encoding="utf-8") if file.exists() else ""
    recent = rng.choice([n for n in range(1, 5) if f"recent = {n}\n" != before])
    file.write_text(f"recent = {recent}\n", encoding="utf-8")
    return "catalogue.toml"


def touch(project: Project, rng: random.Random) -> str:
    """A file written again with the same bytes (an editor's save with no change): a new time, the same text."""
    file = rng.choice(entries(project))
    file.write_bytes(file.read_bytes())
    (project.root / "TOUCHED.txt").write_text(f"{file.name} {rng.randrange(10**6)}\n", encoding="utf-8")  # to commit
    return f"touched {file.name}"


EDITS = [
    edit_body,
    touch,
    add_entry,
    edit_status,
    as_of,
    outside_content,
    rename,
    delete,
    translate,
    places,
    static_page,
    template,
    setting,
]


def full(project: Project, folder: Path, config: Config) -> dict[str, bytes]:
    shutil.rmtree(folder, ignore_errors=True)
    build(project, folder, config, search=False, incremental=False)
    return tree(folder)


def test_random_edits_build_incrementally_to_the_bytes_of_a_full_build(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # Two agreements a page, so lists have later pages, each kept or made by what it shows (inputs.py listpage).
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    project = make_project(tmp_path)
    repo = Repo(project.root)
    repo.commit("2020-01-01T00:00:00Z")
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    config = Config(tiles="none", base_url="https://example.org/")
    rng = random.Random(SEED)
    build(project, site, config, search=False)
    done = []
    for day in range(1, ROUNDS + 1):
        edit = EDITS[(day - 1) % len(EDITS)] if day <= len(EDITS) else rng.choice(EDITS)  # each kind at least once
        done.append(edit(project, rng))
        repo.commit(f"2021-01-{day:02d}T00:00:00Z", done[-1])
        from catalogue.config import load_config

        config = load_config(project.root, tiles="none", base_url="https://example.org/")
        try:
            expected = full(project, fresh, config)
        except CatalogueError as err:  # an edit the check refuses: the incremental build must refuse it too
            with pytest.raises(CatalogueError):
                build(project, site, config, search=False)
            pytest.fail(f"edit {done[-1]!r} made an invalid catalogue: {err}")
        build(project, site, config, search=False)
        got = tree(site)
        assert got.keys() == expected.keys(), done
        different = [path for path in got if got[path] != expected[path]]
        assert different == [], f"after {done}: {different[:5]}"
        before = stamps(site)
        build(project, site, config, search=False)  # nothing changed since: the site is left as it is
        assert stamps(site) == before and tree(site) == expected


def test_a_rebuild_with_no_change_touches_no_file(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, Config(tiles="none"), search=False)
    before = stamps(site)
    build(project, site, Config(tiles="none"), search=False)
    after = stamps(site)
    rewritten = [p for p in before if p not in (MARKER, MANIFEST, CACHE) and before[p] != after.get(p)]
    assert rewritten == []
    assert after.keys() == before.keys()


def test_a_site_missing_a_file_or_another_source_date_is_built_again(project, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    build(project, site, Config(tiles="none"), search=False)
    expected = tree(site)
    (site / "statistics.html").unlink()
    build(project, site, Config(tiles="none"), search=False)
    assert tree(site) == expected
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030: every tie's status is old by then
    build(project, site, Config(tiles="none"), search=False)
    build(project, fresh, Config(tiles="none"), search=False, incremental=False)
    assert tree(site) != expected and tree(site) == tree(fresh)


def test_one_body_edit_rewrites_only_the_pages_that_show_it(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, Config(tiles="none"), search=False)
    before = stamps(site)
    file = project.agreements / "sragen-usaid.md"
    file.write_text(file.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    build(project, site, Config(tiles="none"), search=False)
    after = stamps(site)
    rewritten = {p for p in before if before[p] != after.get(p)} - {MARKER, MANIFEST, CACHE}
    assert {
        "agreements/sragen-usaid.html",
        "en/agreements/sragen-usaid.html",
        "agreements/sragen-usaid.json",
    } <= rewritten
    assert "assets/site.css" not in rewritten and "agreements/surakarta-xian.html" not in rewritten
    # Another entry's data file, map data and place feed read nothing of this one: left as they were.
    from catalogue import urls
    from catalogue.feeds import feed_path

    untouched = {urls.agreement_json("surakarta-xian"), urls.map_data(urls.place("cn/xian"))}
    untouched |= {feed_path("id", "cn/xian"), urls.map_data(urls.place("id/sragen"))}  # a body is not on a map
    assert untouched <= set(before) and not untouched & rewritten
    assert len(rewritten) < len(before) / 2


def test_a_changed_template_renders_every_page_again(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, Config(tiles="none"), search=False)
    before = stamps(site)
    base = project.root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body", "<body data-x", 1), encoding="utf-8")
    build(project, site, Config(tiles="none"), search=False)
    after = stamps(site)
    pages = [p for p in before if p.endswith(".html")]
    assert pages and all(before[p] != after[p] for p in pages)
    assert "data-x" in (site / "index.html").read_text(encoding="utf-8")


def test_a_broken_manifest_means_a_full_build(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, Config(tiles="none"), search=False)
    expected = tree(site)
    (state_folder(site) / MANIFEST).write_text("{not json", encoding="utf-8")
    (site / "index.html").write_text("stale", encoding="utf-8")  # the manifest cannot vouch for it any more
    build(project, site, Config(tiles="none"), search=False)
    assert tree(site) == expected


def test_the_search_index_is_kept_when_no_page_changed_and_made_again_when_one_did(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, Config(tiles="none"))
    index = {p: s for p, s in stamps(site).items() if p.startswith("pagefind/")}
    assert index
    build(project, site, Config(tiles="none"))
    assert {p: s for p, s in stamps(site).items() if p.startswith("pagefind/")} == index
    file = project.agreements / "sragen-usaid.md"
    file.write_text(file.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    build(project, site, Config(tiles="none"))
    again = {p: s for p, s in stamps(site).items() if p.startswith("pagefind/")}
    # The agreements' shard of each language is made again (search.py: a small catalogue's agreements are a shard
    # per language); the places' and the lists' bundles, whose pages search reads as before, are kept.
    made = {p for p in index if p.endswith("pagefind-entry.json") and again.get(p) != index[p]}
    assert made == {"pagefind/id-agreements/pagefind-entry.json", "pagefind/en-agreements/pagefind-entry.json"}
    assert again["pagefind/pagefind-entry.json"] == index["pagefind/pagefind-entry.json"]
    assert again["pagefind/id-places/pagefind-entry.json"] == index["pagefind/id-places/pagefind-entry.json"]


def test_the_parse_cache_parses_only_files_whose_text_changed(project, tmp_path):
    from catalogue.incremental import environment_digest
    from catalogue.parsecache import read_cache
    from catalogue.site import check

    site = tmp_path / "site"
    build(project, site, Config(tiles="none"), search=False)
    environment = environment_digest(project.templates, Config(tiles="none"), project.locales)
    cache = read_cache(state_folder(site), environment)
    first = check(project, config=Config(tiles="none"), cache=cache)
    assert (cache.hits, cache.misses) == (len(first.catalogue.entries), 0)
    file = project.agreements / "sragen-usaid.md"
    file.write_text(file.read_text(encoding="utf-8").replace("status: ended", "status: ended ").rstrip() + "\n")
    cache = read_cache(state_folder(site), environment)
    again = check(project, config=Config(tiles="none"), cache=cache)
    assert (cache.hits, cache.misses) == (len(first.catalogue.entries) - 1, 1)
    assert again.catalogue.entries == first.catalogue.entries  # from the cache, the same records as parsed
    state = state_folder(site)
    assert read_cache(state, "another environment").hits == 0 and not read_cache(state, "other")._entries_before


def test_a_tie_entered_twice_is_refused_by_a_rebuild_and_its_fix_builds_the_bytes_of_a_full_build(project, tmp_path):
    """The rules across files run over every record, kept or validated again: an unchanged file's record, kept from
    the last build, is still found twice when an edited one becomes the same tie, and refused no longer once fixed."""
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    build(project, site, Config(tiles="none"), search=False)
    first, second = entries(project)[:2]
    text = second.read_text(encoding="utf-8")
    parties = re.search(r"^parties:\n(?:  .*\n)+", first.read_text(encoding="utf-8"), re.M)
    kind = re.search(r"^kind: .*$", first.read_text(encoding="utf-8"), re.M)
    assert parties and kind
    twice = re.sub(r"^kind: .*$", kind[0], re.sub(r"^parties:\n(?:  .*\n)+", parties[0], text, flags=re.M), flags=re.M)
    second.write_text(twice, encoding="utf-8")
    for _ in range(2):  # the second time from the records the first kept (a failed build keeps none: the same)
        with pytest.raises(CatalogueError) as refused:
            build(project, site, Config(tiles="none"), search=False)
        assert [p.path for p in refused.value.problems if "already entered" in p.message] == [
            f"content/agreements/{second.name}"
        ]
    second.write_text(text, encoding="utf-8")  # fixed: the first file's record, unchanged throughout, is kept
    build(project, site, Config(tiles="none"), search=False)
    assert tree(site) == full(project, fresh, Config(tiles="none"))


def test_a_rebuild_the_check_refuses_leaves_no_new_folder_nor_lock_beside_the_site(project, tmp_path):
    """A rebuild begins its new folder (links to the old site's files) while it loads; refused, it is gone."""
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    build(project, site, Config(tiles="none"), search=False)
    expected = tree(site)
    file = entries(project)[0]
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("kind:", "kind: not-a-kind\nwhat:", 1), encoding="utf-8")
    with pytest.raises(CatalogueError):
        build(project, site, Config(tiles="none"), search=False)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == [".site-state"]
    assert tree(site) == expected
    file.write_text(text + "\nFixed.\n", encoding="utf-8")
    build(project, site, Config(tiles="none"), search=False)
    assert tree(site) == full(project, fresh, Config(tiles="none"))


def test_a_build_reads_each_entry_file_once(project, tmp_path, monkeypatch):
    """The source digest reads every content file; the parse cache takes an entry's bytes from it, not the disk."""
    from catalogue import files

    read = []
    original = files.Folder.read_bytes
    monkeypatch.setattr(files.Folder, "read_bytes", lambda self, file: read.append(file.name) or original(self, file))
    site = tmp_path / "site"
    for _ in range(2):  # a first build, then a rebuild of one edited entry
        build(project, site, Config(tiles="none"), search=False)
        edit_body(project, random.Random(5))
    assert read and not {f.name for f in entries(project)} & set(read)  # pages and translations are read as before


def test_a_warm_build_hands_back_what_the_next_would_read_of_its_site(project, tmp_path):
    """A long-lived process (catalogue serve) takes the manifest of the site it made from write_site, not the disk."""
    from catalogue.incremental import read_previous
    from catalogue.site import Warm

    site, warm = tmp_path / "site", Warm()
    for n in range(2):
        build(project, site, Config(tiles="none"), search=False, warm=warm)
        assert warm.previous is not None and warm.previous == read_previous(site.resolve(), warm.environment)
        edit_body(project, random.Random(n))


def snapshot_links(site: Path, into: Path) -> dict[str, bytes]:
    """A hard link to every file of site, in into, and each file's bytes now: a build that wrote through one of
    the site's links would change what these links show."""
    held = {}
    for path, content in tree(site).items():
        (into / path).parent.mkdir(parents=True, exist_ok=True)
        (into / path).hardlink_to(site / path)
        held[path] = content
    return held


def test_an_incremental_build_never_writes_into_the_old_sites_files(project, tmp_path):
    site, held = tmp_path / "site", tmp_path / "held"
    build(project, site, Config(tiles="none"), search=False)
    before = snapshot_links(site, held)
    edit_status(project, random.Random(1))  # rewrites that entry's pages, lists and data files
    build(project, site, Config(tiles="none"), search=False)
    after = tree(site)
    changed = [p for p in before if p in after and after[p] != before[p] and p != MARKER]
    assert len(changed) > 5
    assert tree(held) == before  # the old site's files, every byte as it was
    linked = [p for p in after if p in before and (site / p).stat().st_ino == (held / p).stat().st_ino]
    assert "assets/site.css" in linked and len(linked) > len(before) / 2  # what did not change is linked, not copied
    assert not set(changed) & set(linked)


def full_build_happened(site: Path, before: dict[str, tuple[int, int]]) -> bool:
    """Whether every file of the site is a new one (nothing linked from the site before)."""
    after = stamps(site)
    return all(after[p][0] != before[p][0] for p in before if p in after)


def rebuilt_after_an_edit(project: Project, site: Path, spoil) -> bool:
    """Build, spoil the state or the site, edit one body and build again: whether that was a full build."""
    build(project, site, Config(tiles="none"), search=False)
    spoil()
    before = stamps(site)
    edit_body(project, random.Random(2))
    build(project, site, Config(tiles="none"), search=False)
    return full_build_happened(site, before)


def test_the_state_is_kept_beside_the_site_and_names_its_generation(project, tmp_path):
    from catalogue.incremental import generation_of, marker_generation

    site = tmp_path / "site"
    assert not rebuilt_after_an_edit(project, site, lambda: None)  # as it should be: incremental
    assert not {MANIFEST, CACHE, ".catalogue-manifest.json", ".catalogue-cache.json"} & set(tree(site))
    manifest = (state_folder(site) / MANIFEST).read_bytes()
    generation = manifest.split(b"\n", 1)[0].split(b" ")[-1].decode()
    assert generation == generation_of(manifest.split(b"\n", 1)[1])
    assert marker_generation((site / MARKER).read_bytes()) == generation
    assert (state_folder(site) / CACHE).is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == [".site-state"]


def test_a_state_that_is_not_the_sites_means_a_full_build(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, Config(tiles="none"), search=False)
    older = (state_folder(site) / MANIFEST).read_bytes()
    edit_body(project, random.Random(3))

    def put_back_the_older_manifest():  # as a build killed between the swap and the state's rename leaves it
        (state_folder(site) / MANIFEST).write_bytes(older)

    assert rebuilt_after_an_edit(project, site, put_back_the_older_manifest)


@pytest.mark.parametrize("how", ["truncated", "another digest", "marker", "no manifest"])
def test_a_spoilt_state_means_a_full_build(project, tmp_path, how):
    site = tmp_path / "site"
    manifest = state_folder(site) / MANIFEST

    def spoil():
        data = manifest.read_bytes()
        if how == "truncated":
            manifest.write_bytes(data[: len(data) // 2])
        elif how == "another digest":  # one output said to be made from something else: the generation no longer fits
            head, _, body = data.partition(b"\n\n")
            manifest.write_bytes(head + b"\n\n" + b"x" + body[1:])
        elif how == "marker":
            (site / MARKER).write_bytes((site / MARKER).read_bytes().replace(b"generation ", b"generation 0"))
        else:
            manifest.unlink()

    assert rebuilt_after_an_edit(project, site, spoil)


def test_what_no_route_makes_any_more_is_gone_and_nothing_is_written_through_a_planted_link(project, tmp_path):
    site, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    build(project, site, Config(tiles="none"), search=False)
    (site / "stray.txt").write_text("not the build's", encoding="utf-8")
    (site / "agreements").rename(site / "agreements-real")
    (site / "agreements").symlink_to(outside, target_is_directory=True)  # pages written here would land outside
    (site / "agreements-real").rename(outside / "moved")
    edit_body(project, random.Random(4))
    build(project, site, Config(tiles="none"), search=False)
    expected = full(project, tmp_path / "fresh", Config(tiles="none"))
    assert tree(site) == expected
    assert sorted(p.name for p in outside.iterdir()) == ["moved"]
    assert not (site / "agreements").is_symlink()
