"""Evernote and 印象笔记 exports (``.enex``): each note of the file a note, a clipped Zhihu post its article or answer.

An ``.enex`` file is one XML document of ``<note>`` elements (Evernote's
export DTD): ``title``, ``created``, ``updated``, ``tag``, ``note-attributes``
(``source-url``, ``author``), the text as ENML in ``content`` (XHTML with
``<en-note>`` around it, ``<en-media hash=…>`` where a picture or file goes,
``<en-todo checked=…>``, ``<en-crypt>``), and each picture or file as a
``resource``: its bytes in base64, its MIME type and file name, named in
the text by the MD5 of its bytes.  Read as text, a file of a hundred notes was
one note titled ``<?xml version="1.0"?>``.

Each note's ENML becomes HTML: a picture as its ``data:`` URL, a to-do as a
ticked or unticked box, a file that is no picture (a PDF, a recording) and
encrypted text as their names in the text, each with a warning naming the
note.  A note clipped from a Zhihu post (its ``source-url``) is that post, read
as an exporter's one-post page is (zhsite/load/htmlfile.py); any other note is
a note with its tags.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import html
import re

from lxml import etree
from lxml.html import HtmlElement

from zhsite.load.exports import zhihu_link
from zhsite.load.fields import beijing_time, web_address
from zhsite.load.htmlfile import read_html
from zhsite.load.loaded import Loaded
from zhsite.load.xmltext import parse_xml
from zhsite.model import Note, Topic
from zhsite.problems import Problem
from zhsite.slug import safe_name
from zhsite.tree import inner_html, parse_fragment

NOT_ENEX = "Evernote export that cannot be read"
NOT_SHOWN = "Evernote content not shown"
PICTURE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
_PROLOG = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?", re.I)
# What a paragraph holds no more of: a <div> with one of these inside is a layout box, not a line of text.
_BLOCKS = frozenset({"div", "p", "ul", "ol", "table", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})


def is_enex(text: str) -> bool:
    return "<en-export" in text[:2000]


def read_enex(text: str, source: str) -> Loaded:
    """Every note of the export, in the file's order."""
    root, damage = parse_xml(text)
    if root is None:
        return Loaded(problems=[Problem(source, "", NOT_ENEX, damage.message if damage else "no XML in it")])
    read = Loaded()
    for number, note in enumerate(root.iter("note"), 1):
        read.add(_note(note, source, f"note {number}"))
    if damage is not None:  # a file cut off or damaged: the notes before are read, the rest are said lost here
        read.problems.append(Problem(source, damage.where, NOT_ENEX, f"{damage.message}; the notes before it are read"))
    return read


def _note(note: etree._Element, source: str, where: str) -> Loaded:
    title = " ".join((note.findtext("title") or "").split())
    problems: list[Problem] = []
    body = _html(note, source, f"{where} ({title})" if title else where, problems)
    when = beijing_time((note.findtext("created") or note.findtext("updated") or "").strip())  # 20240105T093000Z, UTC
    link, author = note.findtext("note-attributes/source-url") or "", note.findtext("note-attributes/author") or ""
    if zhihu_link(link):  # clipped from Zhihu: the post itself, as an exporter's one-post page says it
        lines = [f"Link: {link.strip()}", *([f"Author: {author.strip()}"] if author.strip() else []), *([f"Time: {when}"] if when else [])]
        clipped = read_html(f"<h1>{html.escape(title)}</h1>\n" + "\n".join(lines) + f"\n{body}", source)
        clipped.problems[:0] = problems
        return clipped
    tags = [Topic(name) for name in dict.fromkeys(" ".join((tag.text or "").split()) for tag in note.iter("tag")) if name]
    return Loaded(notes=[Note(slug=safe_name(title) or where.replace(" ", "-"), title=title or where, content=body, date=when,
                              tags=tags, origin=web_address(link), source=source)], problems=problems)


def _html(note: etree._Element, source: str, where: str, problems: list[Problem]) -> str:
    """The note's ENML as HTML: its pictures inside it, to-dos as boxes, what cannot be shown named and said."""
    resources = _resources(note)
    root = parse_fragment(_PROLOG.sub("", note.findtext("content") or "", count=1))
    for media in list(root.iter("en-media")):
        _media(media, resources, source, where, problems)
    for todo in list(root.iter("en-todo")):
        box = todo.makeelement("input", {"type": "checkbox", "disabled": "disabled", **({"checked": "checked"} if todo.get("checked") == "true" else {})})
        box.tail = todo.tail
        todo.getparent().replace(todo, box)
    for secret in list(root.iter("en-crypt")):
        problems.append(Problem(source, where, NOT_SHOWN, "encrypted text", severity="warning"))
        _as_text(secret, "[加密内容]")
    for wrapper in list(root.iter("en-note")):
        for line in wrapper.iterchildren("div"):  # Evernote writes each paragraph as a <div>
            if not any(child.tag in _BLOCKS for child in line.iterdescendants()):
                line.tag = "p"
        wrapper.tag = "div"
    return inner_html(root)


def _resources(note: etree._Element) -> dict[str, tuple[str, bytes, str]]:
    """Each resource by the MD5 of its bytes (how the text names it): its MIME type, bytes and file name."""
    found = {}
    for resource in note.iter("resource"):
        try:
            data = base64.b64decode("".join((resource.findtext("data") or "").split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        found[hashlib.md5(data).hexdigest()] = ((resource.findtext("mime") or "").strip(), data,
                                                (resource.findtext("resource-attributes/file-name") or "").strip())
    return found


def _media(media: HtmlElement, resources: dict[str, tuple[str, bytes, str]], source: str, where: str, problems: list[Problem]) -> None:
    """A picture in its place, as its ``data:`` URL; any other file, or one the export does not hold, as its name."""
    mime, data, name = resources.get((media.get("hash") or "").lower(), (media.get("type") or "", b"", ""))
    if data and mime in PICTURE_TYPES:
        picture = media.makeelement("img", {"src": f"data:{mime};base64,{base64.b64encode(data).decode()}", "alt": name})
        picture.tail = media.tail
        media.getparent().replace(media, picture)
        return
    problems.append(Problem(source, where, NOT_SHOWN, f"{name or 'a file'} ({mime or 'no type'}{'' if data else ', not in the export'})",
                            severity="warning"))
    _as_text(media, f"[附件：{name}]" if name else "[附件]")


def _as_text(element: HtmlElement, text: str) -> None:
    span = element.makeelement("span", {"class": "attachment"})
    span.text, span.tail = text, element.tail
    element.getparent().replace(element, span)
