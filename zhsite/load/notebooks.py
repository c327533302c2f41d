"""Jupyter notebooks (``.ipynb``, nbformat 4, and 3 before it) as notes: what a learner of machine learning writes most.

A notebook is JSON: cells of Markdown and code, each code cell with the
outputs it printed, showed or raised (nbformat's documented fields: ``cells``,
``cell_type``, ``source``, ``outputs``, ``output_type``, ``data`` by MIME type,
``attachments``).  It is read as the Markdown its cells make, in order, so a
notebook is titled, typeset and highlighted as a Markdown note is
(zhsite/load/markdown.py): Markdown cells as written (a pasted picture,
``attachment:x.png``, put in as its ``data:`` URL), code cells as code blocks
in the kernel's language, each output after its cell: a plot as the picture
(PNG, JPEG, GIF, or SVG, filtered as every SVG the site shows), a table as its HTML (pandas), Markdown and LaTeX as such,
text and errors as plain blocks labelled 输出 (the terminal's colour codes left out).  An
output no page shows as the notebook did (a widget, a PDF, a chart of
scripts) is a warning naming the cell, its plain text standing in if it has one.
"""
from __future__ import annotations

import base64
import re
from typing import Any

from zhsite.load.loaded import Loaded
from zhsite.load.markdown import read_markdown
from zhsite.problems import Problem

NO_OUTPUT_SHOWN = "notebook output shown by no page"
CELL_NOT_READ = "notebook cell not read"
# The pictures a page shows inline, in the order an output is looked at for one (pictures.DATA_PICTURE's formats).
PICTURES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")  # an SVG as text, the others in base64
# Outputs no page shows as the notebook did: said, with what stands in for them (their text), if anything.
UNSHOWN = frozenset({"application/pdf", "application/javascript", "text/javascript",
                     "application/vnd.plotly.v1+json", "application/vnd.bokehjs_exec.v0+json", "application/vnd.jupyter.widget-view+json"})
# The label of an output's block (its "language", shown above it as a code block's is): what Jupyter calls Out.
OUTPUT = "输出"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # a traceback's colours
_BACKTICKS = re.compile(r"`{3,}")
_BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")


def _html_block(html: str) -> str:
    """An HTML output (a pandas table) as one block of the Markdown: no blank line inside (pandas writes some in its
    ``<style>``), where Markdown would end the block and show the rest as text; the sanitiser drops the style."""
    return _BLANK_LINES.sub("", html).strip()


def is_notebook(data: Any) -> bool:
    """nbformat 4, or 3 (IPython 1-3, 2013-2015: many a course's notebooks), whose cells are in worksheets."""
    return isinstance(data, dict) and ((data.get("nbformat") == 4 and isinstance(data.get("cells"), list))
                                       or (data.get("nbformat") == 3 and isinstance(data.get("worksheets"), list)))


def read_notebook(data: dict, source: str) -> Loaded:
    """The notebook as the Markdown note its cells make."""
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    language = _language(metadata)
    problems: list[Problem] = []
    parts = []
    for number, cell in enumerate(data["cells"] if data["nbformat"] == 4 else _cells_of_v3(data), 1):
        where = f"cell {number}"
        if not isinstance(cell, dict):
            problems.append(Problem(source, where, CELL_NOT_READ, f"a {type(cell).__name__}, not a cell", severity="warning"))
            continue
        parts += _cell(cell, language, source, where, problems)
    read = read_markdown("\n\n".join(part.strip("\n") for part in parts if part.strip()) + "\n", source)
    read.problems[:0] = problems
    return read


# nbformat 3's outputs: pyout and pyerr for execute_result and error, each format under a short key, not in "data".
_V3_OUTPUTS = {"pyout": "execute_result", "pyerr": "error"}
_V3_DATA = {"text": "text/plain", "html": "text/html", "png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml",
            "latex": "text/latex", "markdown": "text/markdown", "javascript": "application/javascript", "pdf": "application/pdf"}


def _cells_of_v3(data: dict) -> list:
    """An nbformat 3 notebook's cells as nbformat 4 writes them: a heading cell as Markdown, a code cell's ``input``
    as its source, each output's formats under ``data``."""
    cells: list = []
    for sheet in data["worksheets"]:
        for cell in sheet.get("cells") if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list) else []:
            kind = cell.get("cell_type") if isinstance(cell, dict) else None
            if kind == "heading":
                level = cell.get("level") if isinstance(cell.get("level"), int) else 1
                cell = {"cell_type": "markdown", "source": f"{'#' * min(max(level, 1), 6)} {_text(cell.get('source'))}"}
            elif kind == "code":
                outputs = cell.get("outputs") if isinstance(cell.get("outputs"), list) else []
                cell = {"cell_type": "code", "source": cell.get("input"), "outputs": [_output_of_v3(output) for output in outputs]}
            cells.append(cell)
    return cells


def _output_of_v3(output: Any) -> Any:
    if not isinstance(output, dict):
        return output
    kind = _V3_OUTPUTS.get(output.get("output_type"), output.get("output_type"))
    if kind in ("stream", "error"):
        return {**output, "output_type": kind}
    return {"output_type": kind, "data": {_V3_DATA[key]: value for key, value in output.items() if key in _V3_DATA}}


def _language(metadata: dict) -> str:
    """The kernel's language (``python``, ``r``, ``julia``) for its code cells' blocks."""
    for table, key in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(table)
        if isinstance(value, dict) and isinstance(value.get(key), str) and value[key].strip():
            return value[key].strip().lower()
    return "python"


def _cell(cell: dict, language: str, source: str, where: str, problems: list[Problem]) -> list[str]:
    kind, text = cell.get("cell_type"), _text(cell.get("source"))
    if kind == "markdown":
        return [_with_attachments(_environments_displayed(text), cell.get("attachments"))]
    if kind == "code":
        outputs = cell.get("outputs") if isinstance(cell.get("outputs"), list) else []
        return [_fenced(text, language), *(_output(output, source, where, problems) for output in outputs)]
    return [_fenced(text, "text")]  # a raw cell (LaTeX or reST for nbconvert): kept as written


def _text(value: Any) -> str:
    """A multiline string as nbformat writes it: a string, or a list of lines each with its newline."""
    if isinstance(value, list):
        return "".join(line for line in value if isinstance(line, str))
    return value if isinstance(value, str) else ""


def _fenced(text: str, language: str) -> str:
    """*text* as a fenced code block, its fence longer than any run of backquotes inside it."""
    if not text.strip():
        return ""
    fence = "`" * max([3, *(len(run) + 1 for run in _BACKTICKS.findall(text))])
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BARE_BEGIN = re.compile(r"\s*\\begin\{([A-Za-z]+\*?)\}")


def _environments_displayed(text: str) -> str:
    """A LaTeX environment a Markdown cell writes bare, from a line opening with ``\\begin{align}`` to its ``\\end{align}``,
    put between ``$$`` lines: Jupyter typesets it (MathJax's ``processEnvironments``), where Markdown read it as text
    and each ``\\\\`` as an escaped backslash.  Not in a code block or between ``$$`` lines; an environment never
    closed is looked for no more, so a cell of many is read in one pass."""
    if "\\begin{" not in text:
        return text
    lines, out, fence, in_math, unclosed, at = text.split("\n"), [], "", False, set(), 0
    while at < len(lines):
        line, at = lines[at], at + 1
        opening = _FENCE.match(line) if not in_math else None
        if fence or opening:
            fence = "" if fence and line.strip().startswith(fence) and not line.strip().strip(fence[0]) else fence or opening[1]
            out.append(line)
            continue
        in_math ^= line.count("$$") % 2 == 1
        begin = _BARE_BEGIN.match(line) if not in_math else None
        end = f"\\end{{{begin[1]}}}" if begin else ""
        last = next((n for n in range(at - 1, len(lines)) if end in lines[n]), None) if end and end not in unclosed else None
        if last is None:
            unclosed.update([end] if end else [])
            out.append(line)
            continue
        out += ["", "$$", *lines[at - 1:last + 1], "$$", ""]  # blank lines: a block of its own, not inline in a paragraph
        at = last + 1
    return "\n".join(out)


def _with_attachments(text: str, attachments: Any) -> str:
    """A Markdown cell with each ``attachment:name`` it shows replaced by the picture's ``data:`` URL."""
    if not isinstance(attachments, dict):
        return text
    for name, bundle in attachments.items():
        url = _picture(bundle) if isinstance(bundle, dict) else ""
        if url:
            text = text.replace(f"attachment:{name}", url)
    return text


def _picture(bundle: dict) -> str:
    """The first picture of a MIME bundle as a ``data:`` URL (its base64 without the line breaks nbformat may keep)."""
    for mime in PICTURES:
        data = _text(bundle.get(mime))
        if data.strip():
            encoded = base64.b64encode(data.encode("utf-8")).decode() if mime == "image/svg+xml" else "".join(data.split())
            return f"data:{mime};base64,{encoded}"
    return ""


def _output(output: Any, source: str, where: str, problems: list[Problem]) -> str:
    """One output of a code cell as Markdown: what a reader of the notebook saw under the cell."""
    if not isinstance(output, dict):
        return ""
    kind = output.get("output_type")
    if kind == "stream":
        return _fenced(_ANSI.sub("", _text(output.get("text"))), OUTPUT)
    if kind == "error":
        lines = output.get("traceback") if isinstance(output.get("traceback"), list) else []
        text = "\n".join(_ANSI.sub("", line) for line in lines if isinstance(line, str))
        return _fenced(text or f"{output.get('ename', '')}: {output.get('evalue', '')}", OUTPUT)
    bundle = output.get("data") if isinstance(output.get("data"), dict) else {}
    picture = _picture(bundle)
    if picture:
        return f"![]({picture})"
    shown = _shown(bundle)
    # A PDF, a widget, an interactive chart (Plotly, Bokeh: a page of scripts): shown by its text at most, and said.
    lost = sorted(bundle.keys() & UNSHOWN) or (sorted(bundle) if not shown else [])
    if "<script" in shown.lower():
        lost.append("the scripts of its text/html")
    if lost:
        problems.append(Problem(source, where, NO_OUTPUT_SHOWN, ", ".join(lost), severity="warning"))
    return shown


def _shown(bundle: dict) -> str:
    """The output as the page can show it: its HTML (a table), Markdown or LaTeX, else its text; "" when none."""
    if _text(bundle.get("text/html")).strip():
        return _html_block(_text(bundle["text/html"]))
    for mime in ("text/markdown", "text/latex"):
        if _text(bundle.get(mime)).strip():
            return _text(bundle[mime])
    return _fenced(_text(bundle["text/plain"]), OUTPUT) if _text(bundle.get("text/plain")).strip() else ""
