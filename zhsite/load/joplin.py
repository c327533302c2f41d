"""Joplin's own export (RAW: a folder of ``<id>.md``) and sync folder: each note a note, a clipped Zhihu post that post.

Joplin writes every item as a file of its own: the title on the first line, a
blank line, the body, a blank line, then the item's properties, one
``key: value`` a line, ``type_`` last (its ``BaseItem.serialize``): 1 a note,
2 a notebook, 4 an attachment (its bytes in ``resources/<id>.<ext>`` beside,
``.resource/<id>`` in a sync folder), 5 a tag, 6 a tag put on a note.  Read as
Markdown, every notebook, tag and attachment record was a note of its own,
each note ended in thirty lines of properties, its pictures (``![](:/<id>)``)
were lost and its tags never set, all with exit status 0.

A note is read as Markdown (``markup_language: 2``: as HTML) with its title,
its dates (``user_created_time``), author and source: a Zhihu post Joplin's
Web Clipper saved (``source_url``) is that post.  Each ``:/<id>`` it links or
shows becomes ``joplin:<id>``; the other records are counted, not pages, and
once every file is read (:func:`join_joplin`) each note gets its notebook and
tags as topics, and each ``joplin:<id>`` the attachment's file or the note's
page.  Encrypted items, notes in Joplin's trash and its conflict copies are
said, not published.
"""
from __future__ import annotations

import io
import posixpath
import re
import tarfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from html import escape
from pathlib import Path

from zhsite.load.exports import ExportTool, read_export, zhihu_link
from zhsite.load.fields import web_address
from zhsite.load.frontmatter import FrontMatter, normalise_date
from zhsite.load.htmlfile import warn
from zhsite.load.loaded import Loaded, Record
from zhsite.load.markdown import read_markdown_text
from zhsite.load.savedpage import with_local_pictures
from zhsite.model import Article, Note, Topic
from zhsite.pictures import INSIDE_BYTES, picture_data_url
from zhsite.problems import Problem
from zhsite.slug import safe_name
from zhsite.tree import inner_html, parse_fragment, values_reported_to

ENCRYPTED = "Joplin item encrypted"
RECORDS = "Joplin's notebook, tag and attachment records"
TRASH = "notes in Joplin's trash"
CONFLICTS = "Joplin's conflict copies"
NOTE, NOTEBOOK, ATTACHMENT, TAG, NOTE_TAG = "1", "2", "4", "5", "6"

# How Joplin's clipper fields read when a note is a clipped Zhihu post (exports.read_export).
JOPLIN = ExportTool(
    name="Joplin", example="`标题` / `` / `正文` / `` / `id: <32 hex>` / `source_url: https://zhuanlan.zhihu.com/p/1` / … / `type_: 1`",
    signs=(), link=("source_url",), created=("user_created_time", "created_time"),
    updated=("user_updated_time", "updated_time"), topics=(), kind=(),
)
_ID = re.compile(r"[0-9a-f]{32}")
_PROPERTY = re.compile(r"([a-z][a-z_]*):(.*)", re.S)
# Where a note shows or links another item: ``](:/<id>)``, ``src=":/<id>"``.
_TARGET = re.compile(r"""(?<=[("'])\s*:/([0-9a-f]{32})(?![0-9a-f])""")


@dataclass(frozen=True)
class JoplinItem:
    title: str
    body: str
    fields: dict[str, str]


def joplin_item(text: str) -> JoplinItem | None:
    """The item a file of Joplin's holds, read as Joplin reads it (from the end: properties up to a blank line,
    then the title and, after one more line, the body); None when the text does not end in its properties."""
    end = len(text.rstrip())
    fields: dict[str, str] = {}
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        if not line:  # the blank line before the properties: the body ends on the line above it
            end = start - 1
            break
        found = _PROPERTY.fullmatch(line)
        if found is None:
            return None
        fields[found[1]] = found[2].strip()
        end = start - 1
    if not _ID.fullmatch(fields.get("id", "")) or not fields.get("type_", "").isdigit():
        return None
    head = text[:max(end, 0)].split("\n", 2) if end > 0 else []
    return JoplinItem(head[0].strip() if head else "", head[2] if len(head) > 2 else "", fields)


def is_joplin_item(text: str) -> bool:
    return joplin_item(text) is not None


def read_joplin_item(text: str, source: str) -> Loaded:
    """A note (a post when clipped from Zhihu), or a record counted and kept for :func:`join_joplin`."""
    item = joplin_item(text)
    if item is None:  # the shapes table reads only what is_joplin_item recognised
        return Loaded()
    fields = item.fields
    if fields.get("encryption_applied") == "1":
        return Loaded(problems=[Problem(source, "", ENCRYPTED, "export it from Joplin with the notes decrypted", severity="warning")])
    kind = fields["type_"]
    if kind != NOTE:
        kept = tuple((key, fields.get(key, "")) for key in ("parent_id", "note_id", "tag_id", "file_extension"))
        return Loaded(skipped=Counter({RECORDS: 1}), records=[Record(kind, fields["id"], (("title", item.title), *kept), source)])
    if fields.get("deleted_time", "0") not in ("", "0") or fields.get("is_conflict") == "1":
        return Loaded(skipped=Counter({TRASH if fields.get("is_conflict") != "1" else CONFLICTS: 1}))
    body = _TARGET.sub(r"joplin:\1", item.body)
    post = bool(zhihu_link(fields.get("source_url", "")))
    if fields.get("markup_language") == "2":
        read = _html_note(item.title, body, fields, source, post)
    else:
        known = {**fields, "title": item.title} if post else {"source": fields.get("source_url", "")}  # a note: where it was clipped
        meta = FrontMatter(title=item.title, date=_date(fields), fields=known)
        read = read_markdown_text(meta, body, source, 3, [], tool=JOPLIN if post else None, slug=safe_name(item.title) or fields["id"])
    shown = [*read.notes, *(article for column in read.columns for article in column.articles)]
    title = shown[0].title if shown else item.title  # as its page is titled: the links to it find it by that
    read.records.append(Record(NOTE, fields["id"], (("parent_id", fields.get("parent_id", "")), ("title", title)), source))
    return read


def _date(fields: dict[str, str]) -> str:
    return normalise_date(fields.get("user_created_time") or fields.get("created_time", ""))


def _html_note(title: str, body: str, fields: dict[str, str], source: str, post: bool) -> Loaded:
    """A note Joplin keeps as HTML (a page clipped whole): its HTML, pictures beside it found as a saved page's are."""
    problems: list[Problem] = []
    with values_reported_to(partial(warn, problems, source)):
        content = inner_html(with_local_pictures(parse_fragment(body), source))
    found = read_export({**fields, "title": title}, source, fields["id"], JOPLIN) if post else None
    if found is not None:
        return Loaded(columns=[found.place(title, content)], problems=problems)
    note = Note(slug=safe_name(title) or fields["id"], title=title or fields["id"], content=content, date=_date(fields),
                origin=web_address(fields.get("source_url")), source=source)
    return Loaded(notes=[note], problems=problems)


MISSING = "Joplin item not in the export"
NOT_JEX = "Joplin export (JEX) that cannot be opened"
# Where a note shows or links another item, once read: ``src="joplin:<id>"``, ``href="joplin:<id>"``.
_ATTRIBUTE = re.compile(r"""\b(?P<name>src|href)\s*=\s*(?P<quote>["'])joplin:(?P<id>[0-9a-f]{32})(?P=quote)""")
# What a note's joplin:<id> becomes, given the id, whether a picture shows it, and the note's file: the attribute
# written in its place (``src="content/resources/<id>.png"``); None when the export does not hold the item, "" when
# it holds it and a page cannot show it (a file that is no picture, inside a JEX).
Target = Callable[[str, bool, str], str | None]
NOT_SHOWN = "Joplin attachment not shown"


class Joplin:
    """The records of one export: each note's notebook and tags, by id."""

    def __init__(self, records: list[Record]) -> None:
        self.records: dict[str, dict[str, Record]] = defaultdict(dict)
        for record in records:
            self.records[record.kind][record.id] = record
        self.tags: dict[str, list[str]] = defaultdict(list)
        for put in self.records[NOTE_TAG].values():
            if (tag := self.records[TAG].get(put.get("tag_id"))) is not None and tag.get("title"):
                self.tags[put.get("note_id")].append(tag.get("title"))

    def topics(self, note: Record) -> list[Topic]:
        """Its notebook's title, then its tags."""
        notebook = self.records[NOTEBOOK].get(note.get("parent_id"))
        names = [notebook.get("title")] if notebook is not None and notebook.get("title") else []
        return [Topic(name) for name in dict.fromkeys([*names, *sorted(self.tags.get(note.id, []))])]

    def joined(self, item: Note | Article, note: Record, target: Target, problems: list[Problem]) -> Note | Article:
        """The note or post read from *note*'s file with its topics and the items it shows and links (*target*)."""
        shown = "tags" if isinstance(item, Note) else "topics"
        changes: dict = {shown: [*getattr(item, shown), *self.topics(note)]}
        if "joplin:" in item.content:
            changes["content"] = _targets(item.content, item.source, target, problems)
        return replace(item, **changes)


def join_joplin(loaded: Loaded, root: Path) -> None:
    """Each note of a Joplin folder with its notebook and tags as topics, and each ``joplin:<id>`` it shows or links
    the attachment's file or the other note's (so its page); *root*: where sources are relative to."""
    joplin = Joplin(loaded.records)
    notes = {record.source: record for record in joplin.records[NOTE].values()}
    if not notes:
        return
    files = {key: _attachment(key, record.source, record.get("file_extension"), root) for key, record in joplin.records[ATTACHMENT].items()}
    files |= {key: record.source for key, record in joplin.records[NOTE].items()}

    def target(key: str, picture: bool, source: str) -> str | None:
        path = files.get(key) or (_attachment(key, source, "", root) if picture else None)
        if path is None:
            return None
        return f'{"src" if picture else "href"}="{escape(path if picture else posixpath.relpath(path, posixpath.dirname(source)))}"'
    loaded.notes[:] = [joplin.joined(note, notes[note.source], target, loaded.problems) if note.source in notes else note
                       for note in loaded.notes]
    for column in loaded.columns:
        column.articles = [joplin.joined(article, notes[article.source], target, loaded.problems) if article.source in notes else article
                           for article in column.articles]


def _attachment(key: str, record: str, extension: str, root: Path) -> str:
    """Where an attachment's bytes are: ``resources/<id>.<ext>`` beside its *record* file (an export), else
    ``.resource/<id>`` (a sync folder, whose files have no suffix).  A picture whose file is missing is said so,
    and left out, by the image phase, as any picture (zhsite/images/)."""
    folder = posixpath.dirname(record)
    exported = posixpath.join(folder, "resources", f"{key}.{extension}" if extension else key)
    synced = posixpath.join(folder, ".resource", key)
    return synced if not (root / exported).is_file() and (root / synced).is_file() else exported


def _targets(html: str, source: str, target: Target, problems: list[Problem]) -> str:
    """Each ``joplin:<id>`` made what *target* says; one that names no item of the export, or one no page can show,
    is said, its link's text kept."""
    missing: list[str] = []
    unshown: list[str] = []

    def written(found: re.Match) -> str:
        made = target(found["id"], found["name"] == "src", source)
        if not made:
            (missing if made is None else unshown).append(found["id"])
        return made or found[0]  # a scheme no page links to: the sanitiser leaves the link's text
    html = _ATTRIBUTE.sub(written, html)
    if missing:
        problems.append(Problem(source, "", MISSING, f"{len(missing)} linked (first: :/{missing[0]}), shown as text", severity="warning"))
    if unshown:
        problems.append(Problem(source, "", NOT_SHOWN, f"{len(unshown)} (first: :/{unshown[0]}), shown as text: only pictures are shown "
                                                       "from inside a JEX file (export as RAW to publish the files)", severity="warning"))
    return html


def is_jex(name: str) -> bool:
    return name.lower().endswith(".jex")


def read_jex(data: bytes, source: str) -> Loaded:
    """Joplin's JEX export, a tar of the RAW export's files, read as that folder is: each note a note (or post) with
    its topics, its pictures inside the page as ``data:`` URLs, its links to other notes found by their titles."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as packed:
            parts, pictures = _unpacked(packed, source)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        return Loaded(problems=[Problem(source, "", NOT_JEX, f"{exc}; export it again from Joplin")])
    loaded = Loaded()
    for part in parts:
        loaded.problems += part.problems
        loaded.skipped += part.skipped
    joplin = Joplin([record for part in parts for record in part.records])
    titles = {key: record.get("title") for key, record in joplin.records[NOTE].items() if record.get("title")}

    def target(key: str, picture: bool, source: str) -> str | None:
        if key in pictures:
            return f'{"src" if picture else "href"}="{pictures[key]}"'
        if key in joplin.records[ATTACHMENT]:
            return ""
        return f'data-wikilink="{escape(titles[key])}"' if key in titles and not picture else None
    for part in parts:
        note = part.records[-1] if part.records and part.records[-1].kind == NOTE else None
        if note is not None:
            loaded.notes += [joplin.joined(item, note, target, loaded.problems) for item in part.notes]
            loaded.columns += [replace(column, articles=[joplin.joined(a, note, target, loaded.problems) for a in column.articles])
                               for column in part.columns]
    return loaded


def _unpacked(packed: tarfile.TarFile, source: str) -> tuple[list[Loaded], dict[str, str]]:
    """Each item the JEX holds, read, and the ``data:`` URL of each attachment that is a picture, by its id; only
    those attachments are read of the file's other members."""
    members = {member.name.removeprefix("./"): member for member in packed.getmembers() if member.isfile()}
    texts = [_text(_member(packed, member)) for name, member in sorted(members.items()) if "/" not in name and name.endswith(".md")]
    parts = [read_joplin_item(text, source) for text in texts if is_joplin_item(text)]
    pictures = {}
    for record in (record for part in parts for record in part.records if record.kind == ATTACHMENT):
        member = members.get(f"resources/{record.id}.{record.get('file_extension')}")
        if member is not None and member.size <= INSIDE_BYTES and (url := picture_data_url(_member(packed, member))):
            pictures[record.id] = url
    return parts, pictures


def _member(packed: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    found = packed.extractfile(member)
    return found.read() if found is not None else b""


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
