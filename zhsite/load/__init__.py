"""Load: every file under ``content/`` becomes part of one content model.

Each file is decoded and sniffed from its bytes, then handed to the reader for
its kind.  A file that cannot be read is reported and skipped; the others
still build.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

from zhsite.cache import BuildCache
from zhsite.config import Config
from zhsite.load.bear import is_bear_backup, is_bundle_info, join_bundle_info, read_bear_backup, read_bundle_info
from zhsite.load.companions import attach_companions
from zhsite.load.decoding import DAMAGED, decode_mostly
from zhsite.load.documents import document_format, is_packaged_document, read_document, unread_document
from zhsite.load.ebooks import is_ebook, read_ebook
from zhsite.load.fonts import restore_articles
from zhsite.load.joplin import is_jex, join_joplin, read_jex
from zhsite.load.jsontext import json_values, parse_json
from zhsite.load.lastgood import LastGood
from zhsite.load.loaded import DRAWINGS, Loaded, one_of_each
from zhsite.load.names import UNREADABLE_NAME, decoded_path
from zhsite.load.packed import is_compressed_post, nothing_but_packed, packed_archive, uncompressed
from zhsite.load.shapes import shape_for
from zhsite.load.sniff import UndecodableError, binary_kind, sniff
from zhsite.load.webarchive import is_web_archive, saved_page
from zhsite.load.wiznote import is_wiz_index, is_wiznote, join_wiznote, read_wiz_index, read_ziw
from zhsite.load.xmind import is_freemind, is_xmind, read_freemind, read_xmind
from zhsite.load.yuque import is_lakebook, read_lakebook
from zhsite.load.zhihuhelp import is_copy_of_pages
from zhsite.model import Column, articles_newest_first
from zhsite.pictures import image_format
from zhsite.problems import BuildError, Problem
from zhsite.slug import distinct_slugs

UNKNOWN_SHAPE = "unknown archive shape"  # the CLI says once, under this kind, which shapes are supported (supported_shapes)
LINK_OUTSIDE = "symbolic link outside the project, skipped"
LINK_TO_FOLDER = "symbolic link to a folder, skipped"
BROKEN_LINK = "broken symbolic link, skipped"
NO_PROJECT = "no project folder"
NO_CONTENT = "no content folder"
EMPTY_CONTENT = "empty content folder: nothing built, the site left as it was"
CANNOT_DECODE = "cannot decode"
EMPTY_FILE = "empty file"
CANNOT_READ = "cannot read"
READER_FAILED = "internal error while reading"

_EDITOR_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".bak", "~")


def is_editor_noise(name: str) -> bool:
    """Hidden files (also vim's ``.x.swp`` and emacs's ``.#x``), backups, emacs ``#x#``, vim's ``4913`` probe.

    Editors leave these beside the archives while one is open; they are never content.
    """
    return name.startswith(".") or name.endswith(_EDITOR_SUFFIXES) or (name.startswith("#") and name.endswith("#")) or name == "4913"


# Files export folders keep beside the archives that are never an archive, though they are text, by the kind
# the build counts them as: the crawler itself, its settings and logs, a site generator's pages, an exporter's
# index table, a browser's link to a post; by suffix, then by whole name.
SIDE_SUFFIXES = {
    **dict.fromkeys(".py .js .mjs .ts .jsx .tsx .vue .css .scss .sh .bat .ps1 .yml .yaml .toml .ini .cfg .conf .mdx .lock"
                    .split(), "code and config files"),
    # What a LaTeX note's folder holds beside the .tex (read by pandoc, zhsite/load/documents.py): its bibliography,
    # packages and classes, and what a LaTeX run leaves.
    **dict.fromkeys(".bib .bst .sty .cls .aux .bbl .blg .toc .lof .lot .out .fls .fdb_latexmk .nav .snm .idx .ind .ilg .xdv"
                    .split(), "LaTeX support files"),
    ".log": "logs", ".csv": "tables", ".tsv": "tables", ".url": "link shortcuts", ".webloc": "link shortcuts",
    ".edn": "code and config files",  # Clojure's data: a Logseq graph's logseq/config.edn
    ".excalidraw": DRAWINGS,  # Excalidraw's own file (a Logseq graph's draws/, the app's "Save to disk")
}
# Logseq keeps each page's earlier versions in its graph's logseq/bak/ and logseq/version-files/: published, every
# version was a note beside the page (named by its time, 2024_01_05T10_00_00.000Z.Desktop).
LOGSEQ_BACKUPS = "Logseq's backups of its pages"
# 思源笔记 keeps earlier versions of its documents under its workspace's history/ (each a note beside the document,
# published), its databases under data/storage/av/, and its templates (Go's text/template: {{.title}}, .action{now})
# under data/templates/.
SIYUAN_HISTORY = "SiYuan's history of its documents"
SIYUAN_DATABASES = "SiYuan's databases"
SIYUAN_TEMPLATES = "SiYuan's templates"
# Google Takeout's Keep/ folder: each note as JSON (read, zhsite/load/keep.py) and again as a page, and a list of labels.
KEEP_COPIES = "Google Keep's HTML copies of its notes"
KEEP_LABELS = "Google Keep label lists"
# What Word and OneNote write in a web page's <name>_files/ beside its pictures: the page's header, footnotes and lists
# as pages of their own, each linking the main file (<link rel=Main-File href="../x.htm">).
OFFICE_PARTS = "parts of Office web pages"
# An OPML file of a feed reader's subscriptions (its outlines name feeds: xmlUrl=…), not an outline of notes.
FEED_LISTS = "feed subscription lists"
_TEMPLATE_MARKS = (b".action{", b"{{.")
SIDE_NAMES = {"requirements.txt": "code and config files", "license": "licences", "license.txt": "licences",
              "license.md": "licences", "copying": "licences"}
# A crawler's login (cookies.txt, cookies.json, or any file in the Netscape format): never published, it would hand
# the account to anyone.  A note about cookies (cookie-理解.md) is a note.
COOKIES = "cookie files"
_COOKIE_HEADERS = (b"# Netscape HTTP Cookie File", b"# HTTP Cookie File")
# What Chrome in Chinese adds to the scripts and styles it saves with a page (``<page>_files/main.js.下载``).
_SAVED_WITH_A_PAGE = ".下载"


# The first bytes of a file, which tell a side file (a picture, a video, a PDF) from an archive:
# binary_kind looks at 8 KiB, image_format at 1 KiB.
HEAD_BYTES = 8192


def side_kind(name: str, head: bytes) -> str | None:
    """What a text file that is never an archive is, by its name and first bytes (*head*); None for the rest."""
    path = Path(name)
    path = path.with_suffix("") if path.suffix == _SAVED_WITH_A_PAGE else path
    if path.stem.lower() in ("cookie", "cookies") or head.lstrip().startswith(_COOKIE_HEADERS):
        return COOKIES
    where = f"/{path.as_posix()}"
    if any(f"/logseq/{copies}/" in where for copies in ("bak", "version-files")):
        return LOGSEQ_BACKUPS
    if path.suffix == ".sy" and "/history/" in where:
        return SIYUAN_HISTORY
    if "/data/storage/av/" in where:
        return SIYUAN_DATABASES
    if "/data/templates/" in where and any(mark in head for mark in _TEMPLATE_MARKS):
        return SIYUAN_TEMPLATES
    if path.suffix.lower() in (".htm", ".html") and re.search(rb"rel=[\"']?Main-File", head):
        return OFFICE_PARTS
    if path.suffix.lower() == ".opml" and b"xmlUrl=" in head:
        return FEED_LISTS
    if path.parent.name == "Keep" and (path.name == "Labels.txt" or (path.suffix == ".html" and b'<div class="note' in head)):
        return KEEP_LABELS if path.suffix == ".txt" else KEEP_COPIES
    return SIDE_SUFFIXES.get(path.suffix.lower()) or SIDE_NAMES.get(path.name.lower())


def content_files(content_dir: Path, problems: list[Problem]) -> list[Path]:
    """Every regular file, in a stable order, without editor noise.

    A symbolic link is followed only to a file inside the project: one to
    ``/etc/passwd`` would otherwise be published as a note.  A link to a
    folder is not followed (one to ``..`` would never end), and a broken one
    leads nowhere: each is skipped with a warning in *problems*, as a link
    out of the project is, never in silence.
    """
    inside = (content_dir.parent.resolve(), content_dir.resolve())  # the project, and content/ wherever it is
    found = []
    for p in sorted(_files(content_dir, links=True)):
        if not p.exists():  # missing, or a loop of links (which resolve() would raise on)
            kind, detail = BROKEN_LINK, f"it leads to {os.readlink(p)}, which cannot be reached"
        else:
            target = p.resolve()
            kind = LINK_TO_FOLDER if p.is_dir() else "" if any(folder in target.parents for folder in inside) else LINK_OUTSIDE
            detail = f"it leads to {target}" + (" (put the folder itself in the content folder)" if kind == LINK_TO_FOLDER else "")
        if kind:
            problems.append(Problem(decoded_path(p.relative_to(content_dir.parent))[0], "", kind, detail, severity="warning"))
            continue
        found.append(p)
    return found


def _files(content_dir: Path, links: bool = False) -> Iterator[Path]:
    """The regular files under *content_dir* but editor noise, as the folder lists them; and the symbolic
    links to anything else, with *links*."""
    for p in content_dir.rglob("*"):
        if (p.is_file() or (links and p.is_symlink())) and not any(is_editor_noise(part) for part in p.relative_to(content_dir).parts):
            yield p


class NoContent(BuildError):
    """Nothing to build: no project folder, or no content in it.  The CLI says so in one line, exit status 2."""


def check_project(project: Path) -> None:
    """A project folder that is there; else :class:`NoContent`, before anything is made (a cache, a site)."""
    if not project.is_dir():
        why = "is not a folder" if project.exists() else "does not exist"
        raise NoContent(Problem(str(project), "", NO_PROJECT, f"it {why}; nothing done "
                                                              "(-s names the folder that holds zhsite.toml and content/)"))


def check_content(project: Path, config: Config) -> None:
    """A content folder with a file in it; else :class:`NoContent`, before anything is made or replaced.

    A mistyped ``-s`` or ``content_dir``, or a renamed ``content/``, would
    otherwise replace a published site with an empty one.
    """
    check_project(project)
    content = project / config.content_dir
    if not content.is_dir():
        raise NoContent(Problem(str(content), "", NO_CONTENT, "nothing built, the site left as it was "
                                                              f"(put the archives in {config.content_dir}/, or name their folder with content_dir in zhsite.toml)"))
    if next(_files(content), None) is None:
        raise NoContent(Problem(str(content), "", EMPTY_CONTENT))


def load_file(data: bytes, name: str, into: Loaded) -> None:
    """The file read by the first shape of its kind that recognises it; side files are counted, not read.
    A document in a format pandoc reads (zhsite/load/documents.py) is read by it: Word's bytes as they are, LaTeX,
    Org or reStructuredText as any text is decoded (a GBK ``.tex`` of the CTeX years), then given to it as UTF-8."""
    packed = packed_reader(name)
    if packed is not None:
        into.add(packed(data, name))
        return
    if _side_file(data[:HEAD_BYTES], name, into):
        return
    try:
        text, damage = decode_mostly(data)
    except UndecodableError as exc:
        into.problems.append(Problem(name, "", CANNOT_DECODE, str(exc)))
        return
    if damage:
        into.problems.append(Problem(name, damage[0], DAMAGED, damage[1], severity="warning"))
    if not text.strip():
        into.problems.append(Problem(name, "", EMPTY_FILE, severity="warning"))
        return
    if document_format(name):
        into.add(read_document(text.encode("utf-8", "surrogatepass"), name))
        return
    kind = sniff(text)
    if kind == "json" or _lone_json_value(text, name):
        load_json(text, name, into)
    else:
        into.add(shape_for(kind, text).read(text, name))


# Files read whole by a reader of their bytes, by their name: a Word document, an e-book, a Joplin export, a 语雀 book,
# a 为知笔记 note and its app's index of them, a Bear backup or TextPack, a TextBundle's info.json, an XMind or FreeMind map.
_PACKED_READERS: tuple[tuple[Callable[[str], bool], Callable[[bytes, str], Loaded]], ...] = (
    (is_packaged_document, read_document), (is_ebook, read_ebook), (is_jex, read_jex), (is_lakebook, read_lakebook),
    (is_wiznote, read_ziw), (is_wiz_index, read_wiz_index), (is_bear_backup, read_bear_backup), (is_bundle_info, read_bundle_info),
    (is_xmind, read_xmind), (is_freemind, read_freemind),
)


def packed_reader(name: str) -> Callable[[bytes, str], Loaded] | None:
    """The reader of a file its name says is a package of its own format (its bytes, never sniffed as text), else None."""
    return next((read for recognise, read in _PACKED_READERS if recognise(name)), None)


def _lone_json_value(text: str, name: str) -> bool:
    """A ``.json`` file of one value that is no object or array (``null``, ``42``, ``"文本"``): JSON, said to be of no
    shape zhsite reads.  Its bytes alone make it plain text, a note titled ``null``."""
    if not name.lower().endswith(".json"):
        return False
    data, problems = parse_json(text, name)
    return data is not None or not problems


def side_file_kind(name: str, head: bytes) -> str | None:
    """What a file that is no archive is ("pictures", "PDFs", "code and config files", cookies …), by its name and
    first bytes (*head*, :data:`HEAD_BYTES`, so a 5 GB video beside a note is never read whole); None: an archive to read."""
    return PICTURES if image_format(head) else side_kind(name, head) or binary_kind(head)


COPIES_OF_PAGES = "知乎助手 copies of books read page by page"
PICTURES = "pictures"  # copied by the image phase, not counted as skipped
ZIP_FILES = "ZIP files"  # binary_kind's name for them: told when one holds an archive (zhsite/load/packed.py)


def _side_file(head: bytes, name: str, into: Loaded) -> bool:
    """Whether a file is a picture or another side file (counted in *into*), or a document of a format no reader here
    takes (said in *into*)."""
    unread = unread_document(name, head)
    if unread is not None:
        into.problems.append(unread)
        return True
    side = side_file_kind(name, head)
    if side and side != PICTURES:
        into.skipped[side] += 1
    return bool(side)


def load_json(text: str, name: str, into: Loaded) -> None:
    """The JSON file, or each line of a JSON Lines file, read by the first shape that recognises it."""
    for data, problems, where in json_values(text, name):
        into.problems.extend(problems)
        if data is None and problems:  # not JSON, or only an unreadable number
            continue
        shape = shape_for("json", data)
        if shape is None:
            into.problems.append(Problem(name, where, UNKNOWN_SHAPE, f"found {_what(data)}"))
            continue
        into.add(shape.read(data, name))


def _what(data: object) -> str:
    """What a JSON value of no known shape holds, in JSON's words: an object's first keys, else its type; and the
    kind of Zhihu item it lists when that is no post (followed questions: the user learns why, and where the posts are)."""
    if isinstance(data, dict):
        items = data.get("data") if isinstance(data.get("data"), list) else [data]
        kinds = sorted({item["type"] for item in items if isinstance(item, dict) and isinstance(item.get("type"), str)} & set(_UNREAD_KINDS))
        excerpts = any(isinstance(item, dict) and item.get("type") in ("article", "answer") and "excerpt" in item and "content" not in item
                       for item in items)
        return (", ".join(sorted(map(str, data))[:12]) + "".join(f"; {_UNREAD_KINDS[kind]}" for kind in kinds)
                + (f"; {EXCERPTS_ONLY}" if excerpts else ""))
    if data is None or isinstance(data, bool):
        return f"JSON {json.dumps(data)}"
    return {list: "a JSON array", str: "a JSON string"}.get(type(data), "a JSON number")


def merge_columns(columns: list[Column]) -> list[Column]:
    """Columns of one page are one column: a folder of one-article files, a column split over page files,
    a question's answers and the question's own file (a crawler's ``meta.json``).

    What one part knows and the first does not (a question's title, detail and
    topics) fills the merged column; answers saved without their question's
    title and topics take the question's.  Two columns whose names only slug
    alike (two folders' ``column.json``, titled apart) keep a page each.
    """
    merged: dict[str, list[Column]] = {}
    for column in columns:
        same_page = merged.setdefault(column.path, [])
        first = next((kept for kept in same_page if _one_column(kept, column)), None)
        if first is None:
            same_page.append(column)
            continue
        for name in _FILLED:
            if not getattr(first, name):
                setattr(first, name, getattr(column, name))
        first.articles.extend(column.articles)
    distinct = [column for same_page in merged.values() for column in _apart(same_page)]
    for column in distinct:
        if column.kind == "question":
            column.title = column.title or f"问题 {column.slug}"
            column.articles = [a if a.title and a.topics else replace(a, title=a.title or column.title, topics=a.topics or column.topics)
                               for a in column.articles]
        column.articles = articles_newest_first(column.articles)
    return distinct


def _one_column(kept: Column, part: Column) -> bool:
    """Parts of one column name the same Zhihu address, or, lacking one, the same title (or none yet)."""
    if kept.url and part.url:
        return kept.url == part.url
    return not kept.title or not part.title or kept.title == part.title


def _apart(same_page: list[Column]) -> list[Column]:
    """Columns that would share a page, each with a slug of its own (the first in order keeps it)."""
    if len(same_page) == 1:
        return same_page
    slugs = distinct_slugs([(column.slug, column.url or column.title) for column in same_page])
    return [column if column.slug == slug else replace(column, slug=slug) for column, slug in zip(same_page, slugs, strict=True)]


# Posts a list API sent without their text (no include=…content in the request): what the user can do about it.
EXCERPTS_ONLY = ("Zhihu articles or answers with an excerpt and no text: save the list again with "
                 "include=data[*].content in its address")
# Zhihu items that are no post, by their API "type": a file listing them is of no known shape, and says what
# it lists and where the posts are.
_UNREAD_KINDS = {
    "question": "Zhihu questions without their answers: save each question's answers (/api/v4/questions/<id>/answers)",
    "column": "Zhihu columns without their articles: save each column's items (/api/v4/columns/<id>/items)",
    "collection": "Zhihu collections without what they hold: save each one's items (/api/v4/collections/<id>/items)",
    "people": "Zhihu users, which hold no post", "topic": "Zhihu topics, which hold no post",
}

_FILLED = ("title", "description", "url", "followers", "detail", "answer_count", "topics")


# What a file held when last read, by its name: (modification time, size) and what was read from it.
KnownFiles = dict[str, tuple[tuple[int, int], Loaded]]


def load_content(content_dir: Path, known: KnownFiles | None = None, cache: BuildCache | None = None) -> Loaded:
    """Every content file, read afresh, or from *known* when its modification time and size are unchanged.

    ``serve`` passes *known* between rebuilds, so saving one file reads one file.
    With a *cache*, a file whose bytes were read before is not parsed again;
    once *known* holds what ``serve`` read, it is used instead, as storing a
    saved file's parse in the cache would slow every save's reload.
    """
    loaded = Loaded()
    if not content_dir.is_dir():
        loaded.problems.append(Problem(str(content_dir), "", NO_CONTENT, "not found"))
        return loaded
    seen = set()
    first = not known  # serve's first build: every file read, through the cache
    last_good = LastGood(cache, _parsed, noting=first)
    shared: dict = {}
    for path in content_files(content_dir, loaded.problems):
        name = _name(path, content_dir, loaded.problems)
        seen.add(name)
        part = _read_once(path, name, known, last_good) if known is not None else _read(path, name, last_good)
        if first:  # serve's rebuilds after: the files it read then are as interned then, and a saved one is a few posts
            one_of_each(part, shared)
        # Columns are copied: merging below extends the first column of a slug, and *known* keeps the originals.
        loaded.columns += [replace(column, articles=list(column.articles)) for column in part.columns]
        loaded.notes += part.notes
        loaded.problems += part.problems
        loaded.profiles += part.profiles
        loaded.skipped += part.skipped
        loaded.records += part.records
    if known is not None:
        for name in known.keys() - seen:
            del known[name]
    last_good.keep()
    if not (loaded.columns or loaded.notes) and (packed := nothing_but_packed(loaded.problems)):
        raise NoContent(packed)  # all the user has is packed: the site in place stays
    attach_companions(loaded, content_dir.parent)
    join_joplin(loaded, content_dir.parent)
    join_wiznote(loaded)
    join_bundle_info(loaded)
    restore_articles(loaded.columns, content_dir.parent, loaded.problems)  # text scrambled by Zhihu, from a saved font
    loaded.columns = merge_columns(loaded.columns)
    return loaded


def _name(path: Path, content_dir: Path, problems: list[Problem]) -> str:
    """The file's name relative to the project, as text (zhsite/load/names.py): what it is reported, titled and slugged by."""
    name, read = decoded_path(path.relative_to(content_dir.parent))
    if not read:
        problems.append(Problem(name, "", UNREADABLE_NAME, "those bytes shown as U+FFFD", severity="warning"))
    return name


def _read(path: Path, name: str, last_good: LastGood) -> Loaded:
    """What the file holds, from the cache when its bytes are as before (parsing is most of loading),
    or its last good copy when it can no longer be read (zhsite/load/lastgood.py).  A side file is told by its
    first bytes and never read further.  A file as it was when last read with pages is not read (LastGood.unchanged)."""
    part = Loaded()
    again = partial(_parsed_again, path, name)
    if is_copy_of_pages(path):  # 知乎助手's book in one page or as an e-book, beside the same pages one by one
        part.skipped[COPIES_OF_PAGES] += 1
        return part
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        kept = last_good.unchanged(name, stamp, again)
        if kept is not None:
            return kept
        data = _content_bytes(path, name, part)
        if data is None:
            if part.skipped[ZIP_FILES] and (packed := packed_archive(path, name)):  # an export never unpacked
                part.skipped.clear()
                part.problems.append(packed)
            return part
    except OSError as exc:
        return last_good.instead(name, Loaded(problems=[Problem(name, "", CANNOT_READ, exc.strerror or str(exc))]))
    try:
        return last_good.parsed(name, data, stamp, again)
    except Exception as exc:  # noqa: BLE001 - a reader's bug costs its file, not the build (and is not cached)
        why = f"{type(exc).__name__}: {exc} (a bug in zhsite; the file is skipped)"
        return last_good.instead(name, Loaded(problems=[Problem(name, "", READER_FAILED, why)]))


def _content_bytes(path: Path, name: str, part: Loaded) -> bytes | None:
    """What the file holds to be parsed; None for a side file, told by its first bytes and counted in *part*."""
    with path.open("rb") as file:
        head = file.read(HEAD_BYTES)
        file.seek(0)
        if is_compressed_post(name, head):  # answers.jsonl.gz: read as the file it holds
            return uncompressed(file)
        if is_web_archive(name, head):  # Safari's saved page: read as the page it holds
            return _web_archive_page(file.read())
        return None if packed_reader(name) is None and _side_file(head, name, part) else file.read()


def _parsed_again(path: Path, name: str) -> Loaded:
    """The file read and parsed anew, not from the cache: what its parse there is when the cache lost its posts'
    HTML (zhsite/load/parsed.py).  OSError when it can no longer be read."""
    data = _content_bytes(path, name, Loaded())
    if data is None:
        raise OSError("no longer a content file")
    return _parsed(name, data)


def _web_archive_page(data: bytes) -> bytes:
    """The page a web archive holds (zhsite/load/webarchive.py); OSError, said as a file not read, when it holds none."""
    try:
        return saved_page(data)
    except ValueError as exc:
        raise OSError(str(exc)) from exc


def _parsed(name: str, data: bytes) -> Loaded:
    part = Loaded()
    load_file(data, name, part)
    return part


def _read_once(path: Path, name: str, known: KnownFiles, last_good: LastGood) -> Loaded:
    try:
        stat = path.stat()
    except OSError:
        return _read(path, name, LastGood(None, _parsed))  # gone since it was listed: _read says so
    stamp = (stat.st_mtime_ns, stat.st_size)
    if name in known and known[name][0] == stamp:
        return known[name][1]
    part = _read(path, name, last_good)
    known[name] = (stamp, part)
    return part
