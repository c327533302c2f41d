"""A site larger than GitHub Pages publishes (1 GB): the build says so, with what makes it up.

A real 1 GB site takes minutes to write, so the line is checked on a real
small site with the limit passed in, the build's count of its files' sizes
against the folder it wrote (cold, linked from the previous site, drawn by
forked workers), and a normal site built with the CLI says nothing.
"""
from __future__ import annotations

import io
import json
import os
import random
from pathlib import Path

from PIL import Image

from tests.conftest import build_as_a_user, make_project, seed_article
from zhsite.build import build
from zhsite.config import OUTPUT_MARKER
from zhsite.write import over_limit


def noise_png(side: int) -> bytes:
    """A real PNG that does not compress: random pixels, the same every run."""
    pixels = random.Random(side).randbytes(side * side * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(out, format="PNG")
    return out.getvalue()


def project_with_a_picture(root: Path) -> Path:
    """Two seed articles in a column, and a note showing a picture beside it (copied into images/)."""
    column = {"title": "专栏", "article": [seed_article("46566618"), seed_article("88830653")]}
    project = make_project(root, {"col.json": json.dumps(column, ensure_ascii=False), "笔记.md": "# 图\n\n![噪点](noise.png)\n\n正文\n"})
    (project / "content" / "noise.png").write_bytes(noise_png(400))
    return project


def folder_sizes(site: Path) -> dict[str, int]:
    """Every file of a written site and its size, as on disk (the folder's marker aside)."""
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*") if p.is_file() and p.name != OUTPUT_MARKER}


def test_a_site_over_the_limit_is_said_in_one_line_total_first_then_its_parts_biggest_first(tmp_path):
    project = project_with_a_picture(tmp_path)
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    sizes = folder_sizes(project / "site")
    total = sum(sizes.values())
    picture = next(size for path, size in sizes.items() if path.startswith("images/"))
    assert picture > 400 * 400 * 3

    line = over_limit(sizes, limit=200_000)

    said, _, parts = line.partition(": ")
    assert 200_000 < total < 1_000_000  # said in kB
    assert said == f"the site is {total / 1e3:.0f} kB, over GitHub Pages' limit of 200 kB"
    named = [part.rsplit(" ", 2) for part in parts.split(", ")]
    assert sorted(name for name, _, _ in named) == ["other files", "pages", "pictures", "search index"]
    assert named[0] == ["pictures", f"{picture / 1e3:.0f}", "kB"]
    amounts = [float(amount) * {"kB": 1e3, "MB": 1e6}[unit] for _, amount, unit in named]
    assert amounts == sorted(amounts, reverse=True)
    assert abs(sum(amounts) - total) < 0.05 * total
    assert over_limit(sizes, limit=total) is None  # at the limit is within it


def test_the_build_knows_the_size_of_every_file_it_wrote_drawn_linked_or_copied(tmp_path):
    project = project_with_a_picture(tmp_path)
    output = tmp_path / "out"
    cold = build(project, output=output, workers=2)  # pages drawn by a forked worker too
    assert dict(cold.files.sizes) == folder_sizes(output)

    again = build(project, output=output, workers=2)  # every file linked from the previous site
    assert again.kept and not again.drawn
    assert dict(again.files.sizes) == folder_sizes(output)

    column = json.loads((project / "content" / "col.json").read_text(encoding="utf-8"))
    column["article"][0]["content"] += "<p>" + "新增的一段" * 200 + "</p>"
    (project / "content" / "col.json").write_text(json.dumps(column, ensure_ascii=False), encoding="utf-8")
    edited = build(project, output=output, workers=2)
    assert dict(edited.files.sizes) == folder_sizes(output)
    assert sum(edited.files.sizes.values()) > sum(again.files.sizes.values())


def test_a_normal_site_built_with_the_cli_says_nothing_of_its_size(tmp_path):
    project = project_with_a_picture(tmp_path)
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert os.path.isdir(project / "site" / "images")
    assert "GitHub Pages" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("built ")
