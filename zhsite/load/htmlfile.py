"""HTML files that are one post or one note, not a saved web page.

Exporters write each answer as a small HTML file: a ``<meta name="referrer"
content="no-referrer">`` (so Zhihu's pictures load), the title as ``<h1>``,
the answer's HTML, and ``Label: value`` lines (``Time:``, ``Upvotes:``,
``Author:``, ``Link:``) outside any tag.  Read as text, such a file showed its
tags; here the label lines become the post's fields and leave the body, the
``<h1>`` is the title, and the rest is the post's HTML.  With a Zhihu post
link (a ``Link:`` line, or the title linking to the post) the file is that
article or answer, placed as the Markdown exports are
(zhsite/load/exports.py); without one it is a note rendered from its HTML.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import partial

from lxml import etree
from lxml.html import HtmlElement

from zhsite.load.exports import HTML_EXPORT, file_slug, file_title, read_export, topics_written, zhihu_link
from zhsite.load.fields import text, web_address
from zhsite.load.frontmatter import normalise_date
from zhsite.load.loaded import Loaded
from zhsite.load.savedpage import inner_html, with_local_pictures
from zhsite.model import Note
from zhsite.problems import Problem
from zhsite.tree import bound_attributes, parse_document, values_reported_to

_LABELS = {label.lower(): label for label in (
    "Time", "Date", "Created", "Updated", "Edited", "Upvotes", "Votes", "Likes", "Author", "Link", "URL", "Source", "Column", "Topics", "Tags")}
# A label line is short and outside any tag: it starts with its label, never with "<".
_LABEL_LINE = re.compile(rf"[ \t]*(?P<label>{'|'.join(_LABELS)})[ \t]*:[ \t]*(?P<value>[^\n]*)", re.I)
_LONGEST_LABEL_LINE = 2000
_HREF = re.compile(r"""\bhref\s*=\s*["']?([^"'\s>]+)""", re.I)
_TAG = re.compile(r"<[^<>]*>")
_PRE_OPENING = re.compile(r"<pre\b", re.I)
_PRE_CLOSING = re.compile(r"</pre\s*>", re.I)
NOT_PARSED = "HTML that cannot be parsed"


def warn(problems: list[Problem], source: str, kind: str, detail: str) -> None:
    problems.append(Problem(source, "", kind, detail, severity="warning"))


@dataclass(frozen=True)
class HtmlFile:
    """What one HTML file says: its label lines' fields, its title, and its body without either."""

    fields: dict[str, str]
    title: str
    body: HtmlElement | None


def read_html_file(page: str, source: str, problems: list[Problem]) -> HtmlFile | None:
    """The file's fields, title and body (an over-attributed element is a warning in *problems*); None when it does not parse."""
    fields, kept = _label_lines(page)
    bounded = bound_attributes(kept, partial(warn, problems, source))
    try:
        document = parse_document(bounded) if bounded.strip() else None
    except (etree.ParserError, ValueError):
        return None
    if document is None:
        return HtmlFile(fields, "", None)
    heading = next(iter(document.iter("h1")), None)
    title = text(" ".join(heading.text_content().split())) if heading is not None else ""
    if heading is not None:
        link = next((zhihu_link(href) for href in heading.xpath(".//a/@href") if zhihu_link(href)), "")
        if link:
            fields.setdefault("Link", link)
        heading.drop_tree()
    named = document.xpath("//title/text()")
    return HtmlFile(fields, title or (text(named[0]) if named else ""), document.find("body"))


def _label_lines(page: str) -> tuple[dict[str, str], str]:
    """The fields of the page's label lines, and the page without them.  A line inside a ``<pre>`` is code, never a
    label: a notebook's output ``Date: 2024-01-05``, or a code line ``Time: 3</code></pre>``, had been taken for
    one and left the page, closing tags and all."""
    fields: dict[str, str] = {}
    kept = []
    inside = 0  # <pre> elements open at the line's start
    for line in page.split("\n"):
        match = _LABEL_LINE.fullmatch(line) if not inside and len(line) <= _LONGEST_LABEL_LINE else None
        if match is None:
            kept.append(line)
        else:
            fields.setdefault(_LABELS[match["label"].lower()], _value(match["value"]))
        if "<" in line:
            inside = max(inside + len(_PRE_OPENING.findall(line)) - len(_PRE_CLOSING.findall(line)), 0)
    return fields, "\n".join(kept)


def _value(written: str) -> str:
    """A label's value as text; a link's address when the value is a link (``<a href="…">…</a>``)."""
    href = _HREF.search(written)
    return text(html.unescape(href[1] if href else _TAG.sub("", written)))


# What an exporter's page has before it is parsed: a link line, or a title linking to the post. Saved web
# pages (hundreds in a crawler's folder) have neither, so they are not parsed here.
_POST_LINK = re.compile(r"^[ \t]*(?:Link|URL|Source)[ \t]*:|<h1\b[^<>]*>\s*<a\b[^<>]*href=[\"']?https?://(?:zhuanlan|www)\.zhihu\.com/",
                        re.I | re.M)


def is_exported_post(page: str) -> bool:
    """An exporter's page of one post: a Zhihu post link, a title and a body."""
    if _POST_LINK.search(page) is None:
        return False
    read = read_html_file(page, "", [])
    return read is not None and _is_post(read)


def _is_post(read: HtmlFile) -> bool:
    return bool(read.title and read.body is not None and read.body.text_content().strip()
                and any(zhihu_link(read.fields.get(name)) for name in HTML_EXPORT.link))


def read_html(page: str, source: str) -> Loaded:
    """The post an exporter's page holds, else a note of the file's HTML."""
    slug = file_slug(source)
    problems: list[Problem] = []
    read = read_html_file(page, source, problems)
    if read is None:
        return Loaded(problems=[*problems, Problem(source, "", NOT_PARSED)])
    with values_reported_to(partial(warn, problems, source)):  # zhsite/tree.py
        content = inner_html(with_local_pictures(read.body, source)) if read.body is not None else ""
    post = read_export({**read.fields, "title": read.title}, source, slug, HTML_EXPORT) if _is_post(read) else None
    if post is not None:
        return Loaded(columns=[post.place(read.title, content)], problems=problems)
    title = read.title or _first_line(read.body) or file_title(source)
    when = read.fields.get("Time") or read.fields.get("Date") or read.fields.get("Created") or ""
    tags = list(topics_written(read.fields.get("Tags", "")))
    origin = web_address(next((read.fields[name] for name in HTML_EXPORT.link if read.fields.get(name)), ""))
    return Loaded(notes=[Note(slug=slug, title=title, content=content, tags=tags, date=normalise_date(when), origin=origin, source=source)],
                  problems=problems)



def _first_line(body: HtmlElement | None) -> str:
    """The first line of visible text in the body's first paragraph, heading or list item that has any."""
    blocks = body.xpath(".//p | .//h2 | .//h3 | .//h4 | .//h5 | .//h6 | .//li | .//pre | .//td") if body is not None else []
    written = (block.text_content() for block in [*blocks, *([body] if body is not None else [])])
    return next((line for block in written for line in map(text, block.split("\n")) if line), "")
