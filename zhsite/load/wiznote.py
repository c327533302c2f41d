"""为知笔记 (WizNote) notes as the app keeps them, each a ZIP of its page and pictures, read without unpacking.

A WizNote note is a ZIP holding its page (``index.html``: UTF-8, or UTF-16
with a byte-order mark from older versions) and the pictures it shows
(``index_files/``).  The Windows app keeps it as ``<title>.ziw`` in its
folder (a Markdown note as ``<title>.md.ziw``), the Mac and Linux apps as
``notes/{<guid>}``, no suffix, its title in the page's ``<title>``.  Put in
``content/``, a ``.ziw`` was a packed archive the build asked to have
unpacked; unpacked, every note is an ``index.html`` over the last one, and
a ``{<guid>}`` file was counted as a binary.

Each becomes a note under its title, dated when the app last saved its page
(the page's time in the ZIP, which a copy keeps and a file's time does not):
a rich-text note's page as an HTML note (zhsite/load/htmlfile.py), a
Markdown note's lines (the app keeps them as the page's lines of text) as a
Markdown note, its pictures inside the page as ``data:`` URLs (as a Joplin
JEX's).  A link to another note (``wiz://open_document``) leads to the note
its text names, a link to an attachment (``wiz://open_attachment``) to the
file the app keeps for it (``<title>_Attachments/<name>`` beside a ``.ziw``,
``../attachments/{<guid>}<name>`` beside ``notes/``), which the image phase
copies or says is missing.  An encrypted note is said, not read.

The app's index of a folder's notes (``index.db``, SQLite: ``WIZ_DOCUMENT``,
``WIZ_TAG``, ``WIZ_DOCUMENT_TAG``) is read for what no note's file says: each
note's folder and tags become its topics (as a Joplin notebook's), its
creation time its date, the page it was clipped from its 来源 (a Zhihu post
clipped is that article or answer); a note in the app's trash (``/Deleted
Items/``) is counted, not published.
"""
from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from collections import Counter
from dataclasses import replace
from functools import partial
from html import escape
from pathlib import PurePosixPath
from urllib.parse import quote

from lxml import etree
from lxml.html import HtmlElement

from zhsite.load.decoding import DAMAGED, decode_mostly
from zhsite.load.exports import ExportTool, read_export, zhihu_link
from zhsite.load.fields import web_address
from zhsite.load.frontmatter import FrontMatter, normalise_date
from zhsite.load.htmlfile import read_html, warn
from zhsite.load.inside import place, shown_inside
from zhsite.load.loaded import Loaded, Record
from zhsite.load.markdown import read_markdown_text
from zhsite.load.packed import UNCOMPRESSED_LIMIT, ZIP_ERRORS, member_name, saved_time
from zhsite.load.savedpage import inner_html
from zhsite.load.sniff import UndecodableError, binary_kind
from zhsite.model import Column, Note, Topic
from zhsite.pictures import INSIDE_BYTES, picture_data_url
from zhsite.problems import Problem
from zhsite.slug import safe_name
from zhsite.tree import bound_attributes, parse_document

NOT_ZIW = "为知笔记 note that cannot be opened"
ENCRYPTED = "为知笔记 note encrypted"
PICTURE_MISSING = "为知笔记 picture not in its note"
INDEXES = "为知笔记 indexes"  # its index.db, in the skipped line: read for the notes' topics and dates
TRASH = "notes in 为知笔记's trash"
DOCUMENT = "为知笔记 note"  # a Record's kind: what the index says of one note
# The folders every 为知笔记 account starts with: no topic of a note kept there.
_OWN_FOLDERS = frozenset({"My Notes", "My Drafts", "My Mobiles", "My Emails", "My Tasks", "My Journals", "My Sticky Notes"})
_DELETED = "/Deleted Items/"
_SQLITE = b"SQLite format 3\x00"
# A note the index says was clipped from a Zhihu post (DOCUMENT_URL) is that post, read as an exporter's file is.
WIZNOTE = ExportTool(name="为知笔记", example="index.db: DOCUMENT_URL https://zhuanlan.zhihu.com/p/1", signs=(), link=("url",))
_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_GUID_NAME = re.compile(rf"\{{{_GUID}\}}")
_ENCRYPTED = b"ZIWR"  # what an encrypted note's file opens with, in place of a ZIP's "PK"
# wiz:open_attachment?guid=…, wiz://open_document?guid=…&kbguid=&private_kbguid=…
_WIZ_LINK = re.compile(rf"wiz:/{{0,2}}(open_document|open_attachment)/?\?(?:[^#]*?&)?guid=({_GUID})", re.I)
_PICTURES = "index_files/"
_LINES = frozenset({"div", "p", "li", "pre", "blockquote", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})


def is_wiznote(name: str) -> bool:
    """A 为知笔记 note's file: ``<title>.ziw``, or ``{<guid>}`` as its Mac and Linux apps name them."""
    base = PurePosixPath(name).name
    return base.lower().endswith(".ziw") or bool(_GUID_NAME.fullmatch(base))


def read_ziw(data: bytes, source: str) -> Loaded:
    """The note the file holds, under its title, with its pictures."""
    if data.startswith(_ENCRYPTED):
        return Loaded(problems=[Problem(source, "", ENCRYPTED, "remove its password in 为知笔记 (取消加密) and copy "
                                                               "the note again", severity="warning")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as packed:
            page, saved, pictures = _unpacked(packed)
        text, damage = decode_mostly(page) if page is not None else ("", None)
    except ZIP_ERRORS as exc:
        return Loaded(problems=[Problem(source, "", NOT_ZIW, f"{exc}; open it in 为知笔记 and copy it again")])
    except UndecodableError as exc:
        return Loaded(problems=[Problem(source, "index.html", NOT_ZIW, str(exc))])
    if not text.strip():
        return Loaded(problems=[Problem(source, "", NOT_ZIW, "it holds no page (index.html)")])
    problems = [Problem(source, damage[0], DAMAGED, damage[1], severity="warning")] if damage else []
    try:
        document = parse_document(bound_attributes(text, partial(warn, problems, source)))
    except (etree.ParserError, ValueError):
        return Loaded(problems=[*problems, Problem(source, "index.html", NOT_ZIW, "its page does not parse as HTML")])
    loaded = _note(document, source, saved, list(pictures), problems)
    return shown_inside(loaded, list(pictures.values()), source, PICTURE_MISSING)


def _unpacked(packed: zipfile.ZipFile) -> tuple[bytes | None, str, dict[str, str]]:
    """The note's page, when it was saved (``YYYY-MM-DDTHH:MM``, or ""), and its pictures' data: URLs by their names."""
    members = {member_name(info): info for info in packed.infolist() if not info.is_dir()}
    index = next((info for name, info in members.items() if name.lower() == "index.html"), None)
    if index is None:
        return None, "", {}
    if index.file_size > UNCOMPRESSED_LIMIT:
        raise ValueError(f"its page is {index.file_size:,} bytes, past the {UNCOMPRESSED_LIMIT:,} zhsite reads")
    saved = saved_time(index)
    pictures = {}
    for name, info in members.items():
        if name.startswith(_PICTURES) and info.file_size <= INSIDE_BYTES and (url := picture_data_url(packed.read(info))):
            pictures[name] = url
    return packed.read(index), saved, pictures


def _note(document: HtmlElement, source: str, saved: str, pictures: list[str], problems: list[Problem]) -> Loaded:
    """A rich-text note as an HTML note, a Markdown note (``.md`` ending its title) as a Markdown note."""
    named = " ".join((document.findtext(".//title") or "").split())
    name = PurePosixPath(source).name
    stem = name[:-4] if name.lower().endswith(".ziw") else name
    whole = named or ("" if _GUID_NAME.fullmatch(stem) else stem)
    markdown = whole.endswith(".md") or stem.endswith(".md")
    title = whole.removesuffix(".md")
    body = document.find("body")
    body = body if body is not None else document
    for image in body.iter("img"):
        name = image.get("src") or ""
        if name.startswith(_PICTURES):
            image.set("src", place(pictures.index(name) if name in pictures else len(pictures)))
    attachments = _attachments_folder(source, stem)
    if markdown:
        meta = FrontMatter(title=title, date=saved)
        return read_markdown_text(meta, _markdown_of(body, attachments), source, 0, problems, slug=safe_name(title or stem))
    for link in body.iter("a"):
        _point(link, attachments)
    dated = f"Date: {saved}\n" if saved else ""
    read = read_html(f"<h1>{escape(title)}</h1>\n{dated}{inner_html(body)}" if title else f"{dated}{inner_html(body)}", source)
    read.problems[:0] = problems
    return read


def _attachments_folder(source: str, stem: str) -> str:
    """Where the app keeps the note's attachments, relative to the note's file."""
    return "../attachments/" if _GUID_NAME.fullmatch(stem) else f"{stem.removesuffix('.md')}_Attachments/"


def _target(href: str, text: str, attachments: str) -> tuple[str, str] | None:
    """What a ``wiz:`` link leads to: ("note", its title) or ("file", its path); None for any other link."""
    found = _WIZ_LINK.match(href.strip())
    if found is None:
        return None
    name = " ".join(text.split())
    if found[1].lower() == "open_document":
        return "note", name
    guid = f"{{{found[2]}}}" if attachments.startswith("../") else ""
    return "file", quote(f"{attachments}{guid}{name}")


def _point(link: HtmlElement, attachments: str) -> None:
    target = _target(link.get("href") or "", link.text_content(), attachments)
    if target is None:
        return
    kind, value = target
    del link.attrib["href"]
    link.set("data-wikilink" if kind == "note" else "href", value)


def _markdown_of(body: HtmlElement, attachments: str) -> str:
    """A Markdown note's source: the page's lines of text (each a ``<div>``, ``<br>`` a line break), its pictures
    ``![](…)``, its links to notes ``[[title]]`` and to attachments ``[name](path)``."""
    out: list[str] = [(body.text or "").strip()]
    for event, element in etree.iterwalk(body, events=("start", "end")):
        if element is body or not isinstance(element.tag, str):
            continue
        if event == "start":
            out.append(_opening(element, attachments))
            continue
        if element.tag == "a":
            out.append(_closing_link(element, attachments))
        elif element.tag in _LINES and not "".join(out[-1:]).endswith("\n"):
            out.append("\n")
        # After a line, white space is the page's layout (a newline between two <div>), no blank line of the note's.
        out.append("" if element.tag in _LINES and not (element.tail or "").strip() else element.tail or "")
    return "".join(out).replace("\xa0", " ")


def _opening(element: HtmlElement, attachments: str) -> str:
    if element.tag == "br":
        return "\n"
    if element.tag == "img":
        return f"![{element.get('alt') or ''}]({element.get('src') or ''})"
    opens = ""
    if element.tag == "a" and (target := _target(element.get("href") or "", "", attachments)) is not None:
        opens = "[[" if target[0] == "note" else "["
    return opens + (element.text or "")


def _closing_link(element: HtmlElement, attachments: str) -> str:
    target = _target(element.get("href") or "", element.text_content(), attachments)
    if target is None:
        return ""
    return "]]" if target[0] == "note" else f"]({target[1]})"


def is_wiz_index(name: str) -> bool:
    return PurePosixPath(name).name == "index.db"


def read_wiz_index(data: bytes, source: str) -> Loaded:
    """A record of each note the index names, by where its file is (``notes/{<guid>}`` or ``<folder>/<name>.ziw``
    beside the index); an ``index.db`` of another app is counted as the binary it is."""
    documents, tags = None, {}
    try:
        if data.startswith(_SQLITE):  # sqlite3 takes an empty or short file for memory it cannot get
            with sqlite3.connect(":memory:") as db:
                db.deserialize(data)
                documents, tags = _index_rows(db)
    except sqlite3.DatabaseError:
        documents, tags = None, {}
    if documents is None:
        return Loaded(skipped=Counter({binary_kind(data) or "other binary files": 1}))
    here = str(PurePosixPath(source).parent)
    records = []
    for guid, title, location, name, url, created in documents:
        files = [f"{here}/notes/{{{guid}}}", *([f"{here}{location}{name}"] if name else [])]
        fields = [("title", title), ("location", location), ("url", url), ("created", created),
                  *(("file", file) for file in files), *(("tag", tag) for tag in tags.get(guid, []))]
        records.append(Record(DOCUMENT, guid, tuple((key, str(value or "")) for key, value in fields), source))
    return Loaded(records=records, skipped=Counter({INDEXES: 1}))


def _index_rows(db: sqlite3.Connection) -> tuple[list[tuple] | None, dict[str, list[str]]]:
    """The index's notes (guid, title, folder, file name, page clipped, created) and each one's tags; None: no such index."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(WIZ_DOCUMENT)")}
    if not {"DOCUMENT_GUID", "DOCUMENT_TITLE", "DOCUMENT_LOCATION"} <= columns:
        return None, {}
    named = [column if column in columns else "''" for column in ("DOCUMENT_NAME", "DOCUMENT_URL", "DT_CREATED")]
    documents = db.execute(f"SELECT DOCUMENT_GUID, DOCUMENT_TITLE, DOCUMENT_LOCATION, {', '.join(named)} FROM WIZ_DOCUMENT").fetchall()
    tags: dict[str, list[str]] = {}
    try:
        for guid, tag in db.execute("SELECT d.DOCUMENT_GUID, t.TAG_NAME FROM WIZ_DOCUMENT_TAG d JOIN WIZ_TAG t ON d.TAG_GUID = t.TAG_GUID"):
            tags.setdefault(guid, []).append(str(tag or ""))
    except sqlite3.DatabaseError:  # an index with no tag tables: no tags
        pass
    return documents, tags


def join_wiznote(loaded: Loaded) -> None:
    """Each note a 为知笔记 index names with its folder and tags as topics, its creation time and its 来源; one in
    the app's trash counted, not published."""
    records = {file: record for record in loaded.records if record.kind == DOCUMENT
               for key, file in record.fields if key == "file"}
    if not records:
        return
    kept = []
    for note in loaded.notes:
        record = records.get(note.source)
        if record is not None and record.get("location").startswith(_DELETED):
            loaded.skipped[TRASH] += 1
        elif record is not None and zhihu_link(record.get("url")):  # clipped from a Zhihu post: that post
            loaded.columns.append(_clipped_post(note, record))
        else:
            kept.append(_joined(note, record) if record is not None else note)
    loaded.notes[:] = kept


def _clipped_post(note: Note, record: Record) -> Column:
    """The Zhihu article or answer a note was clipped from, as an exporter's file of it is read (no author: the clip
    names none), its folder and tags its topics."""
    keys = {"title": note.title, "url": record.get("url"), "created": record.get("created"), "tags": _topic_names(record)}
    post = read_export(keys, note.source, note.slug, WIZNOTE)
    return post.place(note.title, note.content)


def _topic_names(record: Record) -> list[str]:
    """The note's folder (but the account's own) and tags, as topics."""
    folder = PurePosixPath(record.get("location")).name
    names = [*([folder] if folder and folder not in _OWN_FOLDERS else []), *(value for key, value in record.fields if key == "tag")]
    return [name for name in dict.fromkeys(names) if name]


def _joined(note: Note, record: Record) -> Note:
    names = _topic_names(record)
    topics = [*note.tags, *(Topic(name) for name in names if name not in {t.name for t in note.tags})]
    return replace(note, tags=topics, date=normalise_date(record.get("created")) or note.date,
                   origin=web_address(record.get("url")) or note.origin)
