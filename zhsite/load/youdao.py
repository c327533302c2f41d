"""有道云笔记 (Youdao Note) notes as the app stores them: ``<title>.note``, XML of paragraphs, headings, code and lists.

A note of Youdao's new editor is XML, ``<note xmlns="http://note.youdao.com">``:
its ``<head>`` names each list's kind (``<list id type="ordered">``), its
``<body>`` holds one element a block: ``para``, ``heading level``, ``image``
(``source``, ``text``), ``attach`` (``filename``, ``resource``), ``code``
(``text``, ``language``), ``todo``, ``quote``, ``horizontal-line``,
``list-item list-id level``, ``table`` (its cells as JSON in ``content``), and
the editor's contents list (``catalogue``); a block's ``inline-styles`` mark
ranges of its text bold, italic, struck through or linked, by offsets.  Tools
that download a Youdao account (youdaonote-pull and others) keep these files;
one was a skipped XML file.

Each becomes a note titled by its file's name, its blocks as HTML, its inline
styles kept, its pictures and attachments from their addresses; the
contents list is left out (the note's page makes its own).

Notes of the editor since 2021 are JSON of numbered keys instead
(youdaonote-pull's converter reads them so): ``{"5": [block, …]}``, a block
``{"4": {its attributes}, "5": [its parts], "6": its kind}`` (no kind a
paragraph, ``h`` a heading of ``4.l`` ``h1``…, ``l`` a list item of
``4.lt`` ordered or not, ``q`` a quote, ``hr``, ``im`` a picture at ``4.u``,
``a`` an attachment ``4.fn`` at ``4.re``, ``cd`` code in ``4.la``, ``t`` a
table of ``tr`` rows of ``tc`` cells), a run of text ``{"7": [{"8": text,
"9": [{"2": "b"}]}]}`` (``b`` bold, ``i`` italic), a link ``{"6": "li",
"4": {"hf": address}, "5": […]}``.  It was an unknown archive shape, an
error; it is read the same way.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import partial
from itertools import groupby
from pathlib import PurePosixPath

from lxml import etree

from zhsite.load.htmlfile import read_html
from zhsite.load.jsontext import parse_json
from zhsite.load.loaded import Loaded
from zhsite.load.xmltext import parse_xml
from zhsite.problems import Problem

NOT_READ = "有道云笔记 note that cannot be read"
CUT_SHORT = "有道云笔记 note cut short"
_NS = "{http://note.youdao.com}"
# Inline styles kept, as the tag each wraps its range in.
_STYLES = {"bold": "strong", "italic": "em", "strike": "del", "line-through": "del", "underline": "u"}


def is_youdao_note(text: str) -> bool:
    return bool(re.search(r"<note\b[^<>]*\bxmlns=[\"']http://note\.youdao\.com", text[:2000]))


def read_youdao_note(text: str, source: str) -> Loaded:
    """The note, titled by its file's name."""
    root, damage = parse_xml(text)
    body = root.find(f"{_NS}body") if root is not None else None
    if body is None:
        return Loaded(problems=[Problem(source, damage.where if damage else "", NOT_READ, damage.message if damage else "it holds no <body>")])
    kinds = {item.get("id"): item.get("type") for item in root.iter(f"{_NS}list")}
    title = html.escape(PurePosixPath(source).stem)
    problems: list[Problem] = []
    if damage is not None:  # cut off or damaged: the blocks before the break are read, the rest said lost there
        problems.append(Problem(source, damage.where, CUT_SHORT, f"{damage.message}; the text before it is read"))
    read = read_html(f"<h1>{title}</h1>\n" + "\n".join(_blocks(body, kinds, partial(_table, source=source, problems=problems))), source)
    read.problems += problems
    return read


def _blocks(body: etree._Element, kinds: dict[str | None, str | None], table: Callable[[str], str]) -> list[str]:
    """Each block as HTML, a run of list items one list."""
    pieces = []
    for block in body:
        name = block.tag.removeprefix(_NS) if isinstance(block.tag, str) else ""
        if name == "list-item":
            pieces.append(("ol" if kinds.get(block.get("list-id")) == "ordered" else "ul", f"<li>{_styled(block)}</li>"))
        else:
            pieces.append(("", table(_child(block, "content")) if name == "table" else _block(name, block)))
    return _grouped(pieces)


def _grouped(pieces: list[tuple[str, str]]) -> list[str]:
    """The blocks' HTML, each run of list items (given with their list's tag, ``ul`` or ``ol``) one list."""
    shown = []
    for tag, run in groupby(pieces, key=lambda piece: piece[0]):
        items = [piece for _, piece in run]
        shown += [f"<{tag}>{''.join(items)}</{tag}>"] if tag else items
    return [block for block in shown if block]


def _block(name: str, block: etree._Element) -> str:
    if name == "heading":
        level = min(max(int(block.get("level")) if (block.get("level") or "").isdigit() else 1, 1), 6)
        return f"<h{level}>{_styled(block)}</h{level}>" if _text(block) else ""
    if name == "image":
        return f'<p><img src="{html.escape(_child(block, "source"))}" alt="{html.escape(_child(block, "text"))}"></p>'
    if name == "attach":
        return f'<p><a href="{html.escape(_child(block, "resource"))}">{html.escape(_child(block, "filename"))}</a></p>'
    if name == "code":
        return f'<pre><code class="language-{html.escape(_child(block, "language"))}">{html.escape(_text(block))}</code></pre>'
    if name == "todo":
        return f'<p><input type="checkbox" disabled{" checked" if block.get("checked") == "true" else ""}> {_styled(block)}</p>'
    if name == "quote":
        return f"<blockquote><p>{_styled(block)}</p></blockquote>"
    if name == "horizontal-line":
        return "<hr>"
    if name == "catalogue":
        return ""
    return f"<p>{_styled(block)}</p>" if _text(block) else ""


def _child(block: etree._Element, name: str) -> str:
    found = block.find(f"{_NS}{name}")
    return found.text or "" if found is not None else ""


def _text(block: etree._Element) -> str:
    return _child(block, "text")


def _styled(block: etree._Element) -> str:
    """The block's text with its inline styles' ranges marked (bold, italic, struck, underlined, linked)."""
    written = _text(block)
    marks: list[tuple[int, int, str, str]] = []
    styles = block.find(f"{_NS}inline-styles")
    for style in styles if styles is not None else ():
        name = style.tag.removeprefix(_NS) if isinstance(style.tag, str) else ""
        start, end = _number(style, "from"), _number(style, "to")
        if (name in _STYLES or name == "href") and 0 <= start < end <= len(written):
            marks.append((start, end, name, _child(style, "value")))
    cuts = sorted({0, len(written), *(at for start, end, _, _ in marks for at in (start, end))})
    parts = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(written[start:end])
        for _, _, name, value in (mark for mark in marks if mark[0] <= start and end <= mark[1]):
            piece = f'<a href="{html.escape(value)}">{piece}</a>' if name == "href" else f"<{_STYLES[name]}>{piece}</{_STYLES[name]}>"
        parts.append(piece)
    return "".join(parts)


def _number(style: etree._Element, name: str) -> int:
    value = _child(style, name).strip()
    return int(value) if value.isdigit() else -1


def _table(content: str, source: str, problems: list[Problem]) -> str:
    """A table from its JSON (``{"widths": [...], "cells": [{"value"}]}``, its cells row by row); one that does not
    parse is said, its place a line saying so."""
    data, said = parse_json(content, source)
    problems += said
    data = data if isinstance(data, dict) else {}
    width = len(data["widths"]) if isinstance(data.get("widths"), list) else 0
    cells = [cell.get("value") if isinstance(cell, dict) else "" for cell in data["cells"]] if isinstance(data.get("cells"), list) else []
    if not width or not cells:
        return "<p>[表格]</p>" if said else ""
    rows = [cells[at:at + width] for at in range(0, len(cells), width)]
    return "<table>" + "".join("<tr>" + "".join(f"<td>{html.escape(str(value or ''))}</td>" for value in row) + "</tr>"
                               for row in rows) + "</table>"


def is_youdao_json(data: object) -> bool:
    """A note of Youdao's newer editor: numbered keys, its blocks a list under "5" (``{"2": "1", "4": {…}, "5": […]}``)."""
    return isinstance(data, dict) and isinstance(data.get("5"), list) and isinstance(data.get("4"), dict) and all(
        key.isdigit() for key in data)


def read_youdao_json(data: dict, source: str) -> Loaded:
    """The note, titled by its file's name, its blocks as the XML notes' are."""
    pieces = []
    for block in (block for block in data["5"] if isinstance(block, dict)):
        attributes = block.get("4") if isinstance(block.get("4"), dict) else {}
        if block.get("6") == "l":
            pieces.append(("ol" if attributes.get("lt") == "ordered" else "ul", f"<li>{_runs(block)}</li>"))
        else:
            pieces.append(("", _json_block(block, attributes)))
    title = html.escape(PurePosixPath(source).stem)
    return read_html(f"<h1>{title}</h1>\n" + "\n".join(_grouped(pieces)), source)


def _json_block(block: dict, attributes: dict) -> str:
    kind, shown = block.get("6"), _runs(block)
    if kind == "h":
        level = str(attributes.get("l") or "h1").removeprefix("h")
        tag = f"h{min(max(int(level), 1), 6)}" if level.isdigit() else "h2"
        return f"<{tag}>{shown}</{tag}>" if shown else ""
    if kind == "im":
        return f'<p><img src="{html.escape(str(attributes.get("u") or ""))}" alt=""></p>'
    if kind == "a":
        return f'<p><a href="{html.escape(str(attributes.get("re") or ""))}">{html.escape(str(attributes.get("fn") or ""))}</a></p>'
    if kind in ("cd", "la"):
        lines = [_plain(line) for line in _parts(block)]
        return f'<pre><code class="language-{html.escape(str(attributes.get("la") or ""))}">{html.escape(chr(10).join(lines))}</code></pre>'
    if kind == "q":
        return "<blockquote>" + "".join(f"<p>{_runs(part)}</p>" for part in _parts(block)) + "</blockquote>"
    if kind == "hr":
        return "<hr>"
    if kind == "t":
        rows = ["<tr>" + "".join(f"<td>{_runs(cell, deep=True)}</td>" for cell in _parts(row)) + "</tr>" for row in _parts(block)]
        return f"<table>{''.join(rows)}</table>"
    return f"<p>{shown}</p>" if shown else ""


def _parts(node: dict) -> list[dict]:
    return [part for part in node.get("5") or [] if isinstance(part, dict)] if isinstance(node.get("5"), list) else []


def _runs(node: dict, deep: bool = False, depth: int = 0) -> str:
    """A block's text as HTML: its runs with their bold and italic, its links; *deep*: a table cell's paragraphs too.
    Parts nested past _MAX_DEPTH (no editor writes them) are their plain text."""
    if depth > _MAX_DEPTH:
        return html.escape(_plain(node))
    shown = []
    for part in _parts(node):
        if isinstance(part.get("7"), list):
            shown.append("".join(_run(run) for run in part["7"] if isinstance(run, dict)))
        elif part.get("6") == "li":
            address = (part.get("4") or {}).get("hf") if isinstance(part.get("4"), dict) else ""
            shown.append(f'<a href="{html.escape(str(address or ""))}">{_runs(part, depth=depth + 1)}</a>')
        elif deep:
            shown.append(_runs(part, deep, depth + 1))
    return "".join(shown)


_MAX_DEPTH = 20


def _run(run: dict) -> str:
    written = html.escape(str(run.get("8") or ""))
    styles = {style.get("2") for style in run.get("9") or [] if isinstance(style, dict)} if isinstance(run.get("9"), list) else set()
    written = f"<strong>{written}</strong>" if "b" in styles else written
    return f"<em>{written}</em>" if "i" in styles else written


def _plain(node: dict) -> str:
    return "".join(str(run.get("8") or "") for part in [node, *_parts(node)] for run in (part.get("7") or [])
                   if isinstance(part.get("7"), list) and isinstance(run, dict))
