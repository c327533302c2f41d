"""One document per article and note: the facts a result shows and the filters offer, and the text as a reader sees it.

A document is made from the model, not from the rendered page: title,
column, author, topics, kind, date and the body as plain paragraphs —
without the TeX a formula keeps in its MathML (a formula is found by what it
shows), without Markdown marks an archive kept as text (``**``, ``###``), and
without the lines a column repeats on most of its pages (a signature or a
"follow me" line would be every excerpt and match everywhere).  Comments
join the text when ``search_comments`` is on.
"""
from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from zhsite.config import Config
from zhsite.model import Article, Body, Column, Comment, Note, Site, in_reading_order
from zhsite.tree import read_fragment

NOTES_COLUMN = "学习笔记"  # what the 专栏 filter calls the notes, as their pages' kicker does
# What a page holds but never shows: a formula's TeX source, kept in its MathML. Indexed, it
# matched searches for "mathcal" and filled excerpts with backslashes.
NOT_SHOWN = ("annotation", "annotation-xml", "script", "style", "template")
# Elements that end a paragraph of text.
BLOCKS = ("p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "tr", "br",
          "figcaption", "table", "section", "hr")
# Markdown marks an archive kept as literal text: emphasis, heading hashes, list bullets, and links and images
# (``[text](target)``), whose target is an address or, where the archive made it a link, the link's
# shown title (``[微调](微调 - 维基百科)``).
MARKDOWN = re.compile(r"\*\*+|^#{1,6}\s+|^>\s+|^[-+*]\s+")
MARKDOWN_STARTS = ("#", ">", "-", "+", "*")  # what a line opens with for the anchored marks above to match
MARKDOWN_LINK = re.compile(r"(!?)\[([^\[\]\n]*)\]\(((?:[^()\n]|\([^()\n]*\))*)\)")
# A line is a column's boilerplate when at least this many of its pages, and half of them, hold it.
BOILERPLATE_PAGES = 3
# Characters of a page's text that search keeps (ten times the seeds' longest page): a longer page is found by
# what its first TEXT_CAP characters say, with a warning.  The routing index holds every two-character sequence
# of a page, and 35 MB of random CJK text made 12 million of them (past 4 GB).
TEXT_CAP = 300_000


@dataclass(frozen=True)
class Indexed:
    """An article or note as search sees it: what its page says of it, and the body (and comments) its text is made of.

    Made where the item's kind is known (:func:`searchable`), so nothing
    further down asks which kind of item it was handed.
    """

    title: str
    kind: str  # article, answer, pin, zvideo or note
    column: str  # the column's or question's title; NOTES_COLUMN for notes
    author: str
    topics: tuple[str, ...]
    date: str  # YYYY-MM-DD or ""
    body: Body | None
    comments: tuple[Comment, ...] = ()  # in reading order; notes have none
    source: str = ""  # the content file, and the place in it ("article 123"; "" for a note): what a warning names
    where: str = ""

    @property
    def facts(self) -> tuple[str, str, str, str, tuple[str, ...], str]:
        return self.title, self.kind, self.column, self.author, self.topics, self.date


def searchable(site: Site) -> list[tuple[str, Indexed]]:
    """Each article's and note's page (its output path) with what search sees of it; list pages are never results."""
    pairs = [(article.path, in_column(article, column)) for column in site.columns for article in column.articles]
    return pairs + [(note.path, as_note(note)) for note in site.notes]


def in_column(article: Article, column: Column) -> Indexed:
    return Indexed(article.title, article.kind, column.title, article.author.name, tuple(t.name for t in article.topics),
                   article.published[:10], article.body, tuple(in_reading_order(article.comments)),
                   article.source, f"{article.kind} {article.id}")


def as_note(note: Note) -> Indexed:
    return Indexed(note.title, "note", NOTES_COLUMN, "", tuple(t.name for t in note.tags), note.date[:10], note.body,
                   source=note.source)


@dataclass(frozen=True)
class Document:
    """One page as the browser searches it."""

    path: str
    title: str
    kind: str  # article, answer, pin, zvideo or note
    column: str
    author: str
    topics: tuple[str, ...]
    date: str  # YYYY-MM-DD or ""
    paragraphs: tuple[str, ...]
    length: int = 0  # the text's length in characters when it was cut to TEXT_CAP, else 0
    lines: tuple[int, ...] = ()  # each paragraph's line_hash

    def json(self, boilerplate: frozenset[int]) -> dict:
        return {
            "u": self.path, "t": self.title, "k": self.kind, "c": self.column, "a": self.author,
            "g": list(self.topics), "d": self.date,
            "x": "\n".join(p for p, line in zip(self.paragraphs, self.lines, strict=True) if line not in boilerplate),
        }


@dataclass(frozen=True, slots=True)
class Outline:
    """What the index needs of a page whose part it does not make again: its path, the facts the filters list, its
    length and its paragraphs' hashes (for the boilerplate lines).  Cached beside the document, so a build with one
    page edited reads 10,000 of these, and the documents of one part only, not 10,000 pages' text.

    Every page's is held while the index is made (1.2 kB each), so it has no attribute dictionary, and one read
    from the cache shares its column, author and topics with every other outline (:meth:`__setstate__`).
    """

    path: str
    column: str
    author: str
    topics: tuple[str, ...]
    length: int
    lines: array  # the distinct hashes, sorted, 8 bytes each: a frozenset of 10,000 pages' took 48 MB

    def __getstate__(self) -> tuple:
        return self.path, self.column, self.author, self.topics, self.length, self.lines

    def __setstate__(self, state: tuple) -> None:
        path, column, author, topics, length, lines = state
        put = object.__setattr__  # each attribute by name, no loop: 100,000 pages' outlines are read in an edited build
        put(self, "path", path)
        put(self, "column", sys.intern(column))
        put(self, "author", sys.intern(author))
        put(self, "topics", tuple(map(sys.intern, topics)) if topics else ())
        put(self, "length", length)
        put(self, "lines", lines)


def outline(doc: Document) -> Outline:
    return Outline(doc.path, doc.column, doc.author, doc.topics, doc.length, array("Q", sorted(set(doc.lines))))


def line_hash(paragraph: str) -> int:
    """64 bits of BLAKE2b: the same in every process, unlike ``hash``."""
    return int.from_bytes(hashlib.blake2b(paragraph.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def document_key(path: str, item: Indexed, config: Config) -> Iterable[str]:
    """What a page's document is made of, bodies as their digests."""
    yield path
    yield repr(item.facts)
    yield _digest(item.body)
    if config.search_comments:
        for comment in item.comments:
            yield comment.author.name
            yield _digest(comment.body)


def _digest(body: Body | None) -> str:
    return body.digest if body is not None else ""


def document(path: str, item: Indexed, config: Config) -> Document:
    """The document of one article's or note's page."""
    paragraphs = paragraphs_of(item.body)
    if config.search_comments:
        for comment in item.comments:
            paragraphs += [comment.author.name, *paragraphs_of(comment.body)]
    kept, length = capped(paragraphs)
    return Document(path, *item.facts, kept, length, tuple(map(line_hash, kept)))


def capped(paragraphs: list[str]) -> tuple[tuple[str, ...], int]:
    """The paragraphs up to TEXT_CAP characters in all, the last one kept cut short, and the length of the
    whole text when it was cut (0 when not)."""
    total = 0
    for i, paragraph in enumerate(paragraphs):
        total += len(paragraph)
        if total > TEXT_CAP:
            return (*paragraphs[:i], paragraph[: len(paragraph) - (total - TEXT_CAP)]), sum(map(len, paragraphs))
    return tuple(paragraphs), 0


def boilerplate(outlines: list[Outline]) -> frozenset[int]:
    """The hashes of the lines a column repeats on at least half of its pages (and three): signatures, "follow me" lines."""
    by_column: dict[str, list[Outline]] = {}
    for o in outlines:
        by_column.setdefault(o.column, []).append(o)
    found: set[int] = set()
    for pages in by_column.values():  # one column's lines counted at a time: every line of 10,000 pages at once is 100 MB
        seen = Counter(line for o in pages for line in o.lines)
        found.update(line for line, n in seen.items() if n >= BOILERPLATE_PAGES and 2 * n >= len(pages))
    return frozenset(found)


def paragraphs_of(body: Body | None) -> list[str]:
    """A body's text as the reader sees it, one line a paragraph, spaces collapsed, Markdown marks dropped."""
    html = body.html if body is not None else ""  # read once: a body's HTML may be read from the build cache
    if not html.strip():
        return []
    root = read_fragment(html)
    for hidden in [e for e in root.iter(*NOT_SHOWN)]:
        hidden.drop_tree()
    for block in root.iter(*BLOCKS):
        block.tail = "\n" + (block.tail or "")
    return [line for line in map(_shown_line, root.text_content().split("\n")) if line]


def _shown_line(line: str) -> str:
    """One line's spaces collapsed and its Markdown marks dropped; each pattern tried only where the text holds
    what it starts with (most lines hold neither): the lines of 2,000 articles in 0.14 s, not 0.47 s."""
    line = " ".join(line.split())
    if "](" in line:
        line = MARKDOWN_LINK.sub(_link_text, line)
    if "**" in line or line.startswith(MARKDOWN_STARTS):
        line = MARKDOWN.sub("", line)
    return line.strip()


def _link_text(link: re.Match) -> str:
    """A Markdown link's text, and its target when that is a title rather than an address; an image's alt text."""
    image, text, target = link.groups()
    if image or "/" in target or "." in target.split(" ")[0]:
        return text
    return f"{text}（{target}）" if text else target
