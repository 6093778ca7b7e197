"""The command line: the only place that turns errors into messages and exit codes."""

from __future__ import annotations

import functools
import http.server
import sys
from pathlib import Path

import click

from .config import TILES, load_config
from .problems import CatalogueError
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


@main.command()
@root_option
def check(root):
    """Check every entry and write nothing; exit 1 listing every problem.

    \b
    Example:
        catalogue check
        content/agreements/surakarta-xian.md:7: status: 'actve' is not one of: ...
    """
    try:
        checked = check_site(_project(root))
    except CatalogueError as err:
        _report(err)
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
