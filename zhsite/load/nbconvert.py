"""Jupyter notebooks exported as a web page (nbconvert's ``--to html``, JupyterLab's and Notebook's "Download as
HTML"), read as the same notebook read from its ``.ipynb`` (zhsite/load/notebooks.py).

nbconvert writes its lab template (``<body class="jp-Notebook">``, cells ``div.jp-Cell``) or its classic one
(``div#notebook-container``, cells ``div.cell``): every cell in wrappers and prompts, the notebook's stylesheet,
and a MathJax script from the web that typesets the formulas a Markdown cell keeps as written (``$…$``,
``$$…$$``, ``\\(…\\)``, ``\\[…\\]``, ``\\begin{…}``).  Each cell here becomes the blocks the ``.ipynb`` makes:
a Markdown cell its HTML with its formulas as formulas and without the ``¶`` of its headings; a code cell its
code in the highlighter's language, without its ``In [1]:``; each output after it, a picture or a table as shown,
text and errors as blocks labelled 输出, and a widget or a chart of scripts a warning, its text standing in.
"""
from __future__ import annotations

import base64
import re

from lxml import etree
from lxml.html import HtmlElement

from zhsite.load.notebooks import NO_OUTPUT_SHOWN, OUTPUT
from zhsite.problems import Problem
from zhsite.svg import with_svg_case
from zhsite.tree import has_class

CELLS = "cells"  # the id of the element the cells' blocks are gathered in, where EXPORTERS finds the note's text
# The note's title, as a notebook file's: the heading its first cell opens with (zhsite/load/markdown.py take_title).
TITLE = f"//div[@id='{CELLS}']/*[1][self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
_CELL = ("jp-Cell", "cell")  # lab's class, classic's
_RENDERED_MARKDOWN = ("jp-RenderedMarkdown", "text_cell_render")
_CODE = ("jp-InputArea-editor", "input_area")
_OUTPUT = ("jp-OutputArea-output", "output_subarea")
_PICTURES = ("jp-RenderedImage", "jp-RenderedSVG", "output_png", "output_jpeg", "output_gif", "output_svg")
_MARKDOWN_OUTPUT = ("jp-RenderedMarkdown", "jp-RenderedLatex", "output_markdown", "output_latex")
_HTML = ("jp-RenderedHTML", "output_html")
_SCRIPTS = ("jp-RenderedJavaScript", "output_javascript")
_TEXT = ("jp-RenderedText", "output_text", "output_stream", "output_error")
_NO_ALT = "No description has been provided for this image"  # nbconvert's alt for a plot, no words of the author's
_KERNELS = {"ipython": "python", "ipython2": "python", "ipython3": "python"}  # highlighter names of Python
_WIDGET = "application/vnd.jupyter.widget-view+json"


def _with(element: HtmlElement, classes: tuple[str, ...]) -> bool:
    return any(has_class(element, name) for name in classes)


def _all(root: HtmlElement, classes: tuple[str, ...]) -> list[HtmlElement]:
    return [element for element in root.iter("div") if _with(element, classes)]


def gather_cells(document: HtmlElement, source: str, problems: list[Problem]) -> None:
    """The notebook's cells, each as its blocks, in one ``div#cells`` that replaces what the page's body held; what
    lies between the cells (a raw cell nbconvert wrote as it is) kept in its place."""
    body = document.find("body")
    cells = [cell for cell in _all(body, _CELL) if not any(_with(up, _CELL) for up in cell.iterancestors("div"))] if body is not None else []
    if body is None or not cells:
        return
    gathered = body.makeelement("div", {"id": CELLS})
    holder = cells[0].getparent()
    number, each = 0, set(cells)
    for piece in [holder.text, *(part for child in holder for part in (child, child.tail))]:
        if piece is None or isinstance(piece, str) and not piece.strip():
            continue
        if isinstance(piece, str):
            blocks = [_paragraph(piece, holder)]
        elif piece in each:
            number += 1
            blocks = _blocks(piece, source, f"cell {number}", problems)
        else:
            blocks = [piece] if isinstance(piece.tag, str) else []
        for block in blocks:
            block.tail = "\n"  # a block a line, as the Markdown of the notebook file makes them
            gathered.append(block)
    for child in list(body):
        body.remove(child)
    body.text = None
    body.append(gathered)


def _paragraph(text: str, near: HtmlElement) -> HtmlElement:
    paragraph = near.makeelement("p", {})
    paragraph.text = text.strip()
    return paragraph


def _blocks(cell: HtmlElement, source: str, where: str, problems: list[Problem]) -> list[HtmlElement]:
    for anchor in cell.xpath(".//a[contains(concat(' ', normalize-space(@class), ' '), ' anchor-link ')]"):
        anchor.drop_tree()  # the ¶ nbconvert puts after a heading
    if _with(cell, ("jp-MarkdownCell", "text_cell")):
        return [block for rendered in _all(cell, _RENDERED_MARKDOWN)[:1] for block in _markdown(rendered)]
    code = [_code(pre) for editor in _all(cell, _CODE) for pre in editor.iter("pre")][:1]
    outputs = _all(cell, _OUTPUT)
    if not _with(cell, ("jp-CodeCell", "code_cell")):  # a raw cell: its text as written
        return [_paragraph(cell.text_content(), cell)] if cell.text_content().strip() else []
    # A widget (its state as a script, no element shown) or an output of JavaScript: what the notebook showed is lost.
    if cell.xpath(f".//script[@type='{_WIDGET}']") or any(_with(output, _SCRIPTS) for output in outputs):
        problems.append(Problem(source, where, NO_OUTPUT_SHOWN, "a widget or the scripts of its output", severity="warning"))
    shown = [block for output in outputs if not _with(output, _SCRIPTS) for block in _output(output, source, where, problems)]
    return [pre for pre in code if pre[0].text] + shown  # an empty cell shows no empty block, as in its .ipynb


def _markdown(rendered: HtmlElement) -> list[HtmlElement]:
    """A Markdown cell's HTML: its formulas made formula elements (zhsite/rewrite/math.py), a Mermaid diagram its code."""
    for diagram in [element for element in rendered.iter("pre") if has_class(element, "mermaid")]:
        holder = diagram.getparent() if has_class(diagram.getparent(), "jp-Mermaid") else diagram
        holder.getparent().replace(holder, _pre(diagram.text_content(), "mermaid", holder))
    for element in list(rendered.iter()):
        if isinstance(element.tag, str) and element.tag not in ("pre", "code", "script", "style"):
            _formulas_in(element)
    for paragraph in list(rendered.iter("p")):  # $$…$$ alone in its paragraph: a displayed formula, a block of its own
        if len(paragraph) == 1 and paragraph[0].get("class") == "math display" and not (paragraph.text or "").strip() \
                and not (paragraph[0].tail or "").strip():
            paragraph[0].tag, paragraph[0].tail = "div", paragraph.tail
            paragraph.getparent().replace(paragraph, paragraph[0])
    blocks = list(rendered)
    if rendered.text and rendered.text.strip():
        blocks.insert(0, _paragraph(rendered.text, rendered))
    return blocks


def _code(pre: HtmlElement) -> HtmlElement:
    """The code of a cell's input, labelled with its language (the highlighter's ``hl-python``), to be highlighted again."""
    language = ""
    for up in pre.iterancestors("div"):
        language = next((name[3:] for name in (up.get("class") or "").split() if name.startswith("hl-")), "")
        if language or _with(up, _CODE):
            break
    return _pre(pre.text_content(), _KERNELS.get(language, language), pre)


def _pre(text: str, language: str, near: HtmlElement) -> HtmlElement:
    pre = near.makeelement("pre", {})
    code = etree.SubElement(pre, "code", {"class": f"language-{language}"} if language else {})
    code.text = text.strip("\n")
    return pre


def _output(output: HtmlElement, source: str, where: str, problems: list[Problem]) -> list[HtmlElement]:
    """One output as a reader of the notebook saw it under its cell."""
    kind = output.get("data-mime-type") or ""
    if _with(output, _PICTURES):
        return [_picture(picture) for picture in output.iter("img", "svg")][:1]
    if _with(output, _MARKDOWN_OUTPUT) or kind in ("text/markdown", "text/latex"):
        return _markdown(output)
    if _with(output, _HTML):
        if output.xpath(".//script"):
            problems.append(Problem(source, where, NO_OUTPUT_SHOWN, "the scripts of its text/html", severity="warning"))
        return _contents(output)
    if _with(output, _TEXT) or output.find("pre") is not None:
        return [_pre(output.text_content(), OUTPUT, output)]
    return _contents(output)


def _contents(output: HtmlElement) -> list[HtmlElement]:
    blocks = list(output)
    if output.text and output.text.strip():
        blocks.insert(0, _pre(output.text, OUTPUT, output))
    return blocks


def _picture(picture: HtmlElement) -> HtmlElement:
    """A plot as a picture in its paragraph: an ``<img>`` as written (without nbconvert's alt), an SVG written inline as
    its data: URL (filtered as every SVG the site shows)."""
    paragraph = picture.makeelement("p", {})  # in a paragraph, as Markdown's ![](…) puts it
    if picture.tag == "img":
        if picture.get("alt") == _NO_ALT:
            picture.set("alt", "")
        picture.tail = None
        paragraph.append(picture)
        return paragraph
    svg = with_svg_case(etree.tostring(picture, encoding="unicode", with_tail=False))
    encoded = base64.b64encode(svg.encode("utf-8")).decode()
    etree.SubElement(paragraph, "img", {"src": f"data:image/svg+xml;base64,{encoded}", "alt": ""})
    return paragraph


# Where a formula may begin in a Markdown cell's text, as MathJax reads it there (nbconvert's tex2jax
# configuration: $ and \( inline, $$ and \[ displayed, environments processed, \$ a dollar sign).
_OPENING = re.compile(r"\\\$|\$\$|\$|\\\(|\\\[|\\begin\{([A-Za-z]+\*?)\}")
_CLOSING = {"$$": "$$", "$": "$", "\\(": "\\)", "\\[": "\\]"}


def _formulas_in(element: HtmlElement) -> None:
    """The formulas of *element*'s own text and of its children's tails, each made a ``span.math``."""
    if element.text and ("$" in element.text or "\\" in element.text):
        element.text, formulas = _pieces(element.text)
        for at, span in enumerate(_spans(element, formulas)):
            element.insert(at, span)
    for child in list(element):
        if child.tail and ("$" in child.tail or "\\" in child.tail):
            child.tail, formulas = _pieces(child.tail)
            for span in reversed(_spans(element, formulas)):
                child.addnext(span)


def _spans(near: HtmlElement, formulas: list[tuple[str, bool, str]]) -> list[HtmlElement]:
    """(TeX, displayed, the text after it) as formula spans, each with that text as its tail."""
    spans = []
    for tex, display, after in formulas:
        span = near.makeelement("span", {"class": "math display" if display else "math inline"})
        span.text, span.tail = tex, after
        spans.append(span)
    return spans


def _pieces(text: str) -> tuple[str, list[tuple[str, bool, str]]]:
    """*text*'s text before its first formula, and (TeX, displayed, the text after it) for each formula.

    A delimiter with no closing after it has none after any later one either, so it is looked for no more: a text
    of many unclosed ``\\(`` is read in one pass, not in one from each."""
    texts: list[str] = []  # the plain text before each formula, then after the last
    formulas: list[tuple[str, bool]] = []
    plain, at, unclosed = [], 0, set()
    while (opening := _OPENING.search(text, at)) is not None:
        start, mark = opening.start(), opening[0]
        closing = "" if mark == "\\$" else f"\\end{{{opening[1]}}}" if opening[1] else _CLOSING[mark]
        end = text.find(closing, opening.end()) if closing and closing not in unclosed else -1
        tex = text[opening.end():end] if end >= 0 else ""
        if end < 0 or not tex.strip() or (mark == "$" and (tex[0].isspace() or tex[-1].isspace())):
            if closing and end < 0:
                unclosed.add(closing)
            plain.append(text[at:start] + "$" if mark == "\\$" else text[at:start + 1])
            at = opening.end() if mark == "\\$" else start + 1
            continue
        texts.append("".join([*plain, text[at:start]]))
        plain, at = [], end + len(closing)
        formulas.append((text[start:at] if opening[1] else tex.strip(), mark not in ("$", "\\(")))
    texts.append("".join([*plain, text[at:]]))
    return texts[0], [(tex, display, after) for (tex, display), after in zip(formulas, texts[1:], strict=True)]


__all__ = ["CELLS", "TITLE", "gather_cells"]
