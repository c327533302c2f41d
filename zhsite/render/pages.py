"""Which pages the site has, what template draws each, and what it is shown.

Pages are planned from the model before anything is rendered, so two items
that would land on the same file are caught here, named both, and never
silently overwrite each other.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from zhsite.model import Article, Author, Column, Note, Site, Topic, articles_newest_first
from zhsite.problems import Problem
from zhsite.slug import distinct_slugs


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    in_sitemap: bool = True
    lastmod: str = ""  # UTC ISO 8601, for the sitemap, when the page's item is dated


@dataclass
class TopicEntry:
    topic: Topic
    articles: list[Article] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.articles) + len(self.notes)

    @cached_property
    def one_author(self) -> bool:
        """Whether one person wrote all its articles (each page of the list then names no one): once, not once a page."""
        return len({article.author for article in self.articles}) < 2


@dataclass
class AuthorEntry:
    author: Author
    articles: list[Article] = field(default_factory=list)


def topic_index(site: Site, newest: list[Article]) -> list[TopicEntry]:
    """Topics by name across columns and notes; the first id seen names the page.

    *newest* is the site's articles newest first: each topic's list is then in
    order as it is made (one sort of the site rather than one per topic).
    """
    entries: dict[str, TopicEntry] = {}
    for article in newest:
        for topic in article.topics:
            entry = entries.get(topic.name)
            if entry is None:
                entry = entries[topic.name] = TopicEntry(topic)
            elif not entry.topic.id and topic.id:
                entry.topic = topic
            entry.articles.append(article)
    for note in site.notes:
        for tag in note.tags:
            entries.setdefault(tag.name, TopicEntry(tag)).notes.append(note)
    # Names that slug alike (LGBTQ, LGBTQ+) get pages of their own; "index" is the list of topics.
    slugs = distinct_slugs([(e.topic.id or e.topic.name, e.topic.name) for e in entries.values()], reserved={"index"})
    for entry, slug in zip(entries.values(), slugs, strict=True):
        entry.topic = replace(entry.topic, slug=slug)
    return sorted(entries.values(), key=lambda e: (-e.count, e.topic.name))


PER_PAGE = 100  # a list page's items: at 100,000 articles one topic's page was 33 MB, one author's 41 MB
NEARBY = 2  # a list's part links the parts this far from the one shown, and the first and last


@dataclass(frozen=True)
class ListPart:
    """Which part of a long list a page shows: part *number* (from 1) of the list's *paths*, the first its own page."""

    number: int
    paths: tuple[str, ...]

    @property
    def previous(self) -> str:
        return self.paths[self.number - 2] if self.number > 1 else ""

    @property
    def next(self) -> str:
        return self.paths[self.number] if self.number < len(self.paths) else ""

    @property
    def nearby(self) -> list[int | None]:
        """The part numbers to link, in order, None where some are left out: 1 … 4 5 6 7 8 … 40."""
        shown = sorted({1, len(self.paths), *range(max(1, self.number - NEARBY), min(len(self.paths), self.number + NEARBY) + 1)})
        out: list[int | None] = []
        for number in shown:
            if out and number - out[-1] > 1:
                out.append(None)
            out.append(number)
        return out


def list_pages(path: str, template: str, title: str, context: dict[str, Any], lists: dict[str, list], source: str = "") -> list[Page]:
    """The pages of a list, PER_PAGE items each: the first at *path*, part n at ``<path without .html>/n.html``
    (titled "（第 n 页）", left out of the sitemap, whose readers find the items themselves).

    *lists* are what the page shows, one after the other (a topic's articles, then its notes): each page's
    context has its slice of each under the same name, and a :class:`ListPart` (``part``).
    """
    count = sum(len(items) for items in lists.values())
    parts = max(1, -(-count // PER_PAGE))
    stem = path.removesuffix(".html")
    paths = (path, *(f"{stem}/{number}.html" for number in range(2, parts + 1)))
    pages = []
    for number, at in enumerate(paths, 1):
        first, end = (number - 1) * PER_PAGE, number * PER_PAGE
        shown = {}
        for name, items in lists.items():
            shown[name] = items[max(first, 0):max(end, 0)]
            first, end = first - len(items), end - len(items)
        named = title if number == 1 else f"{title}（第 {number} 页）"
        pages.append(Page(at, template, named, {**context, **shown, "part": ListPart(number, paths)}, source, in_sitemap=number == 1))
    return pages


def author_index(newest: list[Article]) -> list[AuthorEntry]:
    """Authors with their articles; *newest* as for :func:`topic_index`."""
    entries: dict[str, AuthorEntry] = {}
    for article in newest:
        entry = entries.get(article.author.path)
        if entry is None:
            entry = entries[article.author.path] = AuthorEntry(article.author)
        entry.articles.append(article)
    return sorted(entries.values(), key=lambda e: (-len(e.articles), e.author.name))


@dataclass(frozen=True)
class Sections:
    """What the archive holds, for the home page and the navigation: a section only when it has pages.

    An archive of one person's answers has questions and no columns; a card
    per question under 专栏 made its home page 36,000 px tall.
    """

    columns: list[Column]
    questions: list[Column]  # the most recently answered first
    notes: bool
    recent: list[Article]  # the home page's newest articles (answers are under their questions), RECENT of them

    @property
    def home_questions(self) -> list[Column]:
        return self.questions[:HOME_QUESTIONS]


HOME_QUESTIONS = 30  # the rest are on questions/index.html
PATH_TAKEN = "page path taken"
RECENT = 8  # a reader coming back sees what is new first


def sections_of(site: Site) -> Sections:
    questions = [c for c in site.columns if c.kind == "question"]
    questions.sort(key=lambda q: max((a.recency for a in q.articles), default=("", 0, "")), reverse=True)
    recent = articles_newest_first([a for a in site.articles if a.kind == "article"])[:RECENT]  # answers: listed by question
    return Sections([c for c in site.columns if c.kind != "question"], questions, bool(site.notes), recent)


def _neighbours(items: list) -> Iterable[tuple[Any, Any, Any]]:
    for i, item in enumerate(items):
        yield item, items[i - 1] if i > 0 else None, items[i + 1] if i + 1 < len(items) else None


def _reading_order(newest_first: list[Article]) -> Iterable[tuple[int, Article, Article | None, Article | None]]:
    """Each article with its place counted from the first one written, and the ones written just before and after.

    A column is a course read from its first article (Anchor Free 第一篇 → 第二篇),
    while lists show it newest first, as Zhihu does.
    """
    count = len(newest_first)
    for place, (article, later, earlier) in enumerate(_neighbours(newest_first)):
        yield count - place, article, earlier, later


def plan_pages(site: Site) -> list[Page]:
    newest = articles_newest_first(site.articles)
    topics = topic_index(site, newest)
    authors = author_index(newest)
    topic_of = {e.topic.name: e.topic for e in topics}
    pages = [
        Page("index.html", "index.html", site.title, {"topics": topics}),
        Page("notes/index.html", "notes.html", "学习笔记"),
        Page("topics/index.html", "topics.html", "话题", {"topics": topics}),
        Page("authors/index.html", "authors.html", "作者", {"authors": authors}),
        Page("404.html", "404.html", "页面不存在", in_sitemap=False),
    ]
    if any(column.kind == "question" for column in site.columns):
        pages.append(Page("questions/index.html", "questions.html", "问题"))
    for column in site.columns:
        pages += list_pages(column.path, f"{column.kind}.html", column.title, {"column": column, "topic_of": topic_of},
                            {"articles": column.articles}, column.source)
        for place, article, earlier, later in _reading_order(column.articles):
            context = {"article": article, "column": column, "earlier": earlier, "later": later,
                       "place": place, "count": len(column.articles), "topic_of": topic_of}
            pages.append(Page(article.path, "article.html", article.title, context, f"{article.source} ({article.kind} {article.id})", lastmod=article.timestamp))
            if article.versions:  # most have none: 10,000 calls cost a serve rebuild 20 ms
                pages.extend(version_pages(article, column))
    for note, previous, following in _neighbours(site.notes):
        context = {"note": note, "previous": previous, "following": following, "topic_of": topic_of}
        pages.append(Page(note.path, "note.html", note.title, context, note.source, lastmod=note.timestamp))
    for entry in topics:
        pages += list_pages(entry.topic.path, "topic.html", entry.topic.name, {"entry": entry}, {"articles": entry.articles, "notes": entry.notes})
    for entry in authors:
        context = {"entry": entry, "profile": site.profiles.get(entry.author.id)}
        pages += list_pages(entry.author.path, "author.html", entry.author.name, context, {"articles": entry.articles})
    return pages


def version_pages(newest: Article, column: Column) -> list[Page]:
    """A page for each older version of *newest*, its differences marked; not in the sitemap, which lists what a search engine should show."""
    return [Page(version.path, "version.html", f"{version.title}（存档版本 {version.version}）", {"article": version, "newest": newest, "column": column},
                 f"{version.source} ({version.kind} {version.id})", in_sitemap=False) for version in newest.versions]


def claim_paths(pages: list[Page]) -> tuple[list[Page], list[Problem]]:
    """Keep the first page for each output file; report every later claimant with both sources."""
    owners: dict[str, Page] = {}
    problems = []
    for page in pages:
        owner = owners.get(page.path)
        if owner is None:
            owners[page.path] = page
        else:
            problems.append(
                Problem(page.source or page.path, "", PATH_TAKEN, f"would overwrite {page.path}, already written for {owner.source or owner.title}; skipped")
            )
    return list(owners.values()), problems

