"""Notes a writing app exported as a whole web page: Typora, Notion, pandoc, Joplin, Evernote, OneNote, Word, Jupyter.

A learner's own notes come as Markdown, and as often as the HTML their app
exports: a whole page, its stylesheet and scripts around the text.  Taken for
a saved web page (a crawler's snapshot, another site), such a note was skipped
and only counted.  Each app marks its page in its own way and keeps the text
in one element; that element, under the note's title, is read as an HTML note
(zhsite/load/htmlfile.py), so its pictures, label lines and formulas are read
as any HTML note's; a Jupyter notebook's page is first made the blocks its
cells show (zhsite/load/nbconvert.py).  A page no app here marks stays a page snapshot.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from lxml import etree
from lxml.html import HtmlElement

from zhsite.load.htmlfile import NOT_PARSED, read_html, warn
from zhsite.load.loaded import Loaded
from zhsite.load.nbconvert import CELLS, TITLE, gather_cells
from zhsite.load.savedpage import inner_html
from zhsite.problems import Problem
from zhsite.tree import bound_attributes, parse_document


@dataclass(frozen=True)
class Exporter:
    name: str
    mark: re.Pattern[str]  # found in the page's text before it is parsed
    text: str  # XPath of the element holding the note's text
    title: str  # XPath of the note's own title, dropped from the text
    # What is done to the parsed page first, its warnings said in the list: a notebook's cells made their blocks.
    tidy: Callable[[HtmlElement, str, list[Problem]], None] | None = None
    # What the page says of the note outside its text (its dates, tags, source), as label lines (htmlfile.py), taken
    # out of the page: Evernote's <meta> elements and the table its Windows app writes under the title.
    labels: Callable[[HtmlElement], dict[str, str]] | None = None


# As label lines (htmlfile.py): Evernote's <meta> names (its "source" meta names the app, desktop.mac), and the rows
# of the table its Windows app writes under the title.
_EVERNOTE_METAS = {"created": "Created", "updated": "Updated", "keywords": "Tags", "source-url": "Link"}
_EVERNOTE_ROWS = {"created": "Created", "updated": "Updated", "tags": "Tags", "source": "Link"}


def evernote_labels(document: HtmlElement) -> dict[str, str]:
    """An Evernote page's dates, tags and source page, from its ``<meta>`` elements and the table of
    "Created:", "Tags:" … rows under its title (which leaves the text), and its hidden ``<center>`` left out."""
    found = {_EVERNOTE_METAS[name]: meta.get("content") or "" for meta in document.iter("meta")
             if (name := (meta.get("name") or "").lower()) in _EVERNOTE_METAS}
    for table in document.xpath("//body/div/table[@bgcolor] | //body/table[@bgcolor]")[:1]:
        for row in table.iter("tr"):
            cells = [" ".join(cell.text_content().split()) for cell in row.iter("td")]
            if len(cells) == 2 and (label := _EVERNOTE_ROWS.get(cells[0].rstrip(":").lower())):
                found.setdefault(label, cells[1])
        table.drop_tree()
    for hidden in document.xpath("//center[contains(translate(@style, ' ', ''), 'display:none')]"):
        hidden.drop_tree()
    return found


EXPORTERS = (
    # <body class='typora-export'>…<div id='write'>…</div>
    Exporter("Typora", re.compile(r"""<body\b[^<>]*\bclass=["'][^"']*\btypora-export\b""", re.I),
             "//div[@id='write']", "//div[@id='write']/*[1][self::h1]"),  # a note opening with a heading is titled by it
    # <article class="page sans"><header><h1 class="page-title">…</h1></header><div class="page-body">…</div></article>
    Exporter("Notion", re.compile(r"""<div\b[^<>]*\bclass=["']page-body["']""", re.I),
             "//div[@class='page-body']", "//h1[contains(concat(' ', normalize-space(@class), ' '), ' page-title ')]"),
    # pandoc --standalone: <meta name="generator" content="pandoc" />, the title in <header id="title-block-header">
    Exporter("pandoc", re.compile(r"""<meta\b[^<>]*\bname=["']generator["'][^<>]*\bcontent=["']pandoc\b""", re.I),
             "//body", "//header[@id='title-block-header']"),
    # Joplin's HTML export: <div class="exported-note"><div class="exported-note-title">…</div><div id="rendered-md">…</div>
    Exporter("Joplin", re.compile(r"""<div\b[^<>]*\bclass=["']exported-note["']""", re.I),
             "//div[@id='rendered-md']", "//div[@class='exported-note-title']"),
    # Evernote's and 印象笔记's "Export as HTML": <meta name="exporter-version" content="Evernote Mac …"> (YXBJ, 印象笔记's
    # Windows app), the note's dates and tags in <meta> elements, the Windows app's title as the body's <h1>
    Exporter("Evernote", re.compile(r"""<meta\b[^<>]*\bname=["']exporter-version["'][^<>]*\bcontent=["'](?:Evernote|YXBJ)\b""", re.I),
             "//body", "//body/h1[1]", labels=evernote_labels),
    # OneNote's and Word's "Web Page" and "Single File Web Page" (.mht): <meta name=Generator content="Microsoft OneNote 15">,
    # the text in <body>, the title the page's <title>
    Exporter("Microsoft Office", re.compile(r"""<meta\b[^<>]*\bname=["']?Generator\b[^<>]*\bcontent=["']?Microsoft (?:OneNote|Word)\b""", re.I),
             "//body", "//head/title"),
    # nbconvert: <body class="jp-Notebook"> (lab template) or <div id="notebook-container"> (classic), then cells
    Exporter("Jupyter", re.compile(r"""<body\b[^<>]*\bclass=["']jp-Notebook\b|<div\b[^<>]*\bid=["']notebook-container["']""", re.I),
             f"//div[@id='{CELLS}']", TITLE, gather_cells),
)


def exporter_of(page: str) -> Exporter | None:
    return next((exporter for exporter in EXPORTERS if exporter.mark.search(page)), None)


def is_note_page(page: str) -> bool:
    """A whole page one of :data:`EXPORTERS` made."""
    return exporter_of(page) is not None


def read_note_page(page: str, source: str) -> Loaded:
    """The note the page holds, read as an HTML note of its text element under its title."""
    exporter = exporter_of(page)
    problems: list[Problem] = []
    try:  # its elements' attributes bounded first, as any HTML note's (zhsite/tree.py)
        document = parse_document(bound_attributes(page, partial(warn, problems, source))) if exporter is not None else None
    except (etree.ParserError, ValueError):
        document = None
    if document is not None and exporter.tidy is not None:
        exporter.tidy(document, source, problems)
    found = document.xpath(exporter.text) if document is not None else []
    if not found:
        return Loaded(problems=[*problems, Problem(source, "", NOT_PARSED, f"a page of {exporter.name if exporter else 'no known app'} without its text")])
    labels = exporter.labels(document) if exporter.labels is not None else {}
    title, date = _title_and_date(document, exporter)
    heading = f"<h1>{html.escape(title)}</h1>\n" if title else ""
    labels = {"Date": date, **labels} if date else labels  # label lines, as an HTML note's own (zhsite/load/htmlfile.py)
    lines = "".join(f"{label}: {html.escape(value)}\n" for label, value in labels.items() if value)
    note = read_html(f"{heading}{lines}{inner_html(found[0])}", source)
    note.problems[:0] = problems  # the attributes bounded before its own
    return note


def _title_and_date(document: HtmlElement, exporter: Exporter) -> tuple[str, str]:
    """The note's title as the app shows it, else the page's ``<title>``; and the date pandoc's title block gives.
    The app's title block is left out of the text: the note's page shows its title once."""
    title = date = ""
    for block in document.xpath(exporter.title)[:1]:
        heading = block.find(".//h1") if block.tag == "header" else block
        title = " ".join(heading.text_content().split()) if heading is not None else ""
        date = " ".join("".join(block.xpath(".//p[@class='date']//text()")).split())
        block.drop_tree()
    named = document.xpath("//title/text()")
    return title or (" ".join(named[0].split()) if named else ""), date
