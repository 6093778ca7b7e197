#!/usr/bin/env python3
"""Build the site from the shipped content: `python build.py` (same as `catalogue build`)."""

import sys

from catalogue.cli import main

if __name__ == "__main__":
    main(["build", *sys.argv[1:]], prog_name="build.py")
