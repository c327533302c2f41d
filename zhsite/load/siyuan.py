"""思源笔记 (SiYuan) documents as its workspace keeps them (``data/<notebook>/<id>.sy``): each a note.

A ``.sy`` file is JSON: the document's tree of nodes as SiYuan's editor (Lute)
holds it, ``{"Type": "NodeDocument", "Properties": {"title": …}, "Children":
[…]}``; its id begins with the time it was made (``20240105100000-…``).  A
workspace dropped into content/ as it is was counted as crawl state and not
one note was published.  Here each document is an HTML note (read as any,
zhsite/load/htmlfile.py: pictures from the workspace's ``assets/``, formulas
typeset), titled by its title and dated by its id: headings, paragraphs,
lists and tasks, quotes, tables, code in its language, formulas, pictures,
and the marks inside a line (bold, links, inline formulas, tags); a reference
to another document (``((id))`` or ``siyuan://blocks/<id>``) links to its note.  A block
no page can show as SiYuan did (a database, a query, a widget) is a warning
naming it, its text standing in.
"""
from __future__ import annotations

import base64
import binascii
from html import escape
from typing import Any

from zhsite.load.htmlfile import read_html
from zhsite.load.loaded import Loaded
from zhsite.problems import Problem
from zhsite.slug import safe_name

NOT_SHOWN = "SiYuan block shown by no page"
TOO_DEEP = "SiYuan blocks nested too deep, shown as their text"
MAX_NESTING = 64  # blocks inside blocks (a quote in a list in a quote …): SiYuan's editor nests a handful deep
# Block nodes and the element each is (their children are blocks), and the markers a block holds that show nothing.
_CONTAINERS = {"NodeBlockquote": "blockquote", "NodeSuperBlock": "div", "NodeListItem": "li"}
_MARKERS = {"NodeBlockquoteMarker", "NodeSuperBlockOpenMarker", "NodeSuperBlockLayoutMarker", "NodeSuperBlockCloseMarker",
            "NodeKramdownBlockIAL", "NodeKramdownSpanIAL", "NodeTaskListItemMarker", "NodeCodeBlockFenceOpenMarker",
            "NodeCodeBlockFenceCloseMarker", "NodeMathBlockOpenMarker", "NodeMathBlockCloseMarker"}
_INLINE_MARKS = {"strong": "strong", "em": "em", "code": "code", "s": "s", "u": "u", "mark": "mark", "sup": "sup",
                 "sub": "sub", "kbd": "kbd"}
_TIME = 14  # digits of an id's time: 20240105100000
_SIYUAN_LINK = "siyuan://blocks/"  # a link to a document (or block) of the workspace, by its id


def _escape(text: object) -> str:
    """Text as HTML, its line breaks as character references: the HTML note reader takes a line that starts with a
    label (``Time: 10``) for a field wherever it is, and a line of code or of a paragraph must stay where it is."""
    return escape(str(text or "")).replace("\n", "&#10;")


def is_siyuan_document(data: Any) -> bool:
    return isinstance(data, dict) and data.get("Type") == "NodeDocument" and isinstance(data.get("Children", []), list)


def read_siyuan(data: dict, source: str) -> Loaded:
    """The document as an HTML note under its title, dated by its id."""
    problems: list[Problem] = []
    properties = data.get("Properties") if isinstance(data.get("Properties"), dict) else {}
    title = str(properties.get("title") or "").strip()
    made = str(data.get("ID") or properties.get("id") or "")[:_TIME]
    date = f"{made[:4]}-{made[4:6]}-{made[6:8]} {made[8:10]}:{made[10:12]}" if made.isdigit() and len(made) == _TIME else ""
    body = "".join(_block(node, source, problems) for node in _children(data))
    heading = f"<h1>{escape(title)}</h1>\n" if title else ""
    note = read_html(f"{heading}{f'Date: {date}' + chr(10) if date else ''}{body}", source)
    for each in note.notes:  # at the title's address, not the file's id (20240105100000-abcdefg)
        each.slug = safe_name(title) or each.slug
    note.problems[:0] = problems
    return note


def _children(node: dict) -> list[dict]:
    children = node.get("Children")
    return [child for child in children if isinstance(child, dict)] if isinstance(children, list) else []


def _block(node: dict, source: str, problems: list[Problem], depth: int = 0) -> str:
    kind = node.get("Type")
    if kind in _MARKERS:
        return ""
    if depth > MAX_NESTING:
        problems.append(Problem(source, f"block {node.get('ID') or kind}", TOO_DEEP, f"more than {MAX_NESTING} deep", severity="warning"))
        return f"<p>{_escape(_text(node))}</p>\n"
    if kind == "NodeParagraph":
        return f"<p>{_inline(node)}</p>\n"
    if kind == "NodeHeading":
        level = min(max(int(node.get("HeadingLevel") or 2), 1), 6)
        return f"<h{level}>{_inline(node)}</h{level}>\n"
    if kind == "NodeList":
        tag = "ol" if (node.get("ListData") or {}).get("Typ") == 1 else "ul"
        return f"<{tag}>{''.join(_item(item, source, problems, depth + 1) for item in _children(node))}</{tag}>\n"
    if kind in _CONTAINERS:
        inside = "".join(_block(child, source, problems, depth + 1) for child in _children(node))
        return f"<{_CONTAINERS[kind]}>{inside}</{_CONTAINERS[kind]}>\n"
    if kind == "NodeCodeBlock":
        return _code(node)
    if kind == "NodeMathBlock":
        tex = "".join(str(child.get("Data") or "") for child in _children(node) if child.get("Type") == "NodeMathBlockContent")
        return f'<div class="math display">{_escape(tex)}</div>\n'
    if kind == "NodeTable":
        return _table(node)
    if kind == "NodeThematicBreak":
        return "<hr>\n"
    if kind == "NodeHTMLBlock":
        return f"{node.get('Data') or ''}\n"
    if kind == "NodeCallout":
        return f'<aside class="callout">{"".join(_block(child, source, problems, depth + 1) for child in _children(node))}</aside>\n'
    text = _text(node)
    problems.append(Problem(source, f"block {node.get('ID') or kind}", NOT_SHOWN, f"{kind}: {text[:60]}" if text else str(kind), severity="warning"))
    return f"<p>{_escape(text)}</p>\n" if text else ""


def _item(item: dict, source: str, problems: list[Problem], depth: int) -> str:
    """A list item, with its task box when it is one (a task marker child, ticked or not)."""
    marker = next((child for child in _children(item) if child.get("Type") == "NodeTaskListItemMarker"), None)
    box = "" if marker is None else f'<input type="checkbox" disabled{" checked" if marker.get("TaskListItemChecked") else ""}> '
    blocks = [child for child in _children(item) if child.get("Type") not in _MARKERS]
    if len(blocks) == 1 and blocks[0].get("Type") == "NodeParagraph":  # one line: no paragraph, as a tight Markdown list
        return f"<li>{box}{_inline(blocks[0])}</li>"
    return f"<li>{box}{''.join(_block(child, source, problems, depth + 1) for child in blocks)}</li>"


def _code(node: dict) -> str:
    info = next((child for child in _children(node) if child.get("Type") == "NodeCodeBlockFenceInfoMarker"), {})
    code = "".join(str(child.get("Data") or "") for child in _children(node) if child.get("Type") == "NodeCodeBlockCode")
    language = _language(str(info.get("CodeBlockInfo") or ""))
    label = f' class="language-{escape(language)}"' if language else ""
    return f"<pre><code{label}>{_escape(code.rstrip(chr(10)))}</code></pre>\n"


def _language(info: str) -> str:
    """A code block's language: SiYuan keeps it in base64 (``cHl0aG9u``), an older file as written."""
    try:
        decoded = base64.b64decode(info, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = info
    word = decoded.split()[0] if decoded.split() else ""
    return word if word.replace("-", "").replace("+", "").replace("#", "").isalnum() else ""


def _table(node: dict) -> str:
    rows = []
    for part in _children(node):
        cell = "th" if part.get("Type") == "NodeTableHead" else "td"
        for row in [part] if part.get("Type") == "NodeTableRow" else _children(part):
            rows.append("<tr>" + "".join(f"<{cell}>{_inline(c)}</{cell}>" for c in _children(row)) + "</tr>")
    return f"<table>{''.join(rows)}</table>\n"


def _inline(node: dict) -> str:
    return "".join(_span(child) for child in _children(node))


def _span(node: dict) -> str:
    kind = node.get("Type")
    if kind in _MARKERS:
        return ""
    if kind == "NodeText":
        return _escape(node.get("Data"))
    if kind == "NodeTextMark":
        return _marked(node)
    if kind == "NodeImage":
        src = next((str(child.get("Data") or "") for child in _children(node) if child.get("Type") == "NodeLinkDest"), "")
        alt = next((str(child.get("Data") or "") for child in _children(node) if child.get("Type") == "NodeLinkText"), "")
        return f'<img src="{escape(src)}" alt="{escape(alt)}">' if src else ""
    if kind in ("NodeBr", "NodeHardBreak"):
        return "<br>"
    if kind == "NodeSoftBreak":
        return "&#10;"
    return _escape(_text(node))  # another span (an emoji, a backslash escape): its words


def _marked(node: dict) -> str:
    """A span SiYuan marks (``TextMarkType``, several at once: ``strong em``): its text in each mark's element."""
    marks = str(node.get("TextMarkType") or "").split()
    if "inline-math" in marks:
        return f'<span class="math inline">{_escape(node.get("TextMarkInlineMathContent"))}</span>'
    shown = _escape(node.get("TextMarkTextContent"))
    if "tag" in marks:
        shown = f"#{shown}#"
    for mark in marks:
        if mark in _INLINE_MARKS:
            shown = f"<{_INLINE_MARKS[mark]}>{shown}</{_INLINE_MARKS[mark]}>"
    href = str(node.get("TextMarkAHref") or "")
    target = str(node.get("TextMarkBlockRefID") or "") if "block-ref" in marks else href.removeprefix(_SIYUAN_LINK) if href.startswith(_SIYUAN_LINK) else ""
    if target:  # another document, by its id: the note of that file (zhsite/rewrite/links.py, by file name)
        return f'<a data-wikilink="{escape(target)}">{shown}</a>'
    return f'<a href="{escape(href)}">{shown}</a>' if "a" in marks and href else shown


def _text(node: dict) -> str:
    """The words of a node and all inside it, in order (walked with a stack, not recursion: a file may nest deep)."""
    words, waiting = [], [node]
    while waiting:
        current = waiting.pop()
        own = str(current.get("Data") or current.get("TextMarkTextContent") or "").strip() if current.get("Type") not in _MARKERS else ""
        words += [own] if own else []
        waiting += reversed(_children(current))
    return " ".join(words)
