"""E-books: each column, and the notes, as an EPUB 3 made from the same model the site is drawn from.

A book is the column's articles in reading order (oldest first, as the site's
上一篇/下一篇), each a chapter with its title, author, date, topics, source
link, the body as the site shows it (MathML with its TeX annotation,
highlighted code) and its comments.  Pictures are the local copies the
site's ``local`` image mode makes (zhsite/images/), each stored once however
many chapters show it; one that could not be had stays the site's dashed box
with its address.  Links to another chapter of the book go to that chapter,
links to other archived posts to Zhihu.
"""
from __future__ import annotations

import hashlib
import posixpath
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from pygments.formatters import HtmlFormatter

from zhsite import urls
from zhsite.epub.cover import cover_svg
from zhsite.epub.package import CORE_PICTURES, Package, media_type
from zhsite.epub.pictures import as_png
from zhsite.epub.xhtml import document, escape, fragment, without_dangling_fragments
from zhsite.fonts import math_characters, subset_font
from zhsite.images import output_path
from zhsite.model import Article, Author, Column, Comment, Note, Site, articles_newest_first, column_words
from zhsite.pictures import data_picture_bytes, image_format, is_data_picture
from zhsite.slug import safe_name

NOTES_TITLE = "学习笔记"
QUESTIONS_TITLE = "问题与回答"
_MATH_FONT = "static/fonts/stix-two-math.woff2"


@dataclass(frozen=True)
class Asked:
    """A question's chapter: the question, then the answers the book holds (all archived, or one author's)."""

    question: Column
    answers: list[Article]

    @property
    def path(self) -> str:
        return self.question.path

    @property
    def title(self) -> str:
        return self.question.title

    @property
    def timestamp(self) -> str:
        return max((a.timestamp for a in self.answers), default="")


@dataclass(frozen=True)
class Book:
    """One e-book: its file name (``<slug>.epub``), what its title page says, its chapters in reading order."""

    slug: str
    title: str
    description: str
    url: str
    chapters: list[Article] | list[Note] | list[Asked]


@dataclass(frozen=True)
class Made:
    """A book's bytes and what a user is told of it."""

    name: str
    data: bytes
    chapters: int
    pictures: int  # embedded
    missing: int  # shown as the placeholder box


def books_for(site: Site, wanted: Sequence[str] = (), answers: bool = False) -> tuple[list[Book], list[str]]:
    """The books of *site* (a column by its title or slug; the notes as 学习笔记), and the names that matched none.

    With *answers*, the books of questions instead: every question (问题与回答), and each author's
    answers (``<name>的回答``); unnamed, an author's book only when their answers span two questions or more
    (one question's answers are a chapter of 问题与回答 already).
    """
    if answers:
        books = answer_books(site)
        if not wanted:
            return [b for b in books if b.slug == "questions" or len(b.chapters) > 1], []
    else:
        books = [Book(c.epub_path.removeprefix("epub/").removesuffix(".epub"), c.title, c.description, c.url,
                      list(reversed(articles_newest_first(c.articles)))) for c in site.columns if c.kind == "column" and c.articles]
        if site.notes:  # notes.epub, unless a column's slug is "notes" (then notes-.epub, as safe_name marks a reserved name)
            slug = "notes" if all(b.slug != "notes" for b in books) else "notes-"
            books.append(Book(slug, NOTES_TITLE, f"{site.title}：学习笔记", "", sorted(site.notes, key=lambda n: (n.date, n.slug))))
    if not wanted:
        return books, []
    chosen = [b for b in books if b.title in wanted or b.slug in wanted]
    unknown = [name for name in wanted if not any(name in (b.title, b.slug) for b in books)]
    return chosen, unknown


def answer_books(site: Site) -> list[Book]:
    """问题与回答 (each question with every archived answer, oldest question first), then each author's answers."""
    asked = sorted((Asked(q, q.articles) for q in site.columns if q.kind == "question" and q.articles),
                   key=lambda chapter: min(a.recency for a in chapter.answers))
    if not asked:
        return []
    books = [Book("questions", QUESTIONS_TITLE, f"{site.title}：问题与回答", "", asked)]
    # An author is who the site's author page is of (one id under two names is one author).
    authors: dict[str, tuple[Author, list[Asked]]] = {}
    for chapter in asked:
        for path in dict.fromkeys(a.author.path for a in chapter.answers):
            theirs = [a for a in chapter.answers if a.author.path == path]
            authors.setdefault(path, (theirs[0].author, []))[1].append(Asked(chapter.question, theirs))
    for path, (author, chapters) in sorted(authors.items()):
        slug = f"answers-{path.removeprefix('authors/').removesuffix('.html')}"
        books.append(Book(slug, f"{author.name}的回答", f"{author.name}在知乎的回答，{len(chapters)} 个问题", author.url, chapters))
    return books


def make_book(book: Book, site: Site, pictures: Mapping[str, Path], theme: Path, comments: bool = True) -> Made:
    """The EPUB of *book*; *pictures*: site path of each local picture copy -> its file."""
    pkg = Package(identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, book.url or f'zhsite:{site.title}:{book.slug}')}",
                  title=book.title, language=site.language, modified=_newest(book), date=_oldest(book), description=book.description,
                  source=book.url, creators=sorted(set().union(*map(_authors, book.chapters)) - {""}))
    links = _Links(book, site, pictures)
    for item in book.chapters:
        page = _chapter_path(item)
        body = _question(item, site, links, comments) if isinstance(item, Asked) else _chapter(item, site, links, comments)
        pkg.files[page] = document(item.title, body, site.language, urls.relative("book.css", page), "bodymatter")
        pkg.spine.append(page)
        pkg.properties[page] = "mathml" if "<math" in body else ""
    pkg.properties = {path: props for path, props in pkg.properties.items() if props}
    pkg.files |= links.pictures
    _front_matter(pkg, book, site)
    pkg.files |= without_dangling_fragments({path: data for path, data in pkg.files.items() if path.endswith(".xhtml")})
    drawn = set().union(*(math_characters(data.decode("utf-8")) for path, data in pkg.files.items() if path.endswith(".xhtml")))
    pkg.files["book.css"] = _stylesheet(theme, bool(drawn))
    if drawn:
        pkg.files[_MATH_FONT] = subset_font(_theme_file(theme, _MATH_FONT).read_bytes(), "".join(sorted(drawn)))
    missing = sum(data.count(b"image-unavailable-label") for path, data in pkg.files.items() if path.endswith(".xhtml"))
    return Made(f"{book.slug}.epub", pkg.zip(), len(book.chapters), len(links.pictures), missing)


def _front_matter(pkg: Package, book: Book, site: Site) -> None:
    """Cover, title page and the navigation document, ahead of the chapters in the spine."""
    authors = "、".join(pkg.creators)
    asked = bool(book.chapters) and isinstance(book.chapters[0], Asked)
    words = column_words(item for item in book.chapters if isinstance(item, Article))  # an author's pins: 条, 知乎上的想法
    size = f"{len(book.chapters)} {'个问题' if asked else words.place}"
    pkg.files["cover.svg"] = cover_svg(book.title, authors, size)
    pkg.properties["cover.svg"] = "cover-image"
    pkg.files["cover.xhtml"] = document(book.title, f'<div class="cover"><img src="cover.svg" alt="{escape(book.title)}"/></div>',
                                        site.language, page_type="cover")
    source = f'<p class="source"><a href="{escape(book.url)}">{"作者的知乎主页" if asked else words.on_zhihu}</a></p>' if book.url else ""
    about = f"<p>{escape(book.description)}</p>" if book.description else ""
    pkg.files["title.xhtml"] = document(book.title, (
        f'<section class="title-page"><h1>{escape(book.title)}</h1><p class="byline">{escape(authors)}</p>{about}'
        f'<p>共 {size}，{escape(site.title)}</p>{source}</section>'), site.language, page_type="titlepage")
    entries = "\n".join(f'<li><a href="{quote(_chapter_path(item))}">{escape(item.title)}</a></li>' for item in book.chapters)
    pkg.files["nav.xhtml"] = document(book.title, (
        f'<nav epub:type="toc" id="toc"><h1>目录</h1><ol>\n<li><a href="title.xhtml">{escape(book.title)}</a></li>\n'
        f'{entries}\n</ol></nav>'), site.language)
    pkg.properties["nav.xhtml"] = "nav"
    pkg.spine[:0] = ["cover.xhtml", "title.xhtml", "nav.xhtml"]


def _question(asked: Asked, site: Site, links: _Links, comments: bool) -> str:
    """A question's chapter: its title, topics, detail and source link, then each answer under its author's name."""
    question = asked.question
    head = f"<h1>{escape(question.title)}</h1>\n<p class=\"meta\">{len(asked.answers)} 个回答</p>\n"
    if question.topics:
        head += f'<p class="topics">话题：{escape("、".join(t.name for t in question.topics))}</p>\n'
    if question.url:
        head += f'<p class="source"><a href="{escape(question.url)}">知乎原问题</a></p>\n'
    detail = fragment(question.body.html, links.on(question.path)) if question.body and question.body.html else ""
    detail = f'<div class="question-detail">\n{detail}\n</div>\n' if detail else ""
    answers = "".join(_chapter(a, site, links, comments, heading=f"{a.author.name}的回答") for a in asked.answers)
    return f'<section epub:type="chapter" class="chapter question">\n{head}{detail}{answers}</section>'


def _chapter(item: Article | Note, site: Site, links: _Links, comments: bool, heading: str = "") -> str:
    """An article's or note's chapter; with *heading*, an answer's section of its question's chapter."""
    here = item.path  # the bodies' URLs are relative to the site's page, which is where the chapter sits too
    body = fragment(item.body.html if item.body else "", links.on(here))
    level = "h2" if heading else "h1"
    head = f"<{level}>{escape(heading or item.title)}</{level}>\n<p class=\"meta\">{escape(_meta_line(item))}</p>\n"
    topics = item.topics if isinstance(item, Article) else item.tags
    if topics:
        head += f'<p class="topics">话题：{escape("、".join(t.name for t in topics))}</p>\n'
    source = item.url if isinstance(item, Article) else ""
    if source:
        head += f'<p class="source"><a href="{escape(source)}">{item.zhihu_label}</a></p>\n'
    image = site.title_image(item) if isinstance(item, Article) else ""
    shown = links.picture(urls.relative(image, here), here) if image else None
    if shown:
        head += f'<p class="title-image"><img src="{escape(shown)}" alt=""/></p>\n'
    thread = _comments(item, links, here, "h3" if heading else "h2") if comments and isinstance(item, Article) and item.comments else ""
    kind = f'class="answer" id="answer-{safe_name(item.id)}"' if heading else 'epub:type="chapter" class="chapter"'
    return f'<section {kind}>\n{head}<div class="entry-body">\n{body}\n</div>\n{thread}</section>'


def _meta_line(item: Article | Note) -> str:
    if isinstance(item, Note):
        return item.date[:10]
    parts = [item.author.name, item.published[:10]]
    if item.updated[:10] and item.updated[:10] != item.published[:10]:
        parts.append(f"编辑于 {item.updated[:10]}")
    parts.append(f"{item.upvotes} 赞同" if item.upvotes else "")
    return " · ".join(p for p in parts if p)


def _comments(article: Article, links: _Links, here: str, level: str) -> str:
    def tree(comments: list[Comment]) -> str:
        items = []
        for c in comments:
            meta = " · ".join(p for p in (c.author.name, f"回复 {c.reply_to}" if c.reply_to else "",
                                          f"{c.likes} 赞" if c.likes else "", c.date[:10]) if p)
            text = fragment(c.body.html if c.body else "", links.on(here))
            replies = tree(c.replies) if c.replies else ""
            items.append(f'<li><p class="comment-meta">{escape(meta)}</p><div class="comment-body">{text}</div>{replies}</li>')
        return '<ol class="comment-list">' + "".join(items) + "</ol>"

    return (f'<section class="comments" epub:type="appendix" aria-label="评论"><{level}>评论 {article.comment_count}</{level}>'
            f"{tree(article.comments)}</section>\n")


class _Links:
    """Where a body's URL goes in the book: a chapter, an embedded picture, the web, or nowhere."""

    def __init__(self, book: Book, site: Site, pictures: Mapping[str, Path]) -> None:
        self._chapters = {item.path: _xhtml(item.path) for item in book.chapters}  # site page -> chapter (and fragment)
        self._chapters |= {a.path: f"{_xhtml(item.path)}#answer-{safe_name(a.id)}"
                           for item in book.chapters if isinstance(item, Asked) for a in item.answers}
        self._web = {a.path: a.url for a in site.articles if a.url}
        self._sources = pictures
        self.pictures: dict[str, bytes] = {}  # what the book holds: path -> bytes, in a format every reading system shows

    def resolve(self, url: str, here: str, picture: bool = False) -> str | None:
        """*url* in the page at *here* as the book has it; a link (not a *picture*) to a picture is dropped.

        The site's zoom links open the full-size copy; EPUB allows hyperlinks to
        pages only, and the chapter shows the picture already.
        """
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("#"):
            return url if parts.scheme in ("http", "https", "mailto", "") else None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(parts.path)))
        fragment_ = f"#{parts.fragment}" if parts.fragment else ""
        if target in self._chapters:
            chapter, _, anchor = self._chapters[target].partition("#")
            page = self._chapters.get(here, _xhtml(here)).partition("#")[0]  # an answer's *here* is its question's chapter
            return urls.relative(chapter, page) + (fragment_ or (f"#{anchor}" if anchor else ""))
        if target in self._sources:
            return self._embedded(target, url) if picture else None
        return self._web.get(target)

    def _embedded(self, target: str, url: str) -> str | None:
        """*url* of the picture at *target*, stored in the book once; None when it cannot be shown."""
        held = target if media_type(target) in CORE_PICTURES else f"{target.rsplit('.', 1)[0]}.png"
        if held not in self.pictures:
            data = self._sources[target].read_bytes()
            data = data if held == target else as_png(data)
            if data is None:
                return None
            self.pictures[held] = data
        return url if held == target else f"{url.rsplit('.', 1)[0]}.png"

    def on(self, here: str) -> Callable[[str, str], str | None]:
        """The link callback for the page at *here*: pictures by :meth:`picture`, links by :meth:`resolve`."""
        return lambda url, attribute: self.picture(url, here) if attribute == "src" else self.resolve(url, here)

    def picture(self, url: str, here: str) -> str | None:
        """An embedded picture's URL; None for one the book does not hold (remote pictures are not fetched by e-readers)."""
        if is_data_picture(url):
            return self._inside(url, here)
        parts = urlsplit(url)
        return None if parts.scheme or parts.netloc else self.resolve(url, here, picture=True)

    def _inside(self, url: str, here: str) -> str | None:
        """A picture written into the text (a ``data:`` URL: a notebook's plot, a Word note's figure) as a file of the
        book, named by its bytes as the site names its copies; None when it cannot be shown."""
        data = data_picture_bytes(url)
        kind = image_format(data) if data else ""
        if kind not in ("png", "jpg", "gif", "svg"):  # EPUB's core picture types (the SVG filtered by the rewrite): a WebP redrawn as PNG
            data, kind = (as_png(data) if data else None), "png"
        if data is None:
            return None
        held = output_path(hashlib.sha256(data).hexdigest(), kind)
        self.pictures.setdefault(held, data)
        return urls.relative(held, here)


def _chapter_path(item: Article | Note | Asked) -> str:
    return _xhtml(item.path)


def _xhtml(path: str) -> str:
    return path.removesuffix(".html") + ".xhtml"


def _authors(item: Article | Note | Asked) -> set[str]:
    if isinstance(item, Asked):
        return {a.author.name for a in item.answers}
    return {item.author.name} if isinstance(item, Article) else set()


def _newest(book: Book) -> str:
    stamps = [item.timestamp for item in book.chapters if item.timestamp]
    return max(stamps)[:19].rstrip("Z") + "Z" if stamps else "2000-01-01T00:00:00Z"


def _oldest(book: Book) -> str:
    return min((item.timestamp for item in book.chapters if item.timestamp), default="")[:10]


def _theme_file(theme: Path, name: str) -> Path:
    """*name* in the project's own theme, else in zhsite's: a theme made for the site before e-books has no ``epub/``."""
    own = theme / name
    return own if own.is_file() else Path(str(files("zhsite.themes"))) / "default" / name


def _stylesheet(theme: Path, math: bool) -> bytes:
    """The theme's e-book stylesheet, Pygments' light colours for code, and the math font when a page has a formula."""
    css = _theme_file(theme, "epub/book.css").read_text(encoding="utf-8")
    css += "\n" + HtmlFormatter(style="default").get_style_defs(".highlight") + "\n"
    if math:
        css += ('@font-face { font-family: "STIX Two Math"; src: url("static/fonts/stix-two-math.woff2") format("woff2"); }\n'
                'math { font-family: "STIX Two Math", math; }\n')
    return css.encode("utf-8")
