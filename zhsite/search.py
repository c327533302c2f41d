"""Search: the text of every article and note, which the reader's browser searches for the exact term.

Readers search Chinese for terms (卷积, 语义分割, 注意力): a page holds the term
or it does not.  A word index has to cut Chinese into words, and the cut made
at indexing time (Pagefind 1.5: jieba) and the one the browser makes of the
query (``Intl.Segmenter``) disagree, so 卷积 found 4 of the 28 pages holding
it and 语义分割 none (README, Search).  So the index is the pages' text
itself, and ``static/search.js`` looks each term up as a substring: every
page holding the term is found, whatever the words around it, and a page
holding the whole term ranks above one holding a part (there are none).

Each article and note gives one document, made from the model rather than its
rendered page: title, column, author, topics, kind, date and the body as
plain paragraphs — without the TeX a formula keeps in its MathML (a formula
is found by what it shows), without Markdown marks an archive kept as text
(``**``, ``###``), and without the lines a column repeats on most of its pages
(a signature or a "follow me" line would be every excerpt and match
everywhere).  Comments join the text when ``search_comments`` is on.

The index is JavaScript files in ``search/`` that the page loads with
``<script>`` tags, the one way a page opened from disk (``file://``) can read
them: Chromium refuses ``fetch()`` there.  A first search must not load the
text of a 30,000-page archive, so the files are small and loaded on demand:

- ``index.js``: how many pages and files there are, and the columns, authors
  and topics the results page offers as filters;
- ``terms-N.js``: a routing index.  For every two-character sequence of a
  page's normalised text (CJK characters and lowercased Latin letters and
  digits, everything else dropped), the pages holding it, with how often and
  whether in the title; a hash of the sequence picks its file.  A query loads
  the files of its sequences only and intersects them into candidates;
- ``text-N.js``: the pages' text, about ``GROUP_PAGES`` pages a file (a hash
  of the page's path picks it, so an edit rewrites one text file).  The
  browser loads the files holding the candidates it is about to show and
  checks the exact term there before showing a page.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import lxml.html

from zhsite.cache import SEARCH_DOCUMENT, SEARCH_INDEX, BuildCache, Key
from zhsite.config import Config
from zhsite.model import Article, Body, Note, in_reading_order
from zhsite.problems import Problem
from zhsite.render.pages import Page

BUNDLE = "search"
MANIFEST = "index.js"
NOTES_COLUMN = "学习笔记"  # what the 专栏 filter calls the notes, as their pages' kicker does
# Pages per text file (about 85 KB of the seeds' text): the box's 8 results load at most 8 of them.
GROUP_PAGES = 10
# Pages per routing file: 10,000 pages give 256 files of about 0.3 MB, one or two of which a term loads.
TERM_PAGES = 40
# Counts in the routing index stop here: enough to rank by.
MOST = 50
# What the routing index keeps of the text, lowercased: CJK characters, Latin letters and digits.
# static/search.js normalises queries with the same expression.
DROPPED = re.compile(r"[^a-z0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
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
MARKDOWN_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(((?:[^()\n]|\([^()\n]*\))*)\)")
# A line is a column's boilerplate when at least this many of its pages, and half of them, hold it.
BOILERPLATE_PAGES = 3


@dataclass(frozen=True)
class Document:
    """One page as the browser searches it."""

    path: str
    title: str
    kind: str  # article, answer or note
    column: str
    author: str
    topics: tuple[str, ...]
    date: str  # YYYY-MM-DD or ""
    paragraphs: tuple[str, ...]

    def json(self, boilerplate: frozenset[str]) -> dict:
        return {
            "u": self.path, "t": self.title, "k": self.kind, "c": self.column, "a": self.author,
            "g": list(self.topics), "d": self.date,
            "x": "\n".join(p for p in self.paragraphs if p not in boilerplate),
        }


def searchable_pages(pages: Iterable[Page]) -> list[Page]:
    """The article and note pages: list pages are never results."""
    return [page for page in pages if page.template in ("article.html", "note.html")]


def search_page() -> Page:
    """search.html: every result of a query, with filters, at an address a reader can share."""
    return Page("search.html", "search.html", "搜索", in_sitemap=False)


def shard_scripts(pages: list[Page]) -> list[str]:
    """The file (under ``search/``) pages name for ``static/search.js``: the manifest, which names the rest."""
    return [MANIFEST]


def file_count(pages: int, per_file: int) -> int:
    """A power of two: files are split again only when the site doubles, not at every page added."""
    count = 1
    while count * per_file < pages:
        count *= 2
    return count


def groups(documents: list[Document]) -> list[list[Document]]:
    """The documents split by a hash of their path, each group by path: a page stays in its group."""
    count = file_count(len(documents), GROUP_PAGES)
    out: list[list[Document]] = [[] for _ in range(count)]
    for doc in documents:
        out[int(hashlib.sha256(doc.path.encode("utf-8")).hexdigest()[:8], 16) % count].append(doc)
    return [sorted(group, key=lambda d: d.path) for group in out]


def normalised(text: str) -> str:
    return DROPPED.sub("", text.lower())


def bigrams(text: str) -> Counter:
    """How often each two-character sequence occurs in the normalised *text*."""
    text = normalised(text)
    return Counter(text[i:i + 2] for i in range(len(text) - 1))


def bigram_file(bigram: str, files: int) -> int:
    """32-bit FNV-1a of the sequence, modulo *files*: static/search.js computes the same."""
    h = 0x811C9DC5
    for char in bigram:
        h = ((h ^ ord(char)) * 16777619) & 0xFFFFFFFF
    return h % files


class Indexing:
    """The index made on a thread while the caller draws pages; ``serve`` may cancel it for a newer site."""

    def __init__(self, pages: list[Page], config: Config, cache: BuildCache | None) -> None:
        self._pages = pages
        self._config = config
        self._cache = cache
        self._cancelled = threading.Event()
        self._files: dict[str, bytes] = {}
        self._problem: Problem | None = None
        self._thread = threading.Thread(target=self._run, name="zhsite-search", daemon=True)
        self._thread.start()

    def result(self) -> tuple[dict[str, bytes], list[Problem]]:
        """The index as ``search/…`` site files, or no files and the problem that stopped it."""
        self._thread.join()
        if self._problem is not None:
            return {}, [self._problem]
        return self._files, []

    def cancel(self) -> None:
        """Stop indexing (``serve`` has a newer site to index); ``result`` then reports the stop."""
        self._cancelled.set()

    def _run(self) -> None:
        try:
            self._make()
        except Exception as exc:  # a bug in zhsite: said like a reader's, never a site silently without search
            self._problem = Problem("search", "", f"search index not built: internal error: {type(exc).__name__}: {exc} (a bug in zhsite)")

    def _make(self) -> None:
        documents, keys = [], []
        for page in self._pages:
            if self._cancelled.is_set():
                self._problem = Problem("search", "", "search index not built: cancelled")
                return
            page_key = self._cache.key(SEARCH_DOCUMENT, document_key(page, self._config)) if self._cache is not None else Key("")
            documents.append(self._document(page, page_key))
            keys.append(page_key)
        self._files = self._index(documents, (str(GROUP_PAGES), str(TERM_PAGES), *keys))

    def _document(self, page: Page, page_key: Key) -> Document:
        """One page's document, cached under its search text's parts."""
        found = self._cache.get(page_key) if self._cache is not None else None
        if found is None:
            found = document(page, self._config)
            if self._cache is not None:
                self._cache.put(page_key, found)
        return found

    def _index(self, documents: list[Document], parts: tuple[str, ...]) -> dict[str, bytes]:
        """The index files, cached under their file sizes and every page's document key in order: a rebuild with no page's
        search text changed takes them from the cache (crossing 14 million page-sequence pairs
        at 10,000 articles is most of a no-change build)."""
        return self._cache.memo(SEARCH_INDEX, parts, lambda: index_files(documents)) if self._cache is not None else index_files(documents)


def index_files(documents: list[Document]) -> dict[str, bytes]:
    """``search/index.js``, ``terms-N.js`` and ``text-N.js``: calls that hand their part to ``static/search.js``.

    A page's number is its place in the text files read in order, so the
    manifest's group starts say which text file holds a page.
    """
    common = boilerplate(documents)
    by_group = groups(documents)
    shown = [[d.json(common) for d in group] for group in by_group]
    starts = [0]
    for group in shown[:-1]:
        starts.append(starts[-1] + len(group))
    term_files = file_count(len(documents), TERM_PAGES)
    postings = _postings([doc for group in shown for doc in group])
    by_file: list[dict[str, list[int]]] = [{} for _ in range(term_files)]
    for bigram in sorted(postings):
        by_file[bigram_file(bigram, term_files)][bigram] = postings[bigram]
    manifest = {
        "pages": len(documents), "starts": starts, "terms": term_files,
        "columns": sorted({d.column for d in documents} - {""}),
        "authors": sorted({d.author for d in documents} - {""}),
        "topics": sorted({t for d in documents for t in d.topics}),
    }
    files = {f"{BUNDLE}/{MANIFEST}": _call("index", manifest)}
    files.update((f"{BUNDLE}/terms-{n}.js", _call("terms", n, found)) for n, found in enumerate(by_file))
    files.update((f"{BUNDLE}/text-{n}.js", _call("text", n, group)) for n, group in enumerate(shown))
    return files


def _postings(shown: list[dict]) -> dict[str, list[int]]:
    """Each sequence's pages, each as its distance from the page before (the first from -1), and its
    value ``min(count, MOST) * 2``, plus 1 when the title holds the sequence.  The most common value, 2
    (once, not in the title), is left out; a page with another value is written negated, its value after it:
    [3, -2, 7] is page 2 (value 2) and page 4 (value 7)."""
    postings: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for number, doc in enumerate(shown):
        title = bigrams(doc["t"])
        found = bigrams("\n".join([doc["t"], doc["x"], doc["c"], doc["a"], *doc["g"]]))
        for bigram, count in found.items():
            distance, value = number - last.get(bigram, -1), min(count, MOST) * 2 + (bigram in title)
            postings.setdefault(bigram, []).extend((distance,) if value == 2 else (-distance, value))
            last[bigram] = number
    return postings


def _call(name: str, *arguments: object) -> bytes:
    """``zhsiteSearch.name(…);``, "<" escaped: no text of an archive can read as markup to anything that sniffs the file."""
    data = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in arguments).replace("<", "\\u003c")
    return f"zhsiteSearch.{name}({data});\n".encode()


def boilerplate(documents: list[Document]) -> frozenset[str]:
    """Lines a column repeats on at least half of its pages (and three): signatures, "follow me" lines."""
    pages_of = Counter(d.column for d in documents)
    seen = Counter((d.column, p) for d in documents for p in set(d.paragraphs))
    return frozenset(p for (column, p), n in seen.items() if n >= BOILERPLATE_PAGES and 2 * n >= pages_of[column])


def document_key(page: Page, config: Config) -> Iterable[str]:
    """What a page's document is made of, bodies as their digests."""
    item: Article | Note = page.context.get("article") or page.context["note"]
    yield page.path
    yield repr(_facts(page))
    yield _digest(item.body)
    if isinstance(item, Article) and config.search_comments:
        for comment in in_reading_order(item.comments):
            yield comment.author.name
            yield _digest(comment.body)


def _digest(body: Body | None) -> str:
    return body.digest if body is not None else ""


def _facts(page: Page) -> tuple[str, str, str, str, tuple[str, ...], str]:
    """Title, kind, column, author, topics and date of an article or note page."""
    if "article" in page.context:
        article: Article = page.context["article"]
        return (article.title, article.kind, page.context["column"].title, article.author.name,
                tuple(t.name for t in article.topics), article.published[:10])
    note: Note = page.context["note"]
    return note.title, "note", NOTES_COLUMN, "", tuple(t.name for t in note.tags), note.date[:10]


def document(page: Page, config: Config) -> Document:
    """The document of one article or note page."""
    title, kind, column, author, topics, date = _facts(page)
    item: Article | Note = page.context.get("article") or page.context["note"]
    paragraphs = paragraphs_of(item.body)
    if isinstance(item, Article) and config.search_comments:
        for comment in in_reading_order(item.comments):
            paragraphs += [comment.author.name, *paragraphs_of(comment.body)]
    return Document(page.path, title, kind, column, author, topics, date, tuple(paragraphs))


def paragraphs_of(body: Body | None) -> list[str]:
    """A body's text as the reader sees it, one line a paragraph, spaces collapsed, Markdown marks dropped."""
    if body is None or not body.utf8.strip():
        return []
    root = lxml.html.fragment_fromstring(body.html, create_parent="div")
    for hidden in [e for e in root.iter(*NOT_SHOWN)]:
        hidden.drop_tree()
    for block in root.iter(*BLOCKS):
        block.tail = "\n" + (block.tail or "")
    lines = (MARKDOWN.sub("", MARKDOWN_LINK.sub(_link_text, " ".join(line.split()))).strip() for line in root.text_content().split("\n"))
    return [line for line in lines if line]


def _link_text(link: re.Match) -> str:
    """A Markdown link's text, and its target when that is a title rather than an address; an image's alt text."""
    image, text, target = link.groups()
    if image or "/" in target or "." in target.split(" ")[0]:
        return text
    return f"{text}（{target}）" if text else target
