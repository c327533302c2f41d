"""Archives nobody here wrote (issue #27): formulas, pictures and emphasis as their exporters write them, built with the CLI."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import site_built_as_a_user

# An exporter that left the equation URL's `&` unencoded; the alt holds the TeX whole.
MATRIX = r"\begin{array}{cc}1&0\\0&1\end{array}"
EQUATION_IMG = (f'<img eeimg="1" src="https://www.zhihu.com/equation?tex={MATRIX}" '
                f'alt="{MATRIX.replace("&", "&amp;")}">')

NOTE = f"""---
title: 多体笔记
---

正文第一段，矩阵 {EQUATION_IMG} 在此。

<img src="https://pic1.zhimg.com/v2-abc_b.jpg" width=50%>
$$
E = mc^2
$$

**定义（TFD）：**TFD 是一个定义。

坏公式在第 14 行 $\\nosuchcommand x$ 这里。
"""


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def notes_site(tmp_path_factory):
    return site_built_as_a_user(tmp_path_factory.mktemp("long-tail"), {"notes/many-body.md": NOTE})


def test_an_equation_url_cut_at_an_unencoded_ampersand_is_typeset_whole(notes_site):
    site, _ = notes_site
    body = page(site, "notes/many-body.html").select_one(".entry-body")
    tex = [a.get_text() for a in body.select("math annotation")]
    assert MATRIX in tex
    matrix = next(m for m in body.select("math") if m.annotation.get_text() == MATRIX)
    assert len(matrix.select("mtr")) == 2 and len(matrix.select("mtd")) == 4


def test_display_math_right_after_an_html_line_is_typeset(notes_site):
    site, _ = notes_site
    body = page(site, "notes/many-body.html").select_one(".entry-body")
    assert "E = mc^2" in [m.annotation.get_text() for m in body.select('math[display="block"]')]
    assert "$$" not in body.get_text()


def test_emphasis_next_to_full_width_punctuation_is_bold(notes_site):
    site, _ = notes_site
    body = page(site, "notes/many-body.html").select_one(".entry-body")
    assert "定义（TFD）：" in [strong.get_text() for strong in body.select("strong")]
    assert "**" not in body.get_text()


def test_a_formula_that_cannot_be_typeset_is_warned_about_at_its_line_naming_the_file_once(notes_site):
    _, result = notes_site
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if "formula could not be typeset" in line]
    assert len(lines) == 1, lines
    assert "content/notes/many-body.md:14" in lines[0]
    assert lines[0].count("many-body.md") == 1


def test_a_picture_has_no_tex_or_mathml_text_for_alt(notes_site):
    site, _ = notes_site
    img = page(site, "notes/many-body.html").select_one(".entry-body img")
    assert img is not None
    assert "mc" not in img["alt"] and "\\" not in img["alt"]
