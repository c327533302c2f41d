"""Imports flow one way: the URL and picture leaves import nothing of zhsite; rewrite and images never import each other."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import zhsite

PACKAGE = Path(zhsite.__file__).parent


def zhsite_imports(path: Path) -> set[str]:
    """The zhsite modules *path* imports, wherever in the file (an import inside a function is an import too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "zhsite" or name.startswith("zhsite.")}


@pytest.mark.parametrize("leaf", ["urls.py", "pictures.py"])
def test_leaves_import_nothing_of_zhsite(leaf):
    assert zhsite_imports(PACKAGE / leaf) == set()


@pytest.mark.parametrize(("stage", "other"), [("images", "rewrite"), ("rewrite", "images")])
def test_rewrite_and_images_do_not_import_each_other(stage, other):
    wrong = {f"{path.relative_to(PACKAGE)}: {name}" for path in (PACKAGE / stage).glob("*.py") for name in zhsite_imports(path)
             if name.startswith(f"zhsite.{other}")}
    assert wrong == set()
