"""Mind maps: XMind's (``.xmind``), 百度脑图's (``.km``) and FreeMind's (``.mm``), each a note of its topics' nested lists.

A learner's outline of a course or a paper is as often a mind map as a
Markdown file, and XMind is the app most of them draw it in.  A ``.xmind``
file is a ZIP: since XMind Zen (2018), ``content.json``, a list of sheets,
each ``{"title", "rootTopic": {"title", "children": {"attached": [...],
"detached": [...]}, "notes": {"plain": {"content"}}, "labels", "href",
"image": {"src": "xap:resources/…"}}}``; before it (XMind 8),
``content.xml``, ``<sheet><topic><title>…<children><topics
type="attached"><topic>…``.  Put in ``content/``, a map was a packed archive
the build asked to have unpacked, which gives JSON no reader takes.

The map becomes a note titled by its central topic (a file of several sheets
by its name, each sheet a section under its title), each topic an item of a
nested list under its parent, with its labels, its link, its note (XMind's
topic notes) and its picture, shown from inside the file.  A map nested past
:data:`MAX_DEPTH` keeps its deeper topics one level down, with a warning; a
file that cannot be opened is an error naming it.

百度脑图 (KityMinder, and the apps that kept its format) saves a map as JSON,
``{"root": {"data": {"text", "note", "hyperlink", "image", "resource",
"created"}, "children": [...]}, "template", "theme", "version"}``: read the
same way, its pictures from their addresses, its ``resource`` tags as labels.
FreeMind and Freeplane save XML, ``<map><node TEXT="…" LINK="…"
CREATED="…"><richcontent TYPE="NOTE">…</richcontent><node …/></node></map>``
(counted as an XML file before): read the same way too.
"""
from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Callable
from html import escape
from pathlib import PurePosixPath
from typing import Any

from lxml import etree

from zhsite.load.fields import beijing_time, web_address
from zhsite.load.htmlfile import read_html
from zhsite.load.inside import place, shown_inside
from zhsite.load.jsontext import parse_json
from zhsite.load.loaded import Loaded
from zhsite.load.packed import UNCOMPRESSED_LIMIT, ZIP_ERRORS, member_name, saved_time
from zhsite.pictures import INSIDE_BYTES, picture_data_url
from zhsite.problems import Problem

NOT_OPENED = "mind map that cannot be opened"
TOO_DEEP = "mind map nested too deeply"
PICTURE_MISSING = "mind map picture not in its file"
MAX_DEPTH = 64  # levels of topics shown as nested lists; a deeper topic is listed at this level
_XMIND8 = "{urn:xmind:xmap:xmlns:content:2.0}"


def is_xmind(name: str) -> bool:
    return name.lower().endswith(".xmind")


class _Topic:
    """One topic as the note shows it: its title, labels, link, note, picture and the topics under it."""

    __slots__ = ("title", "labels", "href", "note", "picture", "children")

    def __init__(self) -> None:
        self.title, self.labels, self.href, self.note, self.picture, self.children = "", [], "", "", "", []


# What a map's format says of one topic: (title, labels, link, note, picture), and the topics under it.
Fields = tuple[tuple[str, list[str], str, str, str], list]


def _topics(root: Any, read: Callable[[Any], Fields]) -> _Topic:
    """The topic tree under *root*, each topic as *read* says, made without recursion: a map may nest as deep as its
    author clicked."""
    made = _Topic()
    stack = [(root, made)]
    while stack:
        node, topic = stack.pop()
        (topic.title, topic.labels, topic.href, topic.note, topic.picture), children = read(node)
        for child in children:
            topic.children.append(_Topic())
            stack.append((child, topic.children[-1]))
    return made


def read_xmind(data: bytes, source: str) -> Loaded:
    """The map's note: its sheets' topics as nested lists, its pictures from inside the file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as packed:
            members = {member_name(info): info for info in packed.infolist() if not info.is_dir()}
            sheets, problems = _sheets(packed, members, source)
            pictures = _pictures(packed, members, sheets)
            saved = next((saved_time(members[name]) for name in ("content.json", "content.xml") if name in members), "")
    except (*ZIP_ERRORS, etree.XMLSyntaxError) as exc:
        return Loaded(problems=[Problem(source, "", NOT_OPENED, f"{exc}; save the map again in XMind")])
    if not sheets:
        return Loaded(problems=[*problems, Problem(source, "", NOT_OPENED, "it holds no map (content.json or content.xml)")])
    page = _page(sheets, PurePosixPath(source).stem, saved, list(pictures), problems, source)
    read = read_html(page, source)
    read.problems[:0] = problems
    return shown_inside(read, list(pictures.values()), source, PICTURE_MISSING)


def _sheets(packed: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], source: str) -> tuple[list[tuple[str, _Topic]], list[Problem]]:
    """Each sheet's title and central topic, from content.json (XMind Zen and later) else content.xml (XMind 8)."""
    for name, read in (("content.json", _json_sheets), ("content.xml", _xml_sheets)):
        info = members.get(name)
        if info is None:
            continue
        if info.file_size > UNCOMPRESSED_LIMIT:
            raise ValueError(f"its {name} is {info.file_size:,} bytes, past the {UNCOMPRESSED_LIMIT:,} zhsite reads")
        problems: list[Problem] = []
        sheets = read(packed.read(info), source, problems)
        if sheets:
            return sheets, problems
    return [], []


def _json_sheets(data: bytes, source: str, problems: list[Problem]) -> list[tuple[str, _Topic]]:
    value, said = parse_json(data.decode("utf-8", "replace"), f"{source}:content.json")
    problems += said
    sheets = value if isinstance(value, list) else []
    return [(_text(sheet.get("title")), _topics(sheet["rootTopic"], _json_fields)) for sheet in sheets
            if isinstance(sheet, dict) and isinstance(sheet.get("rootTopic"), dict)]


def _json_fields(data: dict) -> Fields:
    notes = data.get("notes") if isinstance(data.get("notes"), dict) else {}
    plain = notes.get("plain") if isinstance(notes.get("plain"), dict) else {}
    image = data.get("image") if isinstance(data.get("image"), dict) else {}
    labels = data.get("labels") if isinstance(data.get("labels"), list) else []
    children = data.get("children") if isinstance(data.get("children"), dict) else {}
    listed = [children.get(kind) for kind in ("attached", "detached")]
    under = [child for topics in listed if isinstance(topics, list) for child in topics if isinstance(child, dict)]
    return (_text(data.get("title")), [_text(label) for label in labels], _text(data.get("href")), _text(plain.get("content")),
            _text(image.get("src"))), under


def is_kityminder(data: object) -> bool:
    """A 百度脑图 (KityMinder) map: ``{"root": {"data": {"text": …}, "children": […]}}``."""
    root = data.get("root") if isinstance(data, dict) else None
    return isinstance(root, dict) and isinstance(root.get("data"), dict) and "text" in root["data"]


def read_kityminder(data: dict, source: str) -> Loaded:
    """The map's note, as an XMind map's; dated by its central topic's creation."""
    root = _topics(data["root"], _km_fields)
    problems: list[Problem] = []
    read = read_html(_page([("", root)], PurePosixPath(source).stem, beijing_time(data["root"]["data"].get("created")), [], problems, source), source)
    read.problems[:0] = problems
    return read


def _km_fields(node: dict) -> Fields:
    data = node.get("data") if isinstance(node.get("data"), dict) else {}
    tags = data.get("resource") if isinstance(data.get("resource"), list) else []
    children = node.get("children") if isinstance(node.get("children"), list) else []
    under = [child for child in children if isinstance(child, dict)]
    return (_text(data.get("text")), [_text(tag) for tag in tags], _text(data.get("hyperlink")), _text(data.get("note")),
            _text(data.get("image"))), under


def _xml_sheets(data: bytes, source: str, problems: list[Problem]) -> list[tuple[str, _Topic]]:
    root = etree.fromstring(data, parser=_xml_parser())
    return [(_xml_text(sheet, "title"), _topics(topic, _xml_fields)) for sheet in root.iter(f"{_XMIND8}sheet")
            if (topic := sheet.find(f"{_XMIND8}topic")) is not None]


def _xml_fields(element: etree._Element) -> Fields:
    notes = element.find(f"{_XMIND8}notes")
    image = element.find("{http://www.w3.org/1999/xhtml}img")
    labels = [label.text or "" for label in element.iterfind(f"{_XMIND8}labels/{_XMIND8}label")]
    return (_xml_text(element, "title"), labels, element.get("{http://www.w3.org/1999/xlink}href") or "",
            _xml_text(notes, "plain") if notes is not None else "",
            (image.get("{http://www.w3.org/1999/xhtml}src") or "") if image is not None else ""), \
        list(element.iterfind(f"{_XMIND8}children/{_XMIND8}topics/{_XMIND8}topic"))


def _xml_parser() -> etree.XMLParser:
    """A parser that reads no entity and nothing from the network: a map is someone else's file."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def is_freemind(name: str) -> bool:
    return name.lower().endswith(".mm")


def read_freemind(data: bytes, source: str) -> Loaded:
    """A FreeMind or Freeplane map's note, as an XMind map's; dated by its central topic's creation.  A ``.mm`` that
    does not open with a ``<map>`` is Objective-C++ code, counted as code."""
    if b"<map" not in data[:1024]:
        return Loaded(skipped=Counter({"code and config files": 1}))
    try:
        root = etree.fromstring(data, parser=_xml_parser())
    except etree.XMLSyntaxError as exc:
        return Loaded(problems=[Problem(source, "", NOT_OPENED, f"{exc}; save the map again in FreeMind or Freeplane")])
    node = root.find("node") if root.tag == "map" else None
    if node is None:
        return Loaded(problems=[Problem(source, "", NOT_OPENED, "it holds no map (<map><node …>)")])
    created = node.get("CREATED") or ""
    problems: list[Problem] = []
    page = _page([("", _topics(node, _mm_fields))], PurePosixPath(source).stem, beijing_time(created),
                 [], problems, source)
    read = read_html(page, source)
    read.problems[:0] = problems
    return read


def _mm_fields(element: etree._Element) -> Fields:
    rich = {part.get("TYPE"): _lines(part) for part in element.iterfind("richcontent")}
    title = element.get("TEXT") or " ".join(rich.get("NODE", []))
    return (title, [], element.get("LINK") or "", "\n".join(rich.get("NOTE", [])), ""), list(element.iterfind("node"))


def _lines(rich: etree._Element) -> list[str]:
    """The lines of a FreeMind topic's rich text (HTML): its paragraphs' (``策略<b>梯度</b>`` one line, 策略梯度)."""
    blocks = list(rich.iter("p", "li")) or [rich]
    return [line for block in blocks if (line := " ".join("".join(block.itertext()).split()))]


def _xml_text(element: etree._Element, name: str) -> str:
    found = element.find(f"{_XMIND8}{name}")
    return "".join(found.itertext()).strip() if found is not None else ""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _pictures(packed: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], sheets: list[tuple[str, _Topic]]) -> dict[str, str | None]:
    """Each picture the map's topics show (``xap:resources/…``) as a data: URL, by its address (None: not in the file)."""
    found: dict[str, str | None] = {}
    stack = [topic for _, topic in sheets]
    while stack:
        topic = stack.pop()
        stack += topic.children
        if topic.picture.startswith("xap:") and topic.picture not in found:
            info = members.get(topic.picture.removeprefix("xap:"))
            found[topic.picture] = picture_data_url(packed.read(info)) if info is not None and info.file_size <= INSIDE_BYTES else None
    return found


def _page(sheets: list[tuple[str, _Topic]], name: str, saved: str, pictures: list[str], problems: list[Problem], source: str) -> str:
    """The note as an HTML note's file: its title, its date line, each sheet's topics."""
    title = sheets[0][1].title if len(sheets) == 1 else ""
    parts = [f"<h1>{escape(title or name)}</h1>\n", f"Date: {saved}\n" if saved else ""]
    deep = 0
    for sheet_title, root in sheets:
        if len(sheets) > 1:
            parts.append(f"<h2>{escape(sheet_title or root.title)}</h2>")
        if len(sheets) > 1 or root.note or root.picture:
            parts.append(f"<div>{_shown(root, pictures, with_title=len(sheets) > 1)}</div>")
        deep += _tree(root.children, parts, pictures)
    if deep:
        problems.append(Problem(source, "", TOO_DEEP, f"{deep} topic(s) past {MAX_DEPTH} levels listed at that level", severity="warning"))
    return "".join(parts)


def _tree(topics: list[_Topic], parts: list[str], pictures: list[str]) -> int:
    """*topics* and those under them as nested lists, appended to *parts* (made without recursion); how many topics
    were past MAX_DEPTH, listed at that level."""
    if not topics:
        return 0
    deep = 0
    stack: list[tuple[_Topic | str, int]] = [("</ul>", 0), *((topic, 1) for topic in reversed(topics)), ("<ul>", 0)]
    while stack:
        topic, depth = stack.pop()
        if isinstance(topic, str):
            parts.append(topic)
            continue
        parts.append(f"<li>{_shown(topic, pictures)}")
        if not topic.children or depth >= MAX_DEPTH:
            parts.append("</li>")
            deep += len(topic.children)
            stack += ((child, depth) for child in reversed(topic.children))
            continue
        stack += [("</li>", 0), ("</ul>", 0), *((child, depth + 1) for child in reversed(topic.children)), ("<ul>", 0)]
    return deep


def _shown(topic: _Topic, pictures: list[str], with_title: bool = True) -> str:
    title = escape(topic.title)
    if topic.href and with_title:
        title = f'<a href="{escape(topic.href)}">{title}</a>'
    labels = "".join(f" 【{escape(label)}】" for label in topic.labels if label)
    shown = place(pictures.index(topic.picture)) if topic.picture in pictures else web_address(topic.picture)
    picture = f'<br><img src="{escape(shown)}" alt="">' if shown else ""
    note = "".join(f"<p>{escape(line)}</p>" for line in topic.note.splitlines() if line.strip())
    return f"{title if with_title else ''}{labels}{picture}{note}"
