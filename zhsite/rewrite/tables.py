"""Tables: a first row of header cells becomes the table's ``<thead>``.

Zhihu's editor writes ``<table data-draft-type="table"><tbody><tr><th>…`` with
no ``<thead>``; moving that row into one lets the theme style the header (and
screen readers announce it) as in any other table.  A wide table scrolls
sideways in place (the theme makes it the scroller), so it takes keyboard
focus too, as code blocks and display formulas do.
"""
from __future__ import annotations

from lxml.html import HtmlElement

from zhsite.rewrite.context import RewriteContext


def mark_header_rows(root: HtmlElement, ctx: RewriteContext) -> None:
    for table in root.iter("table"):
        table.set("tabindex", "0")
        rows = table.xpath("./tr | ./tbody/tr")
        if table.find("thead") is not None or not rows:
            continue
        first = rows[0]
        if len(first) and all(cell.tag == "th" for cell in first):
            thead = table.makeelement("thead", {})
            table.insert(0, thead)
            thead.append(first)
