"""The content model every loader produces and every template reads.

Loaders fill in the source fields (``content`` is untrusted HTML as found in
the archive); the rewrite stage fills in ``body`` (safe HTML plus its table of
contents).  Output paths are properties here so that the rewrite stage (local
links between articles) and the templates agree on one URL scheme.
"""
from __future__ import annotations

import hashlib
import posixpath
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from operator import attrgetter
from typing import Literal, NamedTuple

from zhsite.slug import safe_name

_DATE_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")

# Where each kind of Zhihu post lands: article, answer and pin ids are separate
# sequences, so each kind needs its own folder to never overwrite another.
_POST_FOLDERS = {"article": "p", "answer": "answers", "pin": "pins", "zvideo": "zvideos"}
_ZHIHU_LABELS = {"article": "知乎原文", "answer": "知乎原回答", "pin": "知乎原想法", "zvideo": "知乎原视频"}
_ARCHIVE_KEYS = {"article": "p", "answer": "answer", "pin": "pin", "zvideo": "zvideo"}


@dataclass(frozen=True)
class Author:
    name: str
    id: str = ""
    url: str = ""

    @cached_property  # an author's articles are grouped by it on every build
    def path(self) -> str:
        return f"authors/{safe_name(self.id or self.name)}.html"


@dataclass(frozen=True)
class Profile:
    """What an author's profile file says of them; it fills in their page. *ids*: each id Zhihu knows them by."""

    ids: tuple[str, ...]
    name: str
    headline: str = ""
    avatar: str = ""  # an https:// picture, shown from Zhihu


@dataclass(frozen=True)
class Topic:
    """A Zhihu topic or a note tag: the same name is the same topic everywhere."""

    name: str
    id: str = ""
    slug: str = field(default="", compare=False)  # set when another topic's name slugs alike (render.pages.topic_index)

    @property
    def path(self) -> str:
        return f"topics/{self.slug or safe_name(self.id or self.name)}.html"


class Heading(NamedTuple):
    """A section title of a body, as its table of contents lists it.

    A tuple, not a dataclass: every body holds its headings for the whole
    build (10,000 articles: 110,000 of them), and a tuple has no attribute
    dictionary to hold (issue #30).  It reads and prints as the dataclass did.
    """

    level: int
    text: str
    anchor: str


_LAST_READ = threading.local()  # the last body read by a fetch on each thread, and what it read (Body.shown)


class Shown(NamedTuple):
    """What only a body's own page shows of it: the HTML, as UTF-8, and its contents list."""

    utf8: bytes
    toc: tuple[Heading, ...] = ()


@dataclass(frozen=True, slots=True)  # no attribute dictionary: a build holds every body (100,000 articles: 50 MB less)
class Body:
    """Rewritten, sanitised HTML ready to be placed in a page, and what lists, links and fonts need of it.

    The HTML is kept as UTF-8 and decoded when a page shows it. As a Python
    string, Chinese HTML takes two bytes a character, and four once it holds a
    single character beyond the BMP (MathML's 𝑥): more than twice the bytes.
    With a build cache the HTML is not held at all (``held`` None): the rewrite
    stage stores it there and gives the body a *fetch* that reads it back for
    the one page being drawn or indexed, so a build of 10,000 articles holds no
    article's HTML longer than one page takes (issue #30), and a rebuild never
    unpickles the HTML of the pages it does not draw.  Everything else a build
    needs of every body (the digest, the excerpt, the preview's first lines,
    the characters its formulas draw) is held.  Its contents list goes with the
    HTML (:class:`Shown`): only its own page shows it, and held it was two thirds
    of what a build holds of a body (100,000 articles: 290 MB).
    """

    held: Shown | None = field(compare=False, repr=False)
    # (site path of an archived page it links to, the sentence the link is in), in the order written:
    # what the linked pages list as 被引用 (zhsite/render/links.py).  Made from the HTML, so the digest covers it.
    links: tuple[tuple[str, str], ...] = ()
    # What lists and descriptions show of it, and its length in CJK characters (zhsite/rewrite/summary.py).
    excerpt: str = ""
    length: int = 0
    lead: str = ""  # its first lines, as a link preview shows them (zhsite/rewrite/summary.py)
    math: str = ""  # the characters its formulas draw, in code point order: what the math font must hold
    # Made once, where the body is made (and cached with it): a rebuild compares
    # bodies by it to know which pages to draw again (zhsite/render/reuse.py).
    digest: str = ""
    fetch: Callable[[], Shown] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_html(cls, html: str, toc: tuple[Heading, ...] = (), links: tuple[tuple[str, str], ...] = (),
                  excerpt: str = "", length: int = 0, lead: str = "", math: str = "") -> Body:
        return cls(Shown(html.encode("utf-8", "surrogatepass"), toc), links, excerpt, length, lead, math)

    @property
    def shown(self) -> Shown:
        """The HTML and contents list, read from where they are kept when they are not held.

        The last body read on this thread keeps what was read: a page shows its contents list, then its HTML, and
        reads the entry once for both.
        """
        if self.held is not None:
            return self.held
        if self.fetch is None:
            raise ValueError("a body kept apart from its HTML (Body.apart) has none to show")
        last = getattr(_LAST_READ, "body", None)
        if last is not None and last[0] is self:
            return last[1]
        found = self.fetch()
        _LAST_READ.body = (self, found)
        return found

    @property
    def utf8(self) -> bytes:
        """The HTML as UTF-8."""
        return self.shown.utf8

    @property
    def toc(self) -> tuple[Heading, ...]:
        """Its section titles, as its page's contents list shows them."""
        return self.shown.toc

    @property
    def html(self) -> str:
        return self.utf8.decode("utf-8", "surrogatepass")

    def apart(self) -> Body:
        """This body without its HTML, to be read by :meth:`read_by` (the rewrite stage stores the HTML apart)."""
        return replace(self, held=None, fetch=None)

    def read_by(self, fetch: Callable[[], Shown]) -> None:
        """Give a body apart from its HTML the *fetch* that reads it: set once, on a body nothing has shown yet."""
        if self.held is not None or self.fetch is not None:
            raise ValueError("only a body apart from its HTML, not yet given a fetch, is read by one")
        object.__setattr__(self, "fetch", fetch)

    def __post_init__(self) -> None:
        if not self.digest and self.held is not None:
            hashed = hashlib.blake2b(self.held.utf8, digest_size=16)
            hashed.update(repr((self.held.toc, self.excerpt)).encode("utf-8", "surrogatepass"))
            object.__setattr__(self, "digest", hashed.hexdigest())

    def __getstate__(self) -> tuple:
        """A body read by a fetch is pickled apart from its HTML (the fetch reads a cache of this process)."""
        return self.held, self.links, self.excerpt, self.length, self.lead, self.math, self.digest

    def __setstate__(self, state: tuple) -> None:
        """Field by field, by name: dataclasses' own looks the fields up for each body (10,000 cached bodies: 0.1 s)."""
        for name, value in zip(_BODY_STATE, state, strict=True):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "fetch", None)


_BODY_STATE = ("held", "links", "excerpt", "length", "lead", "math", "digest")


class Packed:
    """A text field held as zlib-compressed UTF-8 (level 1), unpacked each time it is read.

    A post's HTML as loaded is most of what a build holds while it loads and
    rewrites: as Python strings, Chinese HTML takes two bytes a character,
    its ASCII tags too (10,000 articles: about 250 MB); packed, a fifth of
    that (2,000 articles: 51 -> 11 MB), for 0.27 s to pack them and 0.15 s
    a pass to unpack.  A build reads it a few times (pictures, the rewrite, the
    scrambled-text check) and lets go of it once rewritten (zhsite/build.py).
    It pickles as those bytes: the build cache's parsed files and the
    rewrite workers' jobs are a fifth of the size too.  A build keeps even
    those in its spill file until it lets go (:func:`keep_content`): 540 MB
    at 100,000 articles.
    """

    def __get__(self, item: object, owner: type | None = None) -> str:
        if item is None:  # on the class: no default, so the dataclass field stays required
            raise AttributeError(_PACKED)
        return unpack(packed(item))

    def __set__(self, item: object, value: str) -> None:
        item.__dict__[_PACKED] = pack(value) if value else _NOTHING_PACKED  # a build lets go of 17,000 (10,000 articles)
        item.__dict__.pop(_DIGEST, None)


_PACKED = "_content_packed"  # where an item keeps its packed ``content``, the one Packed field
_DIGEST = "_content_digest"  # the SHA-256 of the packed content, once made (text_key, keep_content)


def pack(text: str) -> bytes:
    return zlib.compress(_utf8(text), 1)


_NOTHING_PACKED = zlib.compress(b"", 1)  # pack("")


def unpack(data: bytes) -> str:
    return _text(zlib.decompress(data))


def packed(item: Article | Comment | Note) -> bytes:
    """The item's HTML as held (:class:`Packed`): a cache key's part or a rewrite job's text, never unpacked for that."""
    held = item.__dict__[_PACKED]
    return held if isinstance(held, bytes) else held()


def text_key(item: Article | Comment | Note) -> bytes:
    """What a cache key holds of the item's HTML: the SHA-256 of its packed bytes, or the bytes themselves when shorter
    than KEPT_FROM, whichever way the item holds them.

    The SHA-256 is made once: as the bytes went to a spill file, so that a build makes its keys without reading 10,000
    posts back (0.25 s a pass), or here the first time (``serve``, which keeps its items from save to save).  Both
    ``build`` and ``serve`` so key a post alike: keyed by its bytes in one and its SHA-256 in the other, a
    ``serve`` after a ``build`` of 10,000 articles rewrote every one of them again (44 s instead of 1.5).
    """
    digest = item.__dict__.get(_DIGEST)
    if digest is None:
        held = packed(item)
        if len(held) < KEPT_FROM:
            return held
        digest = item.__dict__[_DIGEST] = hashlib.sha256(held).digest()
    return digest


def packed_later(item: Article | Comment | Note) -> Callable[[], bytes]:
    """What :func:`packed` gives now, read when called: also after the build let go of the item's HTML
    (zhsite/build.py), from its spill file's copy, so a rewrite job can be made then, never held till then."""
    held = item.__dict__[_PACKED]
    return held if callable(held) else partial(bytes, held)


def keep_content(item: Article | Comment | Note, keep: Callable[[bytes], Callable[[], bytes]]) -> None:
    """The item's packed HTML handed to *keep* (a build's spill file, zhsite/spill.py) and read back from there each
    time; a short one, a comment of a line, stays held: what reads it back would be most of its size."""
    held = _long_held(item)
    if held is not None:
        item.__dict__[_PACKED] = keep(held)


def set_apart(item: Article | Comment | Note, place: int) -> bytes | None:
    """The item's packed HTML, left as *place* (its number among those set apart) with its SHA-256, when it is
    KEPT_FROM bytes or more, so the item pickles without it (zhsite/load/parsed.py); None: it stays held.
    :func:`put_back` holds it again, :func:`read_apart` gives an unpickled item what reads it."""
    held = _long_held(item)
    if held is not None:
        item.__dict__[_PACKED] = place
    return held


def _long_held(item: Article | Comment | Note) -> bytes | None:
    """The item's packed HTML when it holds it and it is KEPT_FROM bytes or more, its SHA-256 made first (the key
    :func:`text_key` gives once it is held elsewhere); else None."""
    held = item.__dict__[_PACKED]
    if not isinstance(held, bytes) or len(held) < KEPT_FROM:
        return None
    text_key(item)
    return held


def put_back(item: Article | Comment | Note, held: bytes) -> None:
    item.__dict__[_PACKED] = held


def read_apart(item: Article | Comment | Note, read: Callable[[int], bytes]) -> bytes | None:
    """An item unpickled with its HTML set apart (a place, :func:`set_apart`) reads it by *read* (its place in, its
    bytes out); its SHA-256, or None when it holds its HTML."""
    place = item.__dict__[_PACKED]
    if not isinstance(place, int):
        return None
    item.__dict__[_PACKED] = partial(read, place)
    return item.__dict__[_DIGEST]


KEPT_FROM = 256  # bytes of packed HTML from which keep_content hands them over


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


@dataclass
class Comment:
    author: Author
    content: str = Packed()
    likes: int = 0
    reply_to: str = ""
    replies: list[Comment] = field(default_factory=list)
    date: str = ""  # UTC ISO 8601, when the archive has it
    body: Body | None = None


@dataclass
class Article:
    id: str
    title: str
    author: Author
    content: str = Packed()
    url: str = ""
    upvotes: int = 0
    topics: list[Topic] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    source: str = field(default="", compare=False)  # where it was read: two files' identical copies are one article
    kind: Literal["article", "answer", "pin", "zvideo"] = "article"
    # UTC ISO 8601 (``2020-01-02T19:24:00Z``) when the archive has them, else "".
    published: str = ""
    updated: str = ""
    image: str = ""  # the title image's URL, when the archive names one; the page shows Site.title_image(article)
    # What Zhihu counted (``comment_count``), when the archive says: a crawler often keeps none or only the top comments.
    comments_on_zhihu: int = 0
    body: Body | None = None
    # Scrambled text (docs/scrambled.md): the web fonts a saved page used (paths in the project or data: URLs),
    # and how many characters the loader restored from one of them (zhsite/load/fonts.py).
    fonts: tuple[str, ...] = field(default=(), compare=False)
    restored: int = field(default=0, compare=False)
    # Copies archived with other text (docs/archives.md, Versions), set on the newest by the build: the older
    # copies, oldest first, each numbered (``version``, from 1) and with a page of its own.  0: the newest, the post's page.
    versions: list[Article] = field(default_factory=list, compare=False)
    version: int = field(default=0, compare=False)
    # ``path`` and ``recency`` once worked out.  Fields, not cached properties, so that every article's attributes
    # are set in one order in __init__ and share one table of names: a name added later gave each article a
    # dictionary of its own (+600 bytes an article: 60 MB at 100,000).
    # (A default_factory: __init__ sets the field; a plain default is left on the class.)
    _path: str = field(default_factory=str, init=False, repr=False, compare=False)
    _recency: tuple[str, int, str] | tuple[()] = field(default_factory=tuple, init=False, repr=False, compare=False)

    @property  # asked for thousands of times per build (links, pages, lists), never changed
    def path(self) -> str:
        """An older version's page is in a folder named like the post's page, where no other page is (ids slug to no ``/``)."""
        if not self._path:
            version = f"/v{self.version}" if self.version else ""
            self._path = f"{_POST_FOLDERS[self.kind]}/{safe_name(self.id)}{version}.html"
        return self._path

    @property
    def archive_key(self) -> str:
        """The post as Zhihu's URLs name it (``zhuanlan.zhihu.com/p/<id>``, ``…/answer/<id>``, ``…/pin/<id>``); ids of two kinds may clash."""
        return f"{_ARCHIVE_KEYS[self.kind]}/{self.id}"

    @property
    def zhihu_label(self) -> str:
        """What the link to the post on Zhihu says: 知乎原文, 知乎原回答, 知乎原想法; 知乎原问题 for an answer known only by
        its question (a 知乎助手 book names no answer's id, zhsite/load/zhihuhelp.py)."""
        return "知乎原问题" if self.kind == "answer" and "/answer/" not in self.url else _ZHIHU_LABELS[self.kind]

    @property
    def timestamp(self) -> str:
        """When the article last changed, as far as the archive knows."""
        return self.updated or self.published

    @property
    def archived_on(self) -> str:
        """When this copy was current: its own time, else a date in its file's or folder's name (``2021-03-04``, ``20210304``).

        Not the file's modification time: a clone or a copy changes it, and the pages must come out the same.
        """
        if self.timestamp:
            return self.timestamp
        found = _DATE_IN_NAME.findall(self.source)  # the file's own name's date before its folder's
        return "-".join(found[-1]) if found else ""

    @property  # sorted by in every column, topic, author and feed of every build
    def recency(self) -> tuple[str, int, str]:
        """Larger is newer: dated articles by date, the rest by id (Zhihu ids grow with time)."""
        if not self._recency:
            self._recency = (self.published, int(self.id) if self.id.isdigit() else 0, self.id)
        return self._recency

    @property
    def excerpt(self) -> str:
        """What lists say of it (its body's first sentences): part of the site's outline, not of its body (render/reuse.py)."""
        return self.body.excerpt if self.body else ""

    @property
    def comment_count(self) -> int:
        return sum(1 for _ in in_reading_order(self.comments))

    @property
    def comment_total(self) -> int:
        """How many comments a reader is told of: Zhihu's count when fewer were archived (not "0 评论" when Zhihu says 64)."""
        return max(self.comment_count, self.comments_on_zhihu)


def in_reading_order(comments: list[Comment]) -> Iterator[Comment]:
    """Each comment, then its replies, as a reader meets them."""
    for comment in comments:
        yield comment
        yield from in_reading_order(comment.replies)


def with_comments(item: Article | Note) -> tuple[Article | Comment | Note, ...]:
    """The item's texts: an article and its comments in reading order, or a note.  What the pictures, the rewrite and
    their cache keys go through."""
    return (item, *in_reading_order(item.comments)) if isinstance(item, Article) else (item,)


def articles_newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=attrgetter("recency"), reverse=True)


# A column's page and feed, and a question's (its slug is the question id, as in zhihu.com/question/<id>).
_COLUMN_FOLDERS = {"column": "columns", "question": "questions"}


@dataclass(frozen=True)
class ColumnWords:
    """What a column's pages call it (专栏), its posts (篇文章), one post's place (第 3 / 47 篇) and its page on Zhihu."""

    name: str
    count: str
    place: str
    on_zhihu: str


_COLUMN_WORDS = {"article": ColumnWords("专栏", "篇文章", "篇", "知乎原专栏"), "pin": ColumnWords("想法", "条想法", "条", "知乎上的想法"),
                 "zvideo": ColumnWords("视频", "个视频", "个", "知乎上的视频")}


def column_words(articles: Iterable[Article]) -> ColumnWords:
    """The words of a column of *articles* (a site's page, an e-book): an author's pins or videos, all of one kind, else a 专栏's."""
    kinds = {article.kind for article in articles}
    return _COLUMN_WORDS.get(kinds.pop() if len(kinds) == 1 else "article", _COLUMN_WORDS["article"])


@dataclass
class Column:
    """A Zhihu column and its articles, or a question and its archived answers."""

    slug: str
    title: str
    description: str = ""
    url: str = ""
    followers: int = 0
    articles: list[Article] = field(default_factory=list)
    source: str = ""
    kind: Literal["column", "question"] = "column"
    # A question's own text and what Zhihu counted, when the crawler saved the question (meta.json).
    detail: str = ""  # untrusted HTML, as archived; the rewrite stage fills in body
    answer_count: int = 0
    topics: list[Topic] = field(default_factory=list)
    body: Body | None = None

    @property
    def path(self) -> str:
        return f"{_COLUMN_FOLDERS[self.kind]}/{safe_name(self.slug)}.html"

    @cached_property  # asked twice by each of its articles' pages: worked out from its articles once, after the assemble
    def words(self) -> ColumnWords:
        """How its pages name it and count its posts: a column of articles, or an author's pins or videos (zhsite/load/api.py)."""
        return column_words(self.articles)

    @property
    def feed_path(self) -> str:
        return f"{_COLUMN_FOLDERS[self.kind]}/{safe_name(self.slug)}.xml"

    @property
    def epub_path(self) -> str:
        """A column's e-book (zhsite/epub/) in ``zhsite epub``'s folder, and in the site with ``epub = true``."""
        return f"epub/{safe_name(self.slug)}.epub"


@dataclass
class Note:
    slug: str
    title: str
    content: str = Packed()
    tags: list[Topic] = field(default_factory=list)
    date: str = ""
    summary: str = ""
    origin: str = ""
    source: str = ""
    body: Body | None = None
    # (id, HTML of its text) of the blocks other notes reference by id (a Logseq block's id:: …), each an anchor of its page.
    blocks: tuple[tuple[str, str], ...] = ()
    # Whether its text embeds another note (Obsidian's ![[…]] alone in a paragraph, zhsite/load/embeds.py): told when it
    # is read, so that no build unpacks every note to look.
    embeds: bool = False

    @property
    def path(self) -> str:
        return f"notes/{safe_name(self.slug)}.html"

    @property
    def excerpt(self) -> str:
        """Its own summary, else its body's first sentences (as Article.excerpt)."""
        return self.summary or (self.body.excerpt if self.body else "")

    @property
    def timestamp(self) -> str:
        """The note's date as the full UTC time feeds and sitemaps need (notes carry no zone)."""
        if not self.date:
            return ""
        return f"{self.date}:00Z" if "T" in self.date else f"{self.date}T00:00:00Z"


def notes_by_wikilink(notes: list[Note]) -> dict[str, Note]:
    """``title:<title>`` and ``name:<file name>`` -> the note a wikilink (``[[标题]]``) finds: the first listed among equals."""
    found = {f"title:{' '.join(note.title.split())}": note for note in reversed(notes)}
    return found | {f"name:{posixpath.splitext(posixpath.basename(note.source))[0]}": note for note in reversed(notes)}


@dataclass
class Site:
    title: str
    description: str
    author: str
    language: str
    base_url: str
    columns: list[Column] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    profiles: dict[str, Profile] = field(default_factory=dict)  # by each of the author's ids
    # [images] mode = "local": article path -> the site path of its title image's copy, "" when it could not be had
    # (zhsite/images/).  Kept here, made afresh each build, not written into the article: ``serve`` reuses
    # the loaded articles between rebuilds, and the next image step must still see the archive's URL.
    title_images: dict[str, str] = field(default_factory=dict)
    # The pages whose text reads as scrambled by Zhihu's anti-crawler (zhsite/rewrite/scrambled.py), made each build:
    # page path -> its source.  A dict, not a set: the render stage hashes the site pickled, and a set's order is not stable.
    scrambled: dict[str, str] = field(default_factory=dict)

    @property
    def articles(self) -> list[Article]:
        return [a for c in self.columns for a in c.articles]

    @property
    def versions(self) -> list[Article]:
        """The older versions of the articles (docs/archives.md, Versions): pages of their own, in no list, feed or search."""
        return [version for article in self.articles for version in article.versions]

    def title_image(self, article: Article) -> str:
        """What a page shows as *article*'s title image: its local copy's site path, else the archive's URL, or ""."""
        return self.title_images.get(article.path, article.image)
