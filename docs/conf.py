"""Sphinx configuration: MyST pages, the pydata theme, reference pages generated from the code."""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(DOCS.parent))

from agilab_lab._version import __version__  # noqa: E402

project = "agilab-lab"
author = "agilab-lab developers"
release = version = __version__
extensions = ["myst_parser", "agilab_reference"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "README.md"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
html_theme = "pydata_sphinx_theme"
html_title = "agilab-lab"
html_static_path = ["_static"]
html_theme_options = {
    "navigation_with_keys": True,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "secondary_sidebar_items": ["page-toc"],
}
# Offline builds: no external intersphinx inventories, no remote images.
suppress_warnings: list[str] = []
