"""Jupyter notebooks are notes: cells in order, code highlighted, outputs shown under their cell.

The fixture is written from nbformat 4's documented fields (cells, cell_type,
source as a string or a list of lines, outputs by output_type, MIME bundles,
attachments), with outputs as Jupyter writes them: a plot's base64 in lines,
a pandas table with its scoped style and blank lines, a traceback in colour.
"""
from __future__ import annotations

import base64
import io
import json
import re

import pytest
from PIL import Image

from tests.conftest import site_built_as_a_user
from zhsite import pictures as pictures_module


def png_base64(width: int, height: int) -> str:
    picture = Image.new("RGB", (width, height))
    picture.putdata([((x * 5) % 256, (x * 11) % 256, 200) for x in range(width * height)])
    written = io.BytesIO()
    picture.save(written, "PNG")
    data = base64.b64encode(written.getvalue()).decode()
    return "\n".join(data[i:i + 76] for i in range(0, len(data), 76)) + "\n"


PANDAS_TABLE = (
    '<div>\n<style scoped>\n    .dataframe tbody tr th:only-of-type {\n        vertical-align: middle;\n    }\n\n'
    '    .dataframe thead th {\n        text-align: right;\n    }\n</style>\n<table border="1" class="dataframe">\n'
    '  <thead>\n    <tr style="text-align: right;">\n      <th></th>\n      <th>学习率</th>\n    </tr>\n  </thead>\n'
    '  <tbody>\n    <tr>\n      <th>0</th>\n      <td>0.01</td>\n    </tr>\n  </tbody>\n</table>\n</div>'
)
NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# 线性回归\n", "\n", "损失函数 $L = \\frac{1}{n}\\sum_i (y_i - \\hat y_i)^2$。\n", "\n",
                                                            "![推导](attachment:derivation.png)"],
         "attachments": {"derivation.png": {"image/png": png_base64(30, 20)}}},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "import numpy as np\nprint(np.mean([0, 1]))",
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["平均值 0.5\n"]}]},
        {"cell_type": "code", "execution_count": 2, "metadata": {}, "source": ["df.head()"],
         "outputs": [{"output_type": "execute_result", "execution_count": 2, "metadata": {},
                      "data": {"text/html": PANDAS_TABLE, "text/plain": ["   学习率\n", "0  0.01"]}}]},
        {"cell_type": "code", "execution_count": 3, "metadata": {}, "source": ["plt.plot(losses)"],
         "outputs": [{"output_type": "display_data", "metadata": {},
                      "data": {"image/png": png_base64(64, 48), "text/plain": ["<Figure size 640x480 with 1 Axes>"]}}]},
        {"cell_type": "code", "execution_count": 4, "metadata": {}, "source": "1 / 0",
         "outputs": [{"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero",
                      "traceback": ["\u001b[0;31m------\u001b[0m", "\u001b[0;31mZeroDivisionError\u001b[0m: division by zero"]}]},
        {"cell_type": "code", "execution_count": 5, "metadata": {}, "source": "slider",
         "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "ab"}}}]},
        {"cell_type": "code", "execution_count": 6, "metadata": {}, "source": "%config InlineBackend.figure_format = 'svg'\nplt.plot(losses)",
         "outputs": [{"output_type": "display_data", "metadata": {},
                      "data": {"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'><path d='M0 0L9 9'/></svg>", "text/plain": "<Figure SVG>"}}]},
        {"cell_type": "code", "execution_count": 7, "metadata": {}, "source": "fig.show()",
         "outputs": [{"output_type": "display_data", "metadata": {},
                      "data": {"text/html": "<div id='plot'></div><script>Plotly.newPlot('plot', [])</script>"}}]},
        {"cell_type": "raw", "metadata": {}, "source": "\\begin{theorem}原始单元\\end{theorem}"},
        "not a cell",
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    files = {"notebooks/线性回归.ipynb": json.dumps(NOTEBOOK, ensure_ascii=False, indent=1),
             "notebooks/.ipynb_checkpoints/线性回归-checkpoint.ipynb": json.dumps(NOTEBOOK, ensure_ascii=False)}
    site, result = site_built_as_a_user(tmp_path_factory.mktemp("notebooks"), files)
    return site, result, (site / "notes" / "线性回归.html").read_text(encoding="utf-8")


def test_a_notebook_is_one_note_titled_by_its_first_heading_and_its_checkpoint_is_none(built):
    site, result, page = built
    assert result.returncode == 0, result.stderr
    assert "1 notes" in result.stderr.splitlines()[-1] and "code and config" not in result.stderr
    assert re.search(r"<h1>\s*线性回归\s*</h1>", page) and page.count("线性回归</h1>") == 1


def test_markdown_and_code_cells_in_order_with_formulas_and_highlighting(built):
    _, _, page = built
    body = page[page.index('class="entry-body"'):]
    order = [body.index(mark) for mark in ("<math", 'class="language-python"', "平均值 0.5", "学习率", "ZeroDivisionError", "原始单元")]
    assert order == sorted(order)
    assert "\\hat y_i)^2</annotation>" in body and '<span class="kn">import</span>' in body


def test_outputs_show_as_the_notebook_showed_them(built):
    _, _, page = built
    assert re.search(r"<table[^>]*>.*<th>学习率</th>.*<td>0.01</td>", page, re.S), "the pandas table is a table"
    assert "vertical-align" not in page and "text-align: right" not in page, "its style is not shown as text"
    pictures = re.findall(r'<img[^>]*src="data:image/png;base64,iVBORw0KGgo[^"]*"', page)
    assert len(pictures) == 2, "the attachment and the plot"
    assert "Figure size" not in page and "Figure SVG" not in page, "a plot's text stands in only when there is no picture"
    svg = re.search(r'<img[^>]*src="(data:image/svg\+xml;base64,[^"]+)"', page)
    assert svg and b"<path" in pictures_module.data_picture_bytes(svg.group(1)), "an SVG plot shown, filtered"
    assert "\u001b" not in page and "[0;31m" not in page and "ZeroDivisionError</span>" not in page
    assert re.search(r'<code class="language-输出">平均值 0.5</code>', page), "printed text, labelled as output, not highlighted"


def test_what_no_page_shows_is_a_warning_naming_the_cell(built):
    _, result, page = built
    assert "notebook cell not read" in result.stderr
    assert "warning: notebook output shown by no page (2×): content/notebooks/线性回归.ipynb:cell 6, " \
           "content/notebooks/线性回归.ipynb:cell 8" in result.stderr, "a widget, a chart of scripts"
    assert "Plotly" not in page
    assert result.stderr.count("warning") >= 1 and "error" not in result.stderr.replace("0 error(s)", "")


def test_an_nbformat_3_notebook_is_read_as_its_newer_form_is(tmp_path):
    # IPython 1-3 (2013-2015) wrote cells in worksheets, heading cells, a code cell's "input", pyout/pyerr outputs with formats by short key.
    old = {"metadata": {"name": ""}, "nbformat": 3, "nbformat_minor": 0, "worksheets": [{"metadata": {}, "cells": [
        {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["k 近邻"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["距离 $d(x, y)$。"]},
        {"cell_type": "code", "collapsed": False, "input": ["print(3)"], "language": "python", "metadata": {}, "prompt_number": 1,
         "outputs": [{"output_type": "stream", "stream": "stdout", "text": ["3\n"]},
                     {"output_type": "pyout", "prompt_number": 1, "metadata": {}, "png": png_base64(64, 48), "text": ["<matplotlib>"]},
                     {"output_type": "pyerr", "ename": "ValueError", "evalue": "坏值", "traceback": ["\u001b[0;31mValueError\u001b[0m: 坏值"]}]},
    ]}]}
    site, result = site_built_as_a_user(tmp_path, {"cs231n/knn.ipynb": json.dumps(old, ensure_ascii=False)})
    assert result.returncode == 0, result.stderr
    page = (site / "notes" / "knn.html").read_text(encoding="utf-8")
    assert re.search(r"<h1>\s*k 近邻\s*</h1>", page) and "d(x, y)</annotation>" in page
    assert '<code class="language-输出">3</code>' in page and "ValueError: 坏值" in page
    assert re.search(r'<img[^>]*src="data:image/png;base64,iVBORw0KGgo', page) and "&lt;matplotlib&gt;" not in page


def test_a_bare_latex_environment_is_typeset_as_jupyter_typesets_it_and_one_in_code_stays_code(tmp_path):
    # MathJax in Jupyter typesets \begin{align}…\end{align} written without $$ (processEnvironments); as Markdown it
    # was a paragraph of TeX whose \\ line breaks read as escaped backslashes.
    cells = [{"cell_type": "markdown", "metadata": {}, "source": [
        "# 最小二乘\n", "\n", "正规方程：\n", "\\begin{align}\n", "X^T X w &= X^T y \\\\\n", "w &= (X^T X)^{-1} X^T y\n", "\\end{align}\n", "\n",
        "```latex\n", "\\begin{align}\n", "a &= b \\\\\n", "\\end{align}\n", "```\n", "\n", "\\begin{cases} 未闭合"]}]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    site, result = site_built_as_a_user(tmp_path, {"ols.ipynb": json.dumps(notebook, ensure_ascii=False)})
    assert result.returncode == 0, result.stderr
    page = (site / "notes" / "ols.html").read_text(encoding="utf-8")
    formula = re.search(r'<math display="block".*?<annotation encoding="application/x-tex">(.*?)</annotation>', page, re.S)
    assert formula and "X^T X w &amp;= X^T y \\\\\nw &amp;=" in formula[1], "the TeX whole, its \\\\ kept"
    assert 'class="language-latex"' in page and page.count("<math") == 1, "in a code block it is code"
    assert "\\begin{cases} 未闭合" in page, "an environment never closed stays text"
