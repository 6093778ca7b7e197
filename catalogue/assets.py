"""The files every page loads from the site itself: the stylesheet and the map libraries."""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_markercluster as markercluster

from .model import Page

# Only what pages load: the minified builds and Leaflet's control images.
VENDOR = {
    "leaflet": (Path(leaflet.BASE_DIR), ["leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png", "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png"]),
    "markercluster": (Path(markercluster.BASE_DIR), ["leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"]),
}


def asset_pages(templates: Path) -> list[Page]:
    """Vendor files from the installed XStatic packages, and the site's own assets from templates/assets."""
    pages = []
    for name, (base, files) in VENDOR.items():
        for file in files:
            content = (base / file).read_bytes()
            if file.endswith(".js"):
                # The source map is not shipped; drop the comment so browsers don't ask for it.
                content = b"\n".join(line for line in content.split(b"\n") if not line.startswith(b"//# sourceMappingURL="))
            pages.append(Page(f"assets/vendor/{name}/{file}", content))
    for file in sorted((templates / "assets").rglob("*")):
        if file.is_file():
            pages.append(Page("assets/" + file.relative_to(templates / "assets").as_posix(), file.read_bytes()))
    pages.append(Page(".nojekyll", b""))  # GitHub Pages: serve files as they are
    return pages
