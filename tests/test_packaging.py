"""What a newcomer's two commands rely on: the package ships every folder, the set-up is idempotent."""
from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_code_and_theme_folder_is_a_listed_package():
    """setuptools warns about (and a wheel would miss) folders the list leaves out."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(p.relative_to(ROOT).parts) for p in (ROOT / "zhsite").rglob("*") if p.is_dir() and p.name != "__pycache__"}
    folders |= {"zhsite." + ".".join(p.relative_to(ROOT).parts) for p in (ROOT / "themes").rglob("*") if p.is_dir()}
    assert folders | {"zhsite", "zhsite.themes"} == listed


def test_the_set_up_finds_nothing_left_to_install_once_it_ran():
    """`make test` ran tools/test-packages --install before this suite: a second run has nothing to do."""
    lacking = subprocess.run([ROOT / "tools" / "test-packages"], capture_output=True, text=True, check=True)
    assert lacking.stdout.strip() == ""
