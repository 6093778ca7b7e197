"""The files every page loads from the site itself: the stylesheets and the map libraries."""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet as leaflet

from . import vocab
from .model import Page

# Only what pages load: the minified builds and Leaflet's control images.
VENDOR = {
    "leaflet": (
        Path(leaflet.BASE_DIR),
        [
            "leaflet.js",
            "leaflet.css",
            "images/layers.png",
            "images/layers-2x.png",
            "images/marker-icon.png",
            "images/marker-icon-2x.png",
            "images/marker-shadow.png",
        ],
    ),
}
# The status palette's rules end the site's one stylesheet (after templates/assets/site.css, as their own
# file once came after it), so every page links one stylesheet for both, not two.
STATUS_CSS = "assets/site.css"


def status_css() -> str:
    """The status palette (vocab.STATUS_PALETTE) as custom properties and badge rules, so CSS shares it.

    --<status> is the text colour (light, then dark pages), --<status>-fill the map's and charts'.
    """
    palette = vocab.status_colours()
    light = " ".join(f"--{key}: {c.text}; --{key}-fill: {c.fill};" for key, c in palette.items())
    dark = " ".join(f"--{key}: {c.text_dark};" for key, c in palette.items())
    badges = "\n".join(f".badge-{key} {{ color: var(--{key}); }}" for key in palette)
    return (
        "/* Made by catalogue/assets.py from STATUS_PALETTE in catalogue/vocab.py; edit the palette there. */\n"
        f":root {{ {light} }}\n"
        f"@media (prefers-color-scheme: dark) {{ :root {{ {dark} }} }}\n"
        f"{badges}\n"
    )


def asset_pages(templates: Path) -> list[Page]:
    """Vendor files from the installed XStatic packages, the site's own assets from templates/assets, its
    stylesheet ending with the status colours.
    """
    pages = []
    for name, (base, files) in VENDOR.items():
        for file in files:
            content = (base / file).read_bytes()
            if file.endswith(".js"):
                # The source map is not shipped; drop the comment so browsers don't ask for it.
                content = b"\n".join(
                    line for line in content.split(b"\n") if not line.startswith(b"//# sourceMappingURL=")
                )
            pages.append(Page(f"assets/vendor/{name}/{file}", content))
    for asset in sorted((templates / "assets").rglob("*")):
        if asset.is_file():
            path = "assets/" + asset.relative_to(templates / "assets").as_posix()
            content = asset.read_bytes()
            if path == STATUS_CSS:
                content = content.rstrip(b"\n") + b"\n\n" + status_css().encode("utf-8")
            pages.append(Page(path, content))
    pages.append(Page(".nojekyll", b""))  # GitHub Pages: serve files as they are
    return pages
