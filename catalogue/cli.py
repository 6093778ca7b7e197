"""The command line: the only place that turns errors into messages and exit codes."""

from __future__ import annotations

import functools
import http.server
import sys
from pathlib import Path

import click

from .config import TILES, load_config
from .problems import CatalogueError
from .schema import PATH as SCHEMA_PATH, schema_text
from .site import Project, build as build_site, check as check_site

PROGRESS_FROM = 200  # pages; shorter builds finish before a bar would help


def _report(err: CatalogueError) -> None:
    numbered = len(err.problems) > 9
    for i, problem in enumerate(err.problems, 1):
        click.echo(f"{i:>3}. {problem}" if numbered else str(problem), err=True)
    click.echo(str(err), err=True)


def _project(root: str) -> Project:
    path = Path(root)
    if not (path / "content" / "agreements").is_dir():
        raise click.UsageError(f"{path.resolve()} has no content/agreements folder; run this from the catalogue's folder or pass --root")
    return Project(path)


root_option = click.option("--root", default=".", show_default=True, type=click.Path(file_okay=False), help="The catalogue's folder (holds content/ and templates/).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
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


@main.command()
@root_option
@click.option("--format", "output", type=click.Choice(["text", "github"]), default="text", show_default=True, help="'github': each problem as a GitHub Actions error annotation on its file and line.")
def check(root, output):
    """Check every entry and write nothing; exit 1 listing every problem.

    \b
    Example:
        catalogue check
        content/agreements/surakarta-xian.md:7: status: 'actve' is not one of: ...
        catalogue check --format github      (in a GitHub Actions workflow)
    """
    try:
        checked = check_site(_project(root))
    except CatalogueError as err:
        (_annotate if output == "github" else _report)(err)
        sys.exit(1)
    click.echo(f"{len(checked.catalogue.entries)} entries, {len(checked.catalogue.places)} places: no problems.")


@main.command()
@root_option
@click.option("--out", default="site", show_default=True, type=click.Path(file_okay=False), help="Where to write the site; replaced whole, only when the build succeeds.")
@click.option("--tiles", type=click.Choice(TILES), default=None, help="Map background tiles; 'none' for offline use and tests. Default: catalogue.toml, else openstreetmap.")
@click.option("--quiet", is_flag=True, help="Print nothing but problems.")
def build(root, out, tiles, quiet):
    """Build the site into site/ (atomically: a failed build leaves the old site).

    \b
    Example:
        catalogue build
        catalogue build --out /tmp/preview --tiles none
    """
    project = _project(root)
    try:
        config = load_config(project.root, tiles=tiles)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    out_path = Path(out) if Path(out).is_absolute() else project.root / out

    def progress(pages, total):
        if quiet or total < PROGRESS_FROM or not sys.stderr.isatty():
            yield from pages
            return
        with click.progressbar(pages, length=total, label="Rendering", file=sys.stderr) as bar:
            yield from bar

    try:
        report = build_site(project, out_path, config, progress=progress)
    except CatalogueError as err:
        _report(err)
        sys.exit(1)
    if not quiet:
        click.echo(
            f"Built {out}: {report.entries} entries, {report.pages} pages, {report.files} files "
            f"({report.bytes / 1e6:.1f} MB) in {report.seconds:.2f} s."
        )


@main.command()
@click.option("--dir", "directory", default="site", show_default=True, type=click.Path(file_okay=False, exists=True), help="The built site to serve.")
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve(directory, port):
    """Preview the built site on http://127.0.0.1:PORT/ (localhost only).

    \b
    Example:
        catalogue build && catalogue serve --port 8000
    """
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        click.echo(f"Serving {directory} on http://127.0.0.1:{port}/index.html (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


@main.command()
@root_option
@click.option("--write", is_flag=True, help="Rewrite schema/entry.schema.json instead of printing.")
@click.option("--check", "stale_check", is_flag=True, help="Exit 1 if schema/entry.schema.json is not the schema the model makes.")
def schema(root, write, stale_check):
    """Print the JSON Schema editors use for entry front matter (made from the model).

    \b
    Example:
        catalogue schema --write      (after changing catalogue/model.py or vocab.py)
        catalogue schema --check
    """
    if write and stale_check:
        raise click.UsageError("give --write or --check, not both")
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
