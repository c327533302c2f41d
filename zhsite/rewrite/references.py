"""Zhihu references → footnotes: a numbered link in the text, the list at the end.

The editor stores each reference on its marker,
``<sup data-draft-type="reference" data-text="Title" data-url="…" data-numero="1">[1]</sup>``;
the list under the article exists only on rendered pages (``ol.ReferenceList``),
so it is rebuilt from the markers.  The markup is the Markdown reader's
footnotes', so notes and articles share one look.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from zhsite.rewrite.context import RewriteContext
from zhsite.rewrite.links import redirect_target
from zhsite.tree import has_class, replace


@dataclass(frozen=True)
class Reference:
    label: str
    text: str
    url: str


def _marker(sup: HtmlElement, number: int, label: str, first: bool) -> HtmlElement:
    new = sup.makeelement("sup", {"class": "footnote-ref"})
    link = new.makeelement("a", {"href": f"#fn{number}", **({"id": f"fnref{number}"} if first else {})})
    link.text = f"[{label}]"
    new.append(link)
    return new


def _entry(parent: HtmlElement, number: int, reference: Reference) -> HtmlElement:
    item = parent.makeelement("li", {"id": f"fn{number}", "class": "footnote-item"})
    p = item.makeelement("p", {})
    p.text = reference.text + " " if reference.text else ""
    if reference.url.startswith(("http://", "https://", "//")):
        link = p.makeelement("a", {"href": reference.url})
        link.text = reference.url
        link.tail = " "
        p.append(link)
    back = p.makeelement("a", {"href": f"#fnref{number}", "class": "footnote-backref"})
    back.text = "↩︎"
    p.append(back)
    item.append(p)
    return item


def rewrite_references(root: HtmlElement, ctx: RewriteContext) -> None:
    numbers: dict[str, int] = {}
    references: list[Reference] = []
    for sup in list(root.iter("sup")):
        if sup.get("data-draft-type") != "reference":
            continue
        label = (sup.get("data-numero") or "").strip() or str(len(references) + 1)
        first = label not in numbers
        if first:
            numbers[label] = len(references) + 1
            url = (sup.get("data-url") or "").strip()
            references.append(Reference(label, (sup.get("data-text") or "").strip(), redirect_target(url) or url))
        replace(sup, _marker(sup, numbers[label], label, first))
    if not references:
        return
    for old_list in [ol for ol in root.iter("ol") if has_class(ol, "ReferenceList")]:
        old_list.drop_tree()
    root.append(root.makeelement("hr", {"class": "footnotes-sep"}))
    section = root.makeelement("section", {"class": "footnotes"})
    ol = section.makeelement("ol", {"class": "footnotes-list"})
    ol.extend(_entry(ol, number, reference) for number, reference in enumerate(references, start=1))
    section.append(ol)
    root.append(section)
