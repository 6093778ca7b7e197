"""The command line: the only place that turns errors into messages and exit codes."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from .config import TILES, Config, ConfigError, load_config
from .problems import CatalogueError, RenderError
from .site import Project, build as build_site, check as check_site
from .problems import did_you_mean, relative
from .vocab import KINDS, LEVELS, STATUSES

if TYPE_CHECKING:
    from . import preview

# Each command imports what only it needs (the importer, diff, scaffold, schema, the preview's server)
# when it runs: `python build.py` is a process per build, and its start-up is most of a small rebuild.

SHALLOW = (
    "Warning: this is a shallow clone, so the site shows no publication or change dates and citations say "
    '"Undated version"; fetch the whole history (git fetch --unshallow, or fetch-depth: 0 in CI) and build again.'
)
PROGRESS_FROM = 200  # pages; shorter builds finish before a bar would help

_T = TypeVar("_T")


def _report(err: CatalogueError) -> None:
    numbered = len(err.problems) > 9
    for i, problem in enumerate(err.problems, 1):
        click.echo(f"{i:>3}. {problem}" if numbered else str(problem), err=True)
    click.echo(str(err), err=True)


def _project(root: str) -> Project:
    path = Path(root)
    if not (path / "content" / "agreements").is_dir():
        raise click.UsageError(
            f"{path.resolve()} has no content/agreements folder; run this from the catalogue's folder or pass --root"
        )
    return Project(path)


def _home_country(project: Project) -> str:
    """catalogue.toml's home_country; a file that cannot be read is a usage error naming its fix."""
    try:
        return load_config(project.root).home_country
    except ValueError as err:
        raise click.UsageError(str(err)) from None


def _home_default() -> str:
    """--country1's default: the home country of the catalogue in --root (read before it: declared first)."""
    try:
        return load_config(Path(click.get_current_context().params.get("root") or ".")).home_country or "ID"
    except ValueError:
        return "ID"  # the command then stops on the same file with its message


root_option = click.option(
    "--root",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The catalogue's folder (holds content/ and templates/).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """An open catalogue of sister cities: check entries, build the site, preview it.

    \b
    Example:
        catalogue check && catalogue build && catalogue serve
    """


def _annotate(err: CatalogueError) -> None:
    """Every problem as a GitHub Actions error annotation, shown on its line in the pull request."""
    for problem in err.problems:
        where = {"file": problem.path, "line": problem.line or "", "title": problem.field}
        properties = ",".join(f"{key}={_escape(str(value), prop=True)}" for key, value in where.items() if value != "")
        click.echo(f"::error {properties}::{_escape(problem.message)}")
    click.echo(str(err), err=True)


def _escape(text: str, prop: bool = False) -> str:
    """Escaped as GitHub's workflow commands require (actions/toolkit escapeData, escapeProperty)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


NO_BASE_URL = (
    "Warning: base_url is not set, so pages have no canonical links, the sitemap has no absolute addresses and "
    "feed links are relative (copied citations take the address the page is opened at); "
    "set base_url in catalogue.toml or pass --base-url."
)


@main.command()
@root_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="'github': each problem as a GitHub Actions error annotation on its file and line.",
)
def check(root: str, output: str) -> None:
    """Check every entry and write nothing; exit 1 listing every problem.

    \b
    Example:
        catalogue check
        content/agreements/surakarta-xian.md:7: status: 'actve' is not one of: ...
        catalogue check --format github      (in a GitHub Actions workflow)
    """
    project = _project(root)
    try:
        config = load_config(project.root)
        settings = []
    except ConfigError as err:  # reported with the entries' problems, so one run shows them all
        config, settings = Config(), [err.problem]  # the entries are checked with the default settings meanwhile
    try:
        checked = check_site(project, config=config)
        if settings:
            raise CatalogueError(settings)
    except CatalogueError as err:
        (_annotate if output == "github" else _report)(CatalogueError(err.problems + settings))
        sys.exit(1)
    click.echo(f"{len(checked.catalogue.entries)} entries, {len(checked.catalogue.places)} places: no problems.")


@main.command()
@root_option
@click.option(
    "--out",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where to write the site; replaced whole, only when the build succeeds.",
)
@click.option(
    "--tiles",
    type=click.Choice(TILES),
    default=None,
    help="Map background tiles; 'none' for offline use and tests. Default: catalogue.toml, else openstreetmap.",
)
@click.option(
    "--base-url",
    default=None,
    help="Where the site is published, e.g. https://example.org/catalogue/ (canonical links, sitemap, feeds, "
    "citations). Default: catalogue.toml.",
)
@click.option(
    "--repository",
    default=None,
    help="The repository's web address, e.g. https://github.com/owner/repo, for 'Edit this page' links. Default: "
    "catalogue.toml.",
)
@click.option("--quiet", is_flag=True, help="Print nothing but problems.")
@click.option(
    "--full",
    is_flag=True,
    help="Render every page again, whatever the previous site's manifest says (builds are incremental by default).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    envvar="CATALOGUE_JOBS",
    help="How many worker processes render and write the pages (the site is the same bytes whatever the number). "
    "Default: one per core; 1: all in this process. Also CATALOGUE_JOBS.",
)
def build(
    root: str,
    out: str,
    tiles: str | None,
    base_url: str | None,
    repository: str | None,
    quiet: bool,
    full: bool,
    jobs: int | None,
) -> None:
    """Build the site into site/ (atomically: a failed build leaves the old site).

    \b
    Example:
        catalogue build
        catalogue build --out /tmp/preview --tiles none
    """
    project = _project(root)
    try:
        config = load_config(project.root, tiles=tiles, base_url=base_url, repository=repository)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    out_path = Path(out) if Path(out).is_absolute() else project.root / out

    def progress(pages: Iterable[_T], total: int) -> Iterator[_T]:
        if quiet or total < PROGRESS_FROM or not sys.stderr.isatty():
            yield from pages
            return
        with click.progressbar(pages, length=total, label="Rendering", file=sys.stderr) as bar:
            yield from bar

    from .workers import WorkerDied
    from .write import UnsafePath, WriteError

    try:
        report = build_site(project, out_path, config, progress=progress, incremental=not full, jobs=jobs)
    except CatalogueError as err:
        _report(err)
        sys.exit(1)
    except (UnsafePath, WriteError, WorkerDied, RenderError) as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(1)
    if not quiet:
        click.echo(
            f"Built {out}: {report.entries} entries, {report.pages} pages, {report.files} files "
            f"({report.bytes / 1e6:.1f} MB) in {report.seconds:.2f} s."
        )
    if not config.base_url and not quiet:
        # Once per build: pages still work and citations take the address the reader opened.
        click.echo(NO_BASE_URL, err=True)
    if report.shallow:  # last, and even with --quiet: the site is complete but undated
        click.echo(SHALLOW, err=True)


@main.command()
@root_option
@click.option(
    "--dir",
    "directory",
    default=None,
    type=click.Path(file_okay=False, exists=True),
    help="Serve this built site as it is, without building or watching.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
@click.option(
    "--tiles",
    type=click.Choice(TILES),
    default=None,
    help="Map background tiles (default: catalogue.toml); 'none' offline.",
)
def serve(root: str, directory: str | None, port: int, tiles: str | None) -> None:
    """Build, serve on http://127.0.0.1:PORT/ and rebuild on every saved change (live preview).

    The open page reloads itself after each rebuild; an entry that does not pass the check
    shows its problems in the browser until it is fixed. The search index is not built in
    preview. With --dir, serves an already built site as it is.

    \b
    Example:
        catalogue serve
        catalogue build && catalogue serve --dir site --port 8001
    """
    if directory is None:
        _live_preview(_project(root), port, tiles)
        return
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as err:
        raise click.ClickException(
            f"cannot serve on 127.0.0.1:{port}: {err.strerror}; choose another port, e.g. --port {port % 65535 + 1}"
        ) from None
    with server:
        click.echo(f"Serving {directory} on http://127.0.0.1:{port}/index.html (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def _live_preview(project: Project, port: int, tiles: str | None) -> None:
    import shutil
    import tempfile

    from . import preview

    out = Path(tempfile.mkdtemp(prefix="catalogue-preview-")) / "site"

    def said(state: preview.State) -> None:
        if state.problems:
            click.echo(
                f"{len(state.problems)} problem{'s' * (len(state.problems) != 1)}; the browser shows them, the last "
                "good site is kept:",
                err=True,
            )
            for problem in state.problems:
                click.echo(f"  {problem}", err=True)
        else:
            click.echo(f"Rebuilt in {state.seconds:.2f} s.")

    try:
        running = preview.Preview(project, out, port, {"tiles": tiles}, on_rebuild=said)
    except OSError as err:
        raise click.ClickException(
            f"cannot serve on 127.0.0.1:{port}: {err.strerror}; choose another port, e.g. --port {port % 65535 + 1}"
        ) from None
    said(running.state)
    click.echo(
        f"Serving a live preview of {project.root.resolve()} on http://127.0.0.1:{running.port}/index.html (Ctrl-C "
        "stops)"
    )
    running.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        running.close()
        shutil.rmtree(out.parent, ignore_errors=True)


@main.command()
@root_option
@click.option("--write", is_flag=True, help="Rewrite schema/entry.schema.json instead of printing.")
@click.option(
    "--check", "stale_check", is_flag=True, help="Exit 1 if schema/entry.schema.json is not the schema the model makes."
)
def schema(root: str, write: bool, stale_check: bool) -> None:
    """Print the JSON Schema editors use for entry front matter (made from the model).

    \b
    Example:
        catalogue schema --write      (after changing catalogue/model.py or vocab.py)
        catalogue schema --check
    """
    if write and stale_check:
        raise click.UsageError("give --write or --check, not both")
    from .schema import PATH as SCHEMA_PATH, schema_text

    text = schema_text()
    if not (write or stale_check):
        click.echo(text, nl=False)
        return
    path = _project(root).root / SCHEMA_PATH
    if write:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        click.echo(f"Wrote {SCHEMA_PATH}.")
        return
    committed = path.read_text(encoding="utf-8") if path.is_file() else None
    if committed != text:
        state = "is missing" if committed is None else "is out of date with catalogue/model.py and catalogue/vocab.py"
        click.echo(f"{SCHEMA_PATH} {state}; run `catalogue schema --write` and commit the result.", err=True)
        sys.exit(1)
    click.echo(f"{SCHEMA_PATH} is up to date.")


# -- contributing: new, import, diff ---------------------------------------------------


class _Country(click.ParamType[tuple[str, str]]):
    """An ISO code, or a country name in English or Indonesian → (code, what was typed)."""

    name = "country"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value  # already converted (a default given as (code, typed))
        import difflib

        from . import countries

        code = countries.guess_code(str(value))
        if code is None:
            names = {
                countries.name(c, lang).casefold(): countries.name(c, lang)
                for c in countries.english_names()
                for lang in ("en", "id")
            }
            near = difflib.get_close_matches(
                str(value).casefold(), list(names), n=1, cutoff=0.8
            )  # stricter than for a vocabulary: 'Atlantis' is not 'Albania'
            hint = f" (did you mean {names[near[0]]!r}, code {countries.guess_code(names[near[0]])}?)" if near else ""
            self.fail(
                f"{value!r} is neither an ISO country code nor a country name in English or Indonesian{hint}; write "
                "the code, e.g. JP for Japan",
                param,
                ctx,
            )
        return code, str(value)


class _Choice(click.Choice[str]):
    """click's Choice, whose refusal also names the nearest choice, as the check does."""

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as err:
            hint = did_you_mean(str(value), self.choices)
            if hint:
                err.message = f"{err.message.rstrip('.')}{hint}."
            raise


class _Date(click.ParamType[str]):
    name = "date"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from .validate import DATE

        text = str(value).strip()
        if text != "unknown" and not DATE.match(
            text
        ):  # the validator's pattern; the written entry is then checked in full
            self.fail(f"{text!r}: write a year (2019), a month (2019-05), a day (2019-05-21) or 'unknown'", param, ctx)
        return text


class _Asked(click.Option):
    """Asked for when the command is given no options; a script that passes options gets the default."""

    def consume_value(self, ctx: click.Context, opts: Mapping[str, Any]) -> tuple[Any, ParameterSource]:
        if any(name != "root" for name in opts):
            return click.Parameter.consume_value(self, ctx, opts)  # the value given, else the default
        return super().consume_value(ctx, opts)


def _count(items: Sized, noun: str) -> str:
    return f"{len(items)} {noun}{'s' * (len(items) != 1)}"


def _optional(label: str, check: Callable[[str], bool] | None = None) -> str | None:
    """Ask for an optional value; Enter gives None."""

    def proc(text: str) -> str | None:
        text = text.strip()
        if text and check and not check(text):
            raise click.BadParameter(f"{text!r} is not {label}")
        return text or None

    answer: str | None = click.prompt(
        f"Source: {label} (Enter for none)", default="", show_default=False, value_proc=proc
    )
    return answer


@main.command()
@root_option
@click.option(
    "--name1",
    prompt="Home party: name (e.g. Surakarta)",
    help="The name of the party in the catalogue's home country (home_country in catalogue.toml), as usually written.",
)
@click.option(
    "--level1",
    cls=_Asked,
    type=_Choice(list(LEVELS)),
    default="city",
    show_default=True,
    prompt="Home party: level",
    help="What kind of party it is.",
)
@click.option(
    "--country1",
    cls=_Asked,
    type=_Country(),
    default=lambda: _home_default(),
    show_default=True,
    prompt="Home party: country (code or name)",
    help="ISO code, or a name in English or Indonesian.",
)
@click.option("--name2", prompt="Partner: name (e.g. Xi'an)", help="The partner's name.")
@click.option(
    "--level2",
    cls=_Asked,
    type=_Choice(list(LEVELS)),
    default="city",
    show_default=True,
    prompt="Partner: level",
    help="What kind of party the partner is.",
)
@click.option(
    "--country2",
    type=_Country(),
    prompt="Partner: country (code or name, e.g. CN, China, Tiongkok)",
    help="ISO code, or a name in English or Indonesian.",
)
@click.option(
    "--kind",
    cls=_Asked,
    type=_Choice(list(KINDS)),
    default="sister-city",
    show_default=True,
    prompt="Kind of tie",
    help="What kind of tie it is.",
)
@click.option(
    "--status",
    type=_Choice(list(STATUSES)),
    prompt="Status, as the source reports it",
    help="Its state when the source observed it.",
)
@click.option(
    "--as-of",
    "as_of",
    type=_Date(),
    prompt="Year the source reports that status in (or 'unknown')",
    help="When the source observed the status: 2019, 2019-05 or 'unknown'.",
)
@click.option("--source-title", prompt="Source: title of the paper, page or document", help="The source's title.")
@click.option("--source-url", help="A link to the source (http or https).")
@click.option("--source-year", type=click.IntRange(1800, 2100), help="The year the source was published.")
@click.option("--slug", help="The file name without .md. Default: the two names, e.g. surakarta-xian.")
def new(
    root: str,
    name1: str,
    level1: str,
    country1: tuple[str, str],
    name2: str,
    level2: str,
    country2: tuple[str, str],
    kind: str,
    status: str,
    as_of: str,
    source_title: str,
    source_url: str | None,
    source_year: int | None,
    slug: str | None,
) -> None:
    """Write a new entry from a few answers (or options), then check the catalogue.

    Asks for what it is not given: the two parties, the kind of tie, its status and the
    year the source reports it in, and a source (given options, it asks only for what has no
    default). Writes content/agreements/<slug>.md, never over another file, with a note in
    the body saying what to write there.

    \b
    Example:
        catalogue new
        catalogue new --name1 Surakarta --country1 ID --name2 "Xi'an" --country2 Tiongkok \\
          --kind sister-city --status stalled --as-of 2017 --source-title "Kerjasama luar negeri ..."
    """
    from . import countries, scaffold
    from .plausible import home_first, home_name

    project = _project(root)
    if click.get_current_context().get_parameter_source("source_title") is ParameterSource.PROMPT:
        source_url = source_url or _optional(
            "link, http:// or https://", lambda t: t.startswith(("http://", "https://"))
        )
        if source_year is None:
            asked = _optional("year published", lambda t: re.fullmatch(r"\d{4}", t) is not None)
            source_year = int(asked) if asked else None
    for code, typed in (country1, country2):
        if typed.strip().upper() != code:
            click.echo(f"Country {typed!r}: using {code} ({countries.name(code)}).")
    home = _home_country(project)
    parties = [
        scaffold.party_meta(name1.strip(), level1, country1[0]),
        scaffold.party_meta(name2.strip(), level2, country2[0]),
    ]
    parties, swapped = home_first(parties, lambda p: p["country"], home)
    if swapped:
        click.echo(f"The party in {home_name(home)}, the home country, goes first: the two parties were swapped.")
    source = scaffold.source_meta(source_title.strip(), url=source_url, year=source_year)
    meta = scaffold.entry_meta(parties, kind, status, as_of, [source])
    try:
        path = scaffold.create(project.agreements, project.root, meta, slug)
    except scaffold.ScaffoldError as err:
        raise click.ClickException(str(err)) from None
    except CatalogueError as err:
        _report(err)
        sys.exit(1)
    shown = relative(path, project.root)
    try:
        check_site(project)
    except CatalogueError as err:
        mine = [p for p in err.problems if p.path == shown]
        others = len(err.problems) - len(mine)
        if mine:
            click.echo(f"{shown} written; catalogue check found {_count(mine, 'problem')} in it:", err=True)
            for problem in mine:
                click.echo(f"  {problem}", err=True)
            click.echo(f"Fix {'it' if len(mine) == 1 else 'them'} in the file, then run `catalogue check`.", err=True)
        else:
            click.echo(f"{shown} written; catalogue check: no problems in it.", err=True)
        if others:
            click.echo(
                f"The catalogue has {_count(range(others), 'problem')} in other files; `catalogue check` lists them.",
                err=True,
            )
        sys.exit(1)
    click.echo(f"{shown} written; catalogue check: no problems. Now write what the source says in its body.")


@main.command(name="import")
@root_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from COLUMN; repeat for each field (see above).",
)
@click.option(
    "--kind",
    type=_Choice(list(KINDS)),
    default="sister-city",
    show_default=True,
    help="Kind of tie, where the CSV gives none.",
)
@click.option(
    "--level",
    type=_Choice(list(LEVELS)),
    default="city",
    show_default=True,
    help="Level of every party, where the CSV gives none.",
)
@click.option(
    "--status",
    type=_Choice(list(STATUSES)),
    help="Status, where the CSV gives none (needed if it has no status column).",
)
@click.option(
    "--as-of",
    "as_of",
    type=_Date(),
    help="When that status was observed, where the CSV gives none (needed if it has no as_of column).",
)
@click.option(
    "--source-title", help="The source of every row, where the CSV gives none (needed if it has no source column)."
)
@click.option("--source-url", help="A link to that source.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the entries.  [default: content/agreements]",
)
@click.option("--dry-run", is_flag=True, help="Write nothing; report what would be written.")
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write one CSV row per row not imported, with its reason.",
)
def import_entries(
    root: str,
    file: Path,
    mapping: tuple[str, ...],
    kind: str,
    level: str,
    status: str | None,
    as_of: str | None,
    source_title: str | None,
    source_url: str | None,
    out: Path | None,
    dry_run: bool,
    report_file: Path | None,
) -> None:
    """Turn a spreadsheet (CSV) of ties into entries, one file per row.

    Columns: by default city1, country1, lat1, lng1, city2, country2, lat2, lng2, and kind,
    status, as_of, since, source, source_url where the CSV has them. --map FIELD=COLUMN reads
    a field from another column; the fields are name1 country1 lat1 lon1 level1 region1 (the
    same with 2), kind status as_of since source_title source_url. Countries may be names in
    English or Indonesian ('Jepang', 'Ohio, United States'). A row needs a party in the home
    country (home_country in catalogue.toml, ID unless set), and that party goes first.

    Coordinates: a place in content/places.yaml or the gazetteer is placed there. A CSV point
    more than 50 km from the gazetteer's is taken as a wrong geocode and the gazetteer's is
    used, unless a smaller city of that name lies at the CSV point. A place the gazetteer does
    not know keeps its CSV point, unless the point is more than 150 km from every city of its
    country while another country's cities are near (bad coordinates), or is the point of
    another place in the file that the gazetteer puts there (a county given its town's point).

    Rows are not imported when a country is not recognised, a place is not found, the
    coordinates are bad, both sides are one place, or the same pair and kind (in either order)
    is already in --out or an earlier row. Every entry is validated before it is written, and
    no file is overwritten.

    \b
    Example:
        catalogue import ties.csv --status active --as-of 2024 --source-title "Daftar kota kembar" --dry-run
        catalogue import ties.csv --map name1=kota --map country1=negara --map name2=mitra \\
          --map country2=negara_mitra --status active --as-of unknown --source-title "..." --report rejected.csv
    """
    from . import importer

    project = Project(Path(root)) if out else _project(root)
    out_path = out if out is None or out.is_absolute() else Path.cwd() / out
    defaults = importer.Defaults(
        kind=kind,
        level=level,
        status=status,
        as_of=as_of,
        source_title=source_title,
        source_url=source_url,
        home_country=_home_country(project),
    )
    started = time.perf_counter()
    try:
        report = importer.import_csv(
            file,
            out_path or project.agreements,
            project.root,
            importer.parse_mapping(mapping),
            defaults,
            dry_run=dry_run,
        )
        if report_file:
            report.write_csv(report_file)
    except importer.SpreadsheetError as err:
        raise click.UsageError(str(err)) from None
    except OSError as err:
        raise click.ClickException(f"{err.filename}: {err.strerror}") from None
    for line in report.lines():
        click.echo(line)
    if report_file:
        click.echo(f"Rows not imported, with their reasons: {report_file}")
    click.echo(f"Done in {time.perf_counter() - started:.1f} s.")


@main.command(name="diff")
@root_option
@click.argument("base")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: for a pull-request comment.",
)
def diff_entries(root: str, base: str, output: str) -> None:
    """List the entries added, changed, renamed and removed since BASE (a git revision).

    Compares content/agreements at BASE with the working tree. Status changes come first,
    with their "as of" years; an entry that does not validate on either side is flagged.

    \b
    Example:
        catalogue diff main
        catalogue diff origin/main --format markdown > review.md
    """
    from . import diffing

    project = _project(root)
    try:
        result = diffing.diff(project.root, base)
    except diffing.DiffError as err:
        raise click.ClickException(str(err)) from None
    click.echo(diffing.as_markdown(result) if output == "markdown" else diffing.as_text(result))
