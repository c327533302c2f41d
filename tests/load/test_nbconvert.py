"""A Jupyter notebook exported as a web page is the note its ``.ipynb`` is, not a page snapshot skipped.

``nbconvert/`` holds pages nbconvert 7.17 made (``jupyter nbconvert --to html``,
its lab template and ``--template classic``) of notebooks written for these
tests, their stylesheets and scripts cut: ``笔记.ipynb`` and its two pages;
``r-lab.html``, an R notebook (an SVG plot, a Markdown output, a raw cell, a
LaTeX environment and dollar amounts in a Markdown cell, a Mermaid diagram);
and ``old-classic.html``, written after nbconvert 5's classic page, which put
an SVG plot inline and a widget as its state's script, and kept ``\\(…\\)``.
"""
from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from tests.conftest import site_built_as_a_user
from zhsite.load.nbconvert import _pieces

PAGES = Path(__file__).parent / "nbconvert"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    files = {f"notebooks/{path.name}": path.read_bytes() for path in PAGES.iterdir()}
    return site_built_as_a_user(tmp_path_factory.mktemp("nbconvert"), files)


def article(site: Path, name: str) -> str:
    page = (site / "notes" / name).read_text(encoding="utf-8")
    return page[page.index("<article"):page.index("</article>")]


def test_each_page_is_a_note_and_a_notebooks_two_pages_show_what_its_file_shows(built):
    site, result = built
    assert "page snapshot" not in result.stderr, "no notebook page is skipped"
    assert "5 notes" in result.stderr.splitlines()[-1]
    from_file = article(site, "笔记.html")
    assert re.search(r"<h1>\s*卷积神经网络笔记\s*</h1>", from_file), "titled by its first heading"
    assert article(site, "lab.html") == from_file
    assert article(site, "classic.html") == from_file


def test_a_page_shows_no_prompt_pilcrow_nbconvert_alt_style_or_script(built):
    site, _ = built
    for name in ("lab.html", "classic.html", "r-lab.html", "old-classic.html"):
        shown = article(site, name)
        for left_out in ("In [", "In&nbsp;[", "Out[", "¶", "No description has been provided", "MathJax", "jp-", "<script", "<style"):
            assert left_out not in shown, (name, left_out)


def test_code_in_its_language_outputs_labelled_and_formulas_typeset(built):
    site, _ = built
    shown = article(site, "r-lab.html")
    assert '<code class="language-r"><span class="nf">plot</span>' in shown, "R from the highlighter's hl-R"
    assert '<code class="language-输出">IntSlider(value=3)</code>' in shown, "a widget's text where its state was not saved"
    assert re.search(r'<math display="block"[^>]*>.*\\begin\{align\}', shown, re.S), "an environment typeset, as MathJax did"
    assert "e^x</annotation>" in shown, "a Markdown output's formula"
    assert "价格 $5，还有 $5 和 $6 元。" in shown, "dollar amounts stay text"
    assert '<code class="language-mermaid">graph TD; A--&gt;B</code>' in shown
    assert "<p>原始单元</p>" in shown, "a raw cell between the cells kept"
    assert re.search(r"<h1>\s*记号\s*</h1>", (site / "notes" / "r-lab.html").read_text(encoding="utf-8")), \
        "titled by the heading it opens with, as its .ipynb is"


def test_an_inline_svg_plot_is_shown_with_its_names_as_written_and_a_widget_is_a_warning(built):
    site, result = built
    shown = article(site, "old-classic.html")
    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', shown)[1]).decode()
    assert 'viewBox="0 0 20 10"' in svg and "<clipPath" in svg and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "\\frac{2}{\\|w\\|}</annotation>" in shown and '<math display="block"' in shown
    assert "本课 $30，一个孤立的 $ 号，\\( 没有闭合。" in shown, "an escaped dollar, and delimiters never closed, as text"
    assert "content/notebooks/old-classic.html:cell 3: warning: notebook output shown by no page" in result.stderr
    assert result.returncode == 0, "warnings only"


def test_formulas_are_found_in_one_pass_whatever_is_left_unclosed():
    text = "\\(" * 20_000 + "$a$ 与 $$b$$"
    before, formulas = _pieces(text)
    assert before == "\\(" * 20_000 and formulas == [("a", False, " 与 "), ("b", True, "")]
    assert _pieces("$ a$ 和 $5") == ("$ a$ 和 $5", [])
    assert _pieces("\\begin{align*}x\\end{align*}后") == ("", [("\\begin{align*}x\\end{align*}", True, "后")])


def test_code_and_outputs_whose_lines_look_like_labels_stay_in_place(tmp_path):
    # An HTML note's label lines (Date:, Author:, Link:) are its fields; a line of code or output never is.
    page = (PAGES / "lab.html").read_text(encoding="utf-8").replace("形状 (3, 4)\n", "形状 (3, 4)\nDate: 2024-01-05\nAuthor: 我\n")
    page = page.replace('<span class="p">))</span>\n', '<span class="p">))</span>\nTime: 3\n')
    site, result = site_built_as_a_user(tmp_path, {"笔记.html": page})
    assert result.returncode == 0, result.stderr
    shown = article(site, "笔记.html")
    assert '<code class="language-输出">形状 (3, 4)\nDate: 2024-01-05\nAuthor: 我</code>' in shown
    assert "Time: 3" in re.sub(r"<[^>]+>", "", shown) and "<time" not in shown, "the code keeps its line; no date taken from it"
