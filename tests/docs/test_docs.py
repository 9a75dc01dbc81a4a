"""The documentation site builds with warnings as errors, and its reference pages cover the code."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import agilab_reference  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-b", "html", "-q", str(ROOT / "docs"), str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    return out


def _text(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.read_text()))


def test_configuration_page_lists_every_setting(site):
    from agilab_lab.settings import AgilabLabSettings

    text = _text(site / "reference" / "configuration.html")
    names = set(agilab_reference.config_traits())
    assert set(AgilabLabSettings.class_trait_names(config=True)) <= names
    missing = [name for name in names if not re.search(rf"\b{re.escape(name)}\b", text)]
    assert not missing


def test_rest_page_lists_every_route_and_method(site):
    from agilab_lab.server import all_routes

    rows = {tuple(re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[:2])
            for row in re.findall(r"<tr.*?</tr>", (site / "reference" / "rest.html").read_text(), re.S)}
    rows = {tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in row) for row in rows}
    expected = {(method.upper(), route.path) for route in all_routes() for method in route.ops}
    assert expected and expected <= rows


def test_cli_page_lists_every_command_with_its_options(site):
    text = _text(site / "reference" / "cli.html")
    commands = agilab_reference.cli_commands()
    assert {"run", "design", "export-notebook", "validate"} <= set(commands)
    for name, parser in commands.items():
        assert f"agilab-lab {name}" in text
        for action in parser._actions:
            for option in action.option_strings:
                assert option in text, f"{name} {option}"


def test_every_page_is_in_the_toctree_and_every_image_exists(site):
    pages = {p.relative_to(ROOT / "docs").with_suffix("").as_posix() for p in (ROOT / "docs").rglob("*.md")
             if "_build" not in p.parts and p.name != "README.md"}
    built = {p.relative_to(site).with_suffix("").as_posix() for p in site.rglob("*.html")}
    assert pages <= built
    for page in site.rglob("*.html"):
        for src in re.findall(r'<img[^>]+src="([^"]+)"', page.read_text()):
            assert (page.parent / src).resolve().is_file(), f"{page.name}: {src}"


def test_a_broken_internal_link_fails_the_build(tmp_path):
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "_ext", docs / "_ext")
    shutil.copy(ROOT / "docs" / "conf.py", docs / "conf.py")
    (docs / "_static").mkdir()
    (docs / "index.md").write_text("# Broken\n\nSee [the missing guide](how-to/missing.md).\n")
    build = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-b", "html", "-q", str(docs), str(tmp_path / "out")],
                           capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert build.returncode != 0 and "missing.md" in build.stderr
