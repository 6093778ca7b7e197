#!/usr/bin/env python3
"""The search index alone, on a site built before (e.g. bench_build.py --search --keep DIR):

    python benchmarks/bench_search.py /dev/shm/bench-site [--jobs 1,2]

Prints wall and CPU seconds (Pagefind's, as children of this script) and Pagefind's peak memory for:
one Pagefind run over every searched page into one bundle (how the build indexed before shards);
the sharded index in full with each number of Pagefind processes; and the sharded index after one
agreement page is edited in both languages, against the full one (what an incremental rebuild
does), and after 300 place pages changed where search does not read (a status edit's rows). Each
run is its own process, so each peak is its own. The site is linked into a temporary folder next
to it (hard links), never changed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from catalogue.i18n import table  # noqa: E402
from catalogue.incremental import content_digest, manifest_outputs  # noqa: E402
from catalogue.routes import SEARCHED  # noqa: E402
from catalogue.search import BUNDLE, index_site, pagefind_binary, searched_pattern, shard_name  # noqa: E402

LANGUAGES = tuple((str(lang), lang.prefix) for lang in table())


def copy_pages(site: Path, into: Path) -> dict[str, str]:
    """The site's HTML pages hard-linked into `into`; returns the manifest's outputs."""
    outputs = manifest_outputs(site)
    for path in outputs:
        if path.endswith(".html"):
            (into / path).parent.mkdir(parents=True, exist_ok=True)
            os.link(site / path, into / path)
    return outputs


def single(site: Path) -> None:
    """One Pagefind run over the searched pages, as the build did before shards."""
    prefixes = tuple(prefix for _, prefix in LANGUAGES)
    glob = "{" + ",".join(prefix + path for prefix in prefixes for path in SEARCHED) + "}"
    command = [str(pagefind_binary()), "--site", str(site), "--output-subdir", BUNDLE, "--keep-index-url", "--quiet"]
    subprocess.run([*command, "--glob", glob], check=True)


def worker(mode: str, work: Path, jobs: int, previous: Path | None) -> None:
    outputs = json.loads((work / "outputs.json").read_text(encoding="utf-8"))
    site = work / "site"
    started = time.perf_counter()
    made: tuple[str, ...] = ()
    if mode == "single":
        single(site)
    else:
        searched = searched_pattern(tuple(p for _, p in LANGUAGES), SEARCHED)
        old = json.loads((work / "previous.json").read_text(encoding="utf-8")) if previous else None
        made = index_site(site, LANGUAGES, searched, outputs, previous, old, jobs=jobs)
    wall = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {"wall": wall, "cpu": children.ru_utime + children.ru_stime, "rss": children.ru_maxrss, "made": len(made)}
        )
    )


def run(mode: str, work: Path, jobs: int = 1, previous: Path | None = None) -> dict:
    args = [sys.executable, __file__, "--worker", mode, str(work), str(jobs), str(previous or "")]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(label: str, figures: dict) -> None:
    print(
        f"  {label:<44} wall {figures['wall']:6.2f} s  cpu {figures['cpu']:6.2f} s  "
        f"Pagefind peak RSS {figures['rss'] / 1024:7.1f} MB  bundles made {figures['made']}"
    )


def main() -> None:
    if sys.argv[1:2] == ["--worker"]:
        previous = Path(sys.argv[5]) if sys.argv[5] else None
        worker(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), previous)
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a site built with a manifest (catalogue build)")
    parser.add_argument("--jobs", default="1,2", help="numbers of Pagefind processes to try, e.g. 1,2")
    args = parser.parse_args()
    site = args.site.resolve()
    root = Path(tempfile.mkdtemp(prefix=".bench-search-", dir=site.parent))
    try:
        outputs = copy_pages(site, root / "base")
        (root / "base" / "outputs.json").write_text(json.dumps(outputs), encoding="utf-8")
        searched = searched_pattern(tuple(p for _, p in LANGUAGES), SEARCHED)
        print(
            f"{site}: {sum(1 for p in outputs if searched.fullmatch(p))} searched pages; load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )

        def fresh(name: str) -> Path:
            work = root / name
            shutil.copytree(root / "base", work / "site", copy_function=os.link)
            shutil.move(work / "site" / "outputs.json", work / "outputs.json")
            return work

        show("one bundle, one Pagefind run (before shards)", run("single", fresh("single")))
        full = None
        for jobs in (int(n) for n in args.jobs.split(",")):
            work = fresh(f"shards-{jobs}")
            show(f"shards in full, {jobs} Pagefind process(es)", run("shards", work, jobs))
            full = full or work
        assert full is not None
        # One agreement page edited in both languages, as a body edit makes it.
        edit = fresh("edit")
        outputs = json.loads((edit / "outputs.json").read_text(encoding="utf-8"))
        slug = next(
            p
            for p in sorted(outputs)
            if shard_name(p, LANGUAGES).startswith(LANGUAGES[0][0]) and b"data-pagefind-body" in (site / p).read_bytes()
        )
        for path in (slug, "en/" + slug):
            page = edit / "site" / path
            text = page.read_bytes().replace(b"</main>", b"<p>An edited sentence about irrigation.</p></main>", 1)
            page.unlink()  # a new file, as the build writes it: the linked one is shared with the others
            page.write_bytes(text)
            outputs[path] = content_digest(text)
        (edit / "outputs.json").unlink()  # linked with the other runs' copies: a file of its own
        (edit / "outputs.json").write_text(json.dumps(outputs), encoding="utf-8")
        (edit / "previous.json").write_text((full / "outputs.json").read_text(encoding="utf-8"), encoding="utf-8")
        show(f"after one body edit ({slug}), 1 process", run("shards", edit, 1, full / "site"))
        # A status edit's place pages: a row of their lists of ties changed, which search does not read
        # (search.EXCLUDE); as many as the busiest province's cities, in both languages.
        rows = fresh("rows")
        outputs = json.loads((rows / "outputs.json").read_text(encoding="utf-8"))
        places = [p for p in sorted(outputs) if p.startswith("places/") and p.count("/") == 2][::40][:150]
        for path in places + ["en/" + p for p in places]:
            page = rows / "site" / path
            text = page.read_bytes().replace(b'<ul class="entries">', b'<ul class="entries"><li>edited</li>', 1)
            page.unlink()
            page.write_bytes(text)
            outputs[path] = content_digest(text)
        (rows / "outputs.json").unlink()
        (rows / "outputs.json").write_text(json.dumps(outputs), encoding="utf-8")
        (rows / "previous.json").write_text((full / "outputs.json").read_text(encoding="utf-8"), encoding="utf-8")
        label = f"after {2 * len(places)} place pages' rows changed, 1 process"
        show(label, run("shards", rows, 1, full / "site"))
        print(f"  load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
