"""语雀 (Yuque) knowledge bases exported whole (``.lakebook``): each document a note, in the book's order.

语雀 exports a knowledge base in one go only as its own format: a tar of a
folder holding ``$meta.json`` (``{"meta": "<JSON>"}``, whose ``book.tocYml``
lists the book's contents in YAML: ``type`` TITLE or DOC, ``title``, ``url``,
``level``) and one ``<url>.json`` a document (``{"doc": {"title", "body",
"format", "created_at", …}}``).  A document's body is Lake, 语雀's HTML: its
pictures, code, formulas, rules, tables, attachments and diagrams are
``<card name="…" value="data:<percent-encoded JSON>">`` elements, nothing a
browser shows.  Put in ``content/``, a book was one skipped TAR file.

Each document becomes a note titled by its title, dated by its creation, the
book's name its topic (as a Joplin notebook's), its
cards what they stand for (a picture from its address, code in its
language, a formula typeset, a table, a link for an attachment or bookmark,
a diagram's picture or its code); a link to another document of the book
leads to its note.  A card no page can show (a sheet, a board without a
picture) is its name with a warning; a sheet or board document is said, not
a note.  A book that cannot be opened is an error naming it.
"""
from __future__ import annotations

import html
import io
import re
import tarfile
import zlib
from dataclasses import replace as replaced
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml
from lxml.html import HtmlElement

from zhsite.load.frontmatter import bounded_yaml, normalise_date
from zhsite.load.jsontext import parse_json
from zhsite.load.loaded import Loaded
from zhsite.load.markdown import read_markdown
from zhsite.model import Note, Topic
from zhsite.problems import Problem
from zhsite.slug import safe_name
from zhsite.tree import Warn, inner_html, parse_element, parse_fragment, remove, replace, text_of

NOT_LAKEBOOK = "语雀 book (.lakebook) that cannot be opened"
NOT_A_NOTE = "语雀 document only 语雀 can show"  # a sheet, a table, a board
CARD_NOT_SHOWN = "语雀 card not shown"
DOCUMENT_NOT_READ = "语雀 document not read"
META = "$meta.json"
_SELF_CLOSED_CARD = re.compile(r"<card\b([^<>]*?)\s*/>", re.I)
_LAKE_HEAD = re.compile(r"^\s*<!doctype lake>|<meta\b[^<>]*>", re.I)


def is_lakebook(name: str) -> bool:
    return name.lower().endswith(".lakebook")


def read_lakebook(data: bytes, source: str) -> Loaded:
    """Every document of the book, in its contents' order."""
    read = Loaded()
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as packed:
            name, documents = _documents(packed, source, read.problems)
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError, yaml.YAMLError) as exc:
        return Loaded(problems=[Problem(source, "", NOT_LAKEBOOK, f"{exc}; export the book again from 语雀")])
    titles = {str(item.get("url")): str(item.get("title") or "") for item, _ in documents}
    book = Topic(name or PurePosixPath(source).stem)  # its notes' topic, as a Joplin notebook's
    for item, document in documents:
        part = _document(item, document.get("doc") if isinstance(document.get("doc"), dict) else {}, titles, source)
        for note in part.notes:
            note.tags = [book, *(tag for tag in note.tags if tag.name != book.name)]
        read.add(part)
    return read


# A document's file past this is no document of a book: it is not read, and said to be too large.
_DOCUMENT_BYTES = 64 * 1024 * 1024


def _documents(packed: tarfile.TarFile, source: str, problems: list[Problem]) -> tuple[str, list[tuple[dict, dict]]]:
    """The book's name, and each document its contents list with its file's JSON, in their order."""
    files = {member.name: member for member in packed.getmembers() if member.isfile()}
    meta = next((name for name in files if name.rsplit("/", 1)[-1] == META), None)
    if meta is None:
        raise tarfile.TarError(f"no {META} in it")
    found = []
    name, contents = _contents(_json(packed, files[meta], source, problems), source, problems)
    for item in contents:
        member = files.get(f"{meta[: -len(META)]}{item['url']}.json")
        if member is None or member.size > _DOCUMENT_BYTES:
            why = "listed in the book's contents, not in the file" if member is None else f"{member.size:,} bytes, too large to read"
            problems.append(Problem(source, f"document {item['url']}", DOCUMENT_NOT_READ, f"{item.get('title') or ''} ({why})"))
        else:
            found.append((item, _json(packed, member, source, problems)))
    return name, found


def _json(packed: tarfile.TarFile, member: tarfile.TarInfo, source: str, problems: list[Problem]) -> dict:
    """The JSON object a file of the book holds, read by the hardened reader (zhsite/load/jsontext.py): what it cannot
    read is said at its place in that file; {} when it holds no object."""
    found = packed.extractfile(member)
    value, said = parse_json(found.read().decode("utf-8") if found is not None else "", source)
    problems += [replaced(problem, where=f"{member.name} {problem.where}".strip()) for problem in said]
    return value if isinstance(value, dict) else {}


# The values a book's contents may hold: about twenty a document, so 100,000 documents; never the billions an alias bomb is.
_TOC_VALUES = 2_000_000


def _contents(meta: dict, source: str, problems: list[Problem]) -> tuple[str, list[dict]]:
    """The book's name, and its documents in its contents' order (``book.tocYml``); its groups (TITLE) hold no text."""
    inner, said = parse_json(meta["meta"], source) if isinstance(meta.get("meta"), str) else (meta, [])
    problems += said
    book = inner.get("book") if isinstance(inner, dict) and isinstance(inner.get("book"), dict) else {}
    toc = bounded_yaml(str(book.get("tocYml") or ""), _TOC_VALUES) or []
    found = [item for item in toc if isinstance(item, dict) and item.get("type") == "DOC" and item.get("url")] if isinstance(toc, list) else []
    if not found:
        raise ValueError(f"its {META} lists no document")
    return " ".join(str(book.get("name") or "").split()), found


def _document(item: dict, doc: dict, titles: dict[str, str], source: str) -> Loaded:
    title = str(doc.get("title") or item.get("title") or item.get("url"))
    where = f"document {item.get('url')}"
    form = str(doc.get("format") or "lake")
    if form not in ("lake", "markdown"):  # lakesheet, laketable, lakeboard: a table or a board only 语雀 draws
        return Loaded(problems=[Problem(source, where, NOT_A_NOTE, f"{title} ({form}): export it from 语雀 as a sheet or a picture", severity="warning")])
    body = str(doc.get("body") or doc.get("body_html") or "")
    date = normalise_date(str(doc.get("created_at") or doc.get("first_published_at") or doc.get("published_at") or ""))
    slug = safe_name(title) or str(item.get("url"))
    if form == "markdown":
        read = read_markdown(f"---\n{yaml.safe_dump({'title': title, 'date': date}, allow_unicode=True)}---\n{body}", source)
        read.notes = [replaced(note, slug=slug) for note in read.notes]
        return read
    problems: list[Problem] = []
    content = lake_html(body, title, titles, lambda kind, detail: problems.append(Problem(source, where, kind, detail, severity="warning")))
    return Loaded(notes=[Note(slug=slug, title=title, content=content, date=date, source=source)], problems=problems)


def lake_html(body: str, title: str, titles: dict[str, str], warn: Warn) -> str:
    """Lake as HTML: each card what it stands for, each link to a document of the book (*titles*, by its url) a
    link to its note (a wikilink, found by title); a first heading that repeats the document's *title* left out, as
    a Markdown note's is (the page shows the title above it)."""
    root = parse_fragment(_SELF_CLOSED_CARD.sub(r"<card\1></card>", _LAKE_HEAD.sub("", body)))
    for card in list(root.iter("card")):
        parent = card.getparent()
        alone = parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() and not (card.tail or "").strip()
        replace(card, parse_element(_card(card.get("name") or "", _value(card.get("value") or ""), alone, warn)))
    _without_repeated_title(root, title)
    for link in root.iter("a"):
        document = urlsplit(link.get("href") or "").path.rstrip("/").rsplit("/", 1)[-1]
        if "yuque.com" in (link.get("href") or "") and document in titles and titles[document]:
            link.attrib.pop("href")
            link.set("data-wikilink", titles[document])
    return inner_html(root)


def _without_repeated_title(root: HtmlElement, title: str) -> None:
    first = next((child for child in root if isinstance(child.tag, str)), None)
    if first is not None and first.tag in ("h1", "h2", "h3") and " ".join(text_of(first).split()) == " ".join(title.split()) \
            and not (root.text or "").strip():
        remove(first)


def _value(written: str) -> dict:
    """A card's value: ``data:`` then its JSON, percent-encoded."""
    value, _ = parse_json(unquote(written.removeprefix("data:")), "")  # a card it cannot read is said as a card not shown
    return value if isinstance(value, dict) else {}


# Cards 语雀 draws from their code: shown as the picture it saved when it has one, else as their code.
_DRAWN = ("diagram", "flowchart2", "board", "mermaid", "puml")


def _card(name: str, value: dict, alone: bool, warn: Warn) -> str:
    """What a card of *name* shows, as one element of HTML; *alone*: the only thing in its paragraph (a formula
    shown apart)."""
    text = {key: html.escape(str(value.get(key) or ""), quote=True) for key in ("src", "name", "title", "code", "mode", "url")}
    picture = text["src"] or text["url"]
    if picture and (name == "image" or name in _DRAWN):
        return f'<img src="{picture}" alt="{text["name"] or text["title"]}">'
    if name == "math":
        return f'<div class="math block">{text["code"]}</div>' if alone else f'<span class="math inline">{text["code"]}</span>'
    if name == "codeblock" or (name in _DRAWN and text["code"]):
        language = text["mode"] or html.escape(str(value.get("type") or name))
        return f'<pre><code class="language-{language}">{text["code"]}</code></pre>'
    if name == "hr":
        return "<hr>"
    if name == "table" and isinstance(value.get("html"), str):
        return f"<div>{value['html']}</div>"
    detail = value.get("detail") if isinstance(value.get("detail"), dict) else {}
    link = picture or html.escape(str(detail.get("url") or ""), quote=True)
    label = text["name"] or text["title"] or html.escape(str(detail.get("title") or ""))
    if link:  # an attachment, a bookmark, a video, a document of another book
        return f'<a href="{link}">{label or link}</a>'
    warn(CARD_NOT_SHOWN, f"a {name or 'nameless'} card, shown as its name")
    return f"<span>[{html.escape(name)}]</span>"
