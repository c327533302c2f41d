"""Links between the archive's pages, both ways: backlinks (被引用), related pages and link previews.

The rewrite stage notes on each body the archived pages it links to, with
the sentence each link is in (``Body.links``, cached with the body).  Here
that is turned round: each article, answer and note gets the pages linking
to it, and up to :data:`RELATED` pages sharing its topics and links.

A page showing them is drawn again when they change: what a template reads
here is noted like the bodies it reads (``noted``), under ``backlinks:<path>``
and ``related:<path>``, and :meth:`LinkIndex.digests` says what each is now
(zhsite/render/reuse.py).

Link previews are data, not pages: ``previews/<n>.js`` files, each calling
``zhsitePreviews.add({path: {t, c, d, x}})`` for the pages whose path hashes
to it (:func:`preview_shard`, the same hash as static/previews.js), loaded by
a ``<script>`` tag when a link is hovered or focused, as the search index is,
so they work from ``file://`` too.
"""
from __future__ import annotations

import functools
import hashlib
import heapq
import json
import math
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from zhsite.model import Article, Column, Note, Site, Topic

Item = Article | Note | Column
RELATED = 5
PAGES_PER_PREVIEW_FILE = 64
# A topic this large says little about two pages sharing it, and scanning it for every page would cost n².
BROAD_TOPIC = 100


@dataclass
class Backlink:
    """A page linking to the page shown, and the sentences its links are in."""

    source: Item
    sentences: list[str] = field(default_factory=list)


class LinkIndex:
    """Backlinks and related pages of every article, answer and note; *noted* is told each one a template reads.

    They are worked out from every page's links and topics, by path, and kept
    in *kept* (a :class:`~zhsite.session.Session`'s) with those: a ``serve``
    rebuild after an edit that changed neither takes the last build's
    (10,000 articles: a tenth of a second a save), and shows the items of its own site.
    """

    def __init__(self, site: Site, noted: Callable[[str], None] = lambda key: None, kept: dict[str, Any] | None = None) -> None:
        self._noted = noted
        self._items: list[Item] = [*site.articles, *site.notes, *(c for c in site.columns if c.body is not None)]
        posts: list[Article | Note] = [*site.articles, *site.notes]
        self._by_path = {item.path: item for item in posts}
        inputs = (tuple((item.path, item.body.links if item.body is not None else ()) for item in self._items),
                  tuple((item.path, tuple(item.topics if isinstance(item, Article) else item.tags)) for item in posts))
        kept = kept if kept is not None else {}
        if kept.get(LINKS_KEPT, (None,))[0] != inputs:
            kept[LINKS_KEPT] = (inputs, _link_maps(*inputs))
        self._backlinks, self._related = kept[LINKS_KEPT][1]

    def to(self, item: Item) -> list[Backlink]:
        """The pages linking to *item*, in the site's order (articles, notes, questions)."""
        self._noted(f"backlinks:{item.path}")
        return [Backlink(self._items[index], list(sentences)) for index, sentences in self._backlinks.get(item.path, {}).values()]

    def related(self, item: Item) -> list[Item]:
        self._noted(f"related:{item.path}")
        return [self._by_path[path] for path in self._related.get(item.path, [])]

    def digests(self) -> dict[str, str]:
        """``backlinks:<path>`` and ``related:<path>`` -> a digest of what the page is shown, for every page that may show them."""
        out = {}
        for path, linking in self._backlinks.items():
            out[f"backlinks:{path}"] = _digest([(source, sentences) for source, (_, sentences) in linking.items()])
        for path, related in self._related.items():
            out[f"related:{path}"] = _digest(related)
        return out


LINKS_KEPT = "links"  # under this in a session's kept things: (the pages' links and topics, what LinkIndex made of them)
Linking = dict[str, tuple[int, list[str]]]  # a page linking to one: its path -> its place in the items, the sentences


def _link_maps(links: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
               topics: tuple[tuple[str, tuple[Topic, ...]], ...]) -> tuple[dict[str, Linking], dict[str, list[str]]]:
    """Each page's backlinks and related pages, from each item's (path, links) and each post's (path, topics or tags)."""
    backlinks: dict[str, Linking] = defaultdict(dict)
    out: dict[str, set[str]] = defaultdict(set)
    for index, (path, targets) in enumerate(links):
        for target, sentence in targets:
            out[path].add(target)
            _, sentences = backlinks[target].setdefault(path, (index, []))
            if sentence and sentence not in sentences:
                sentences.append(sentence)
    names = {path: sorted({topic.name for topic in having}) for path, having in topics}
    return dict(backlinks), _related(names, [path for path, _ in topics], out)


def _digest(value: object) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _related(topics: dict[str, list[str]], paths: list[str], out: dict[str, set[str]]) -> dict[str, list[str]]:
    """Up to RELATED pages for each article and note (*paths*, in the site's order, with their sorted *topics*):
    a shared topic counts more the fewer pages have it, a link either way 1."""
    members: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        for name in topics[path]:
            members[name].append(path)
    weight = {name: 1 / math.log2(1 + len(having)) for name, having in members.items() if len(having) <= BROAD_TOPIC}
    linked: dict[str, set[str]] = defaultdict(set)
    for source, targets in out.items():
        for target in targets & topics.keys():
            linked[source].add(target)
            linked[target].add(source)
    related = {}
    for path in paths:
        scores: dict[str, float] = defaultdict(float)
        for name in topics[path]:
            if name in weight:
                for other in members[name]:
                    scores[other] += weight[name]
        for other in sorted(linked[path]):
            scores[other] += 1
        scores.pop(path, None)
        best = heapq.nsmallest(RELATED, scores, key=lambda other: (-scores[other], other))
        if best:
            related[path] = best
    return related


class Previews(Mapping[str, bytes]):
    """``previews/<n>.js``: each article's, answer's and note's title, column, date and first lines, by :func:`preview_shard`.

    Each file is made when first asked for: ``zhsite serve`` makes the ones a
    reader's hover loads, not every one at each save (10,000 articles: half a
    second); ``zhsite build`` draws them as it draws the pages (the renderer's
    paths), so a file whose pages' leads are unchanged is kept from the previous
    build as a page is (zhsite/render/reuse.py), not made and compared again.
    """

    def __init__(self, site: Site, day: Callable[[str], str], noted: Callable[[str], None]) -> None:
        self._site = site
        self._day = day
        self._noted = noted  # ``lead:<path>`` of each article or note a file shows: drawn again when one changes
        self._count = preview_file_count(site)
        self._shards: list[list[tuple[Article | Note, str, str]]] | None = None
        self._lock = threading.Lock()

    def __getitem__(self, path: str) -> bytes:
        number = _number(path, self._count)
        if number is None:
            raise KeyError(path)
        with self._lock:
            if self._shards is None:
                self._shards = self._sort()
        for item, _, _ in self._shards[number]:
            self._noted(f"lead:{item.path}")
        return _script({item.path: _preview(item, where, date) for item, where, date in self._shards[number]})

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and _number(path, self._count) is not None

    def __iter__(self) -> Iterator[str]:
        return (f"previews/{n}.js" for n in range(self._count))

    def __len__(self) -> int:
        return self._count

    def digests(self) -> dict[str, str]:
        """``lead:<path>`` -> a digest of the first lines each article's and note's preview shows (the rest it shows is
        the site's outline): an edit further down a body draws no preview file again."""
        return {f"lead:{item.path}": _digest(_lead(item)) for item in (*self._site.articles, *self._site.notes)}

    def _sort(self) -> list[list[tuple[Article | Note, str, str]]]:
        """Each file's pages, and what their previews say of where and when they were written."""
        shards: list[list[tuple[Article | Note, str, str]]] = [[] for _ in range(self._count)]
        for column in self._site.columns:
            for article in column.articles:
                where = "问题" if column.kind == "question" and column.title == article.title else column.title
                shards[preview_shard(article.path, self._count)].append((article, where, self._day(article.published) if article.published else ""))
        for note in self._site.notes:
            shards[preview_shard(note.path, self._count)].append((note, "笔记", note.date[:10]))
        return shards


def _number(path: str, count: int) -> int | None:
    """n of ``previews/<n>.js`` when there is such a file."""
    number = path.removeprefix("previews/").removesuffix(".js")
    return int(number) if number.isdigit() and path == f"previews/{int(number)}.js" and int(number) < count else None


def preview_file_count(site: Site) -> int:
    return max(1, math.ceil((len(site.articles) + len(site.notes)) / PAGES_PER_PREVIEW_FILE))


_UTF16_HERE = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"  # what memoryview.cast("H") reads


@functools.cache
def preview_shard(path: str, count: int) -> int:
    """Which preview file holds *path*: a 32-bit string hash over its UTF-16 code units, as static/previews.js computes it.

    Kept for the process: a ``serve`` reader's first hover after a save sorts every page into its file again
    (2,000 articles: 10 ms of CPU hashing, 1 ms with the hashes kept).
    """
    hashed = 0
    for unit in memoryview(path.encode(_UTF16_HERE, "surrogatepass")).cast("H"):  # the code units as ints
        hashed = (hashed * 31 + unit) & 0xFFFFFFFF
    return hashed % count


def _preview(item: Article | Note, where: str, date: str) -> dict[str, str]:
    return {"t": item.title, "c": where, "d": date, "x": _lead(item)}


def _lead(item: Article | Note) -> str:
    return item.body.lead if item.body is not None else ""


def _script(shard: dict[str, dict[str, str]]) -> bytes:
    data = json.dumps(dict(sorted(shard.items())), ensure_ascii=False, separators=(",", ":"))
    return f"zhsitePreviews.add({data});\n".encode("utf-8", "surrogatepass")
