"""An open catalogue of sister cities: Markdown entries in, a static website out."""
