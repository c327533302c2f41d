"""Imports flow one way: the leaves import nothing of zhsite, no stage imports a later one, rewrite and images never each other."""
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


@pytest.mark.parametrize("leaf", ["urls.py", "pictures.py", "svg.py", "tree.py", "problems.py", "slug.py", "workers.py", "chinese.py", "fonts.py", "heap.py", "spill.py"])
def test_leaves_import_nothing_of_zhsite(leaf):
    assert zhsite_imports(PACKAGE / leaf) == set()


@pytest.mark.parametrize(("stage", "other"), [("images", "rewrite"), ("rewrite", "images")])
def test_rewrite_and_images_do_not_import_each_other(stage, other):
    wrong = {f"{path.relative_to(PACKAGE)}: {name}" for path in (PACKAGE / stage).glob("*.py") for name in zhsite_imports(path)
             if name.startswith(f"zhsite.{other}")}
    assert wrong == set()


# The pipeline's order (zhsite/build.py), each part after what it may use: a
# module may import the parts before its own, never one after.  ``output`` is
# the protocol the render stage draws into, ``write`` its staged site on disk, ``stamps`` how a site on disk is listed.
ORDER = ["model", "cache", "config", "stamps", "load", "images", "rewrite", "output", "render", "search", "write", "epub",
         "session", "unchanged", "build", "serve", "deploy", "init", "cli"]


def part_of(name: str) -> str:
    """``zhsite.load.api`` -> ``load``; a leaf or ``zhsite`` itself -> ``""`` (anyone may import it)."""
    part = name.split(".")[1] if name.count(".") else ""
    return part if part in ORDER else ""


@pytest.mark.parametrize("part", ORDER)
def test_no_part_imports_a_later_one(part):
    paths = [PACKAGE / f"{part}.py"] if (PACKAGE / f"{part}.py").exists() else sorted((PACKAGE / part).rglob("*.py"))
    assert paths, f"zhsite/{part} is gone: update ORDER"
    later = set(ORDER[ORDER.index(part) + 1:])
    wrong = {f"{path.relative_to(PACKAGE)}: {name}" for path in paths for name in zhsite_imports(path) if part_of(name) in later}
    assert wrong == set()


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_imports_itself_round_a_circle():
    """``a`` imports ``b`` imports ``a`` (serve's handler and server did): the order the two load in decides what works."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    # A package importing its own submodule (``from zhsite.search import files`` in its __init__) is no circle.
    imports = {name: {found for found in zhsite_imports(path) if found in modules and found != name} for name, path in modules.items()}
    circles = []
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        for imported in sorted(imports[name]):
            if imported in path:
                circles.append(" → ".join([*path[path.index(imported):], imported]))
            elif imported not in done:
                visit(imported, [*path, imported])
        done.add(name)

    for name in sorted(modules):
        if name not in done:
            visit(name, [name])
    assert circles == []
