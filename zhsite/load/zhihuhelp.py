"""知乎助手 (ZhihuHelp) books → the answers, articles and pins they hold.

知乎助手 saves a question, a column, a user's answers or a collection as a
book: an EPUB (zhsite/load/ebooks.py) and the same pages as a folder, ``html/<id>.html``
one page a question (named by the question's id) with each answer under its
author's card, or an article or pin (named by its id, ``data-key="single-page"``),
``html/index.html`` the book's contents, ``image/`` the pictures the pages
show as ``../image/<md5>_<name>``, ``css/``, and ``单文件版/<book>.html`` every
page in one.  Each post ends in a line of counts and dates (``赞同:120``,
``创建时间:2019-03-01``, ``评论:8``, ``最后更新:…``).  Read as any saved page,
none of it was a Zhihu post: the folder built an empty site, its pages
counted as snapshots.

The 2016 知乎助手 (in Python) wrote the same classes, several questions to a
page, each title linking its question and each answer's line (``赞同数:``,
``评论数:``, ``更新时间:``) linking the answer.  A 2020 page names no answer's
id, so an answer there is known by its question and its author (Zhihu lets a user answer a question once): ``answers/<question>-<author>.html``,
its source link the question's.  A post of the one-page copy, which names no
question either, is known by a digest of its title and author, without a
source link.  That copy, and the book's EPUB where 知乎助手 writes it, are read
only when the book's ``html/`` folder is not beside them: their posts are the folder's.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from lxml import etree
from lxml.html import HtmlElement

from zhsite.load.api import Fallback, read_post
from zhsite.load.fields import text
from zhsite.load.loaded import Loaded
from zhsite.load.savedpage import CUT_SHORT, inner_html, is_cut_short, with_local_pictures
from zhsite.model import Profile
from zhsite.problems import Problem
from zhsite.slug import safe_name
from zhsite.tree import bound_attributes, has_class, parse_document, values_reported_to

NOT_PARSED = "a 知乎助手 page that cannot be parsed"
NO_POSTS = "a 知乎助手 page without a post"

# The classes 知乎助手's pages give a post's header (its title's <h1>), which no other page uses.
_MARK = re.compile(r"""class\s*=\s*["'][^"'<>]*\bbg-zhihu-blue-(?:deep|light)\b""")
# The contents page of a book: its links to the pages, under the tool's notice.
_CONTENTS = "电子书由知乎助手生成"
# 2020's line says 赞同:, 评论:, 创建时间:, 最后更新:; 2016's 赞同数:, 评论数:, 更新时间: (its link the answer's address).
_COUNTED = {"voteup_count": re.compile(r"赞同数?\s*[:：]\s*(\d{1,12})"), "comment_count": re.compile(r"评论数?\s*[:：]\s*(\d{1,12})")}
# The spans of that line run together in its text: a date ends where its digits do.
_DATE = r"\s*[:：]\s*(\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?|Invalid)"
_DATED = {"created": re.compile("创建时间" + _DATE), "updated": re.compile("(?:最后更新|更新时间)" + _DATE)}
_PEOPLE = re.compile(r"/people/([\w.-]{1,100})")
_QUESTION_LINK = re.compile(r"zhihu\.com/question/(\d{1,20})")
_ANSWER_LINK = re.compile(r"zhihu\.com/question/(\d{1,20})/answer/(\d{1,20})")
_ARTICLE_LINK = re.compile(r"zhuanlan\.zhihu\.com/p/(\d{1,20})")
ONE_PAGE_COPY = "单文件版"
# What moment.js writes for a time the record lacks: "Invalid date", or the epoch for a 0.
_UNKNOWN_DATES = ("Invalid", "1970-01-01")


def is_zhihuhelp_page(page: str) -> bool:
    """A page of a 知乎助手 book: a post's header in its classes (its contents page has none)."""
    return _MARK.search(page) is not None


def is_zhihuhelp_contents(page: str) -> bool:
    return _CONTENTS in page and "list-group-item" in page and not is_zhihuhelp_page(page)


def is_copy_of_pages(path: Path) -> bool:
    """A copy of a book whose pages are beside it, one by one: its posts again, differing only in where their pictures
    are (an e-book's inside it).  知乎助手 writes ``知乎助手输出的电子书/epub/<book>.epub`` and
    ``…/html/<book>/html/<id>.html``, and ``…/html/<book>/单文件版/<book>.html`` beside that ``html/``."""
    if path.parent.name == ONE_PAGE_COPY and path.suffix.lower() == ".html":
        return (path.parent.parent / "html").is_dir()
    return path.parent.name == "epub" and path.suffix.lower() == ".epub" and (path.parent.parent / "html" / path.stem / "html").is_dir()


def read_zhihuhelp_page(page: str, name: str) -> Loaded:
    """Each post of the page, in its question (answers) or in the book's column (articles) or the author's pins."""
    return posts_of_page(page, name, None)


def posts_of_page(page: str, name: str, inside: Callable[[str], str | None] | None) -> Loaded:
    """As :func:`read_zhihuhelp_page`; *inside*: for a page of an e-book (zhsite/load/ebooks.py), what shows a picture the
    book holds (its ``data:`` URL)."""
    problems: list[Problem] = []

    def warn(kind: str, detail: str) -> None:
        problems.append(Problem(name, "", kind, detail, severity="warning"))

    if is_cut_short(page):
        warn(CUT_SHORT, "it ends before </html>: what came after its last part (the rest of a post, the posts after it) is missing")
    try:
        document = parse_document(bound_attributes(page, warn))
    except (etree.ParserError, ValueError) as exc:
        return Loaded(problems=[*problems, Problem(name, "", NOT_PARSED, str(exc))])
    blocks = _blocks(document)
    page_id = _page_id(name) if len(blocks) == 1 else ""
    loaded = Loaded(problems=problems)
    for block in blocks:
        with values_reported_to(warn):
            about = inner_html(with_local_pictures(block.about, name, inside)) if block.about is not None else ""
        for index, post in enumerate(block.posts):
            where = block.title[:30] if block.single else f"{block.title[:30]} ({index + 1})"
            with values_reported_to(warn):
                content = inner_html(with_local_pictures(_content(post), name, inside))
            _add(loaded, _raw_post(post, block, content, page_id, index), name, where, about)
    if not loaded.columns:  # a question 知乎助手 saved none of the answers of (all deleted): said, and the rest builds
        loaded.problems.append(Problem(name, "", NO_POSTS, "no answer, article or pin under the page's title was found", severity="warning"))
    return loaded


class _Block(NamedTuple):
    """A post's header (its title, and the question its title links to in the 2016 pages) and the posts under it."""

    title: str
    single: bool  # an article's or pin's page: data-key="single-page"
    question: str
    posts: list[HtmlElement]
    about: HtmlElement | None  # the question's own text, which the 2016 pages show under its title (.question-info)


def _blocks(document: HtmlElement) -> list[_Block]:
    """Each header and the posts after it, in the page's order, up to the next header: the pages of 2020 wrap each
    header with its posts in an element, those of 2016 put a chapter's questions side by side."""
    blocks: list[_Block] = []
    for element in document.iter("div"):
        if has_class(element, "bg-zhihu-blue-light") and not any(has_class(up, "bg-zhihu-blue-light") for up in element.iterancestors()):
            h1 = next(element.iter("h1"), None)
            linked = _QUESTION_LINK.search(" ".join(element.xpath(".//a/@href")))
            about = next((child for child in element.iter("div") if has_class(child, "question-info") and child.text_content().strip()), None)
            blocks.append(_Block(" ".join(h1.text_content().split()) if h1 is not None else "",
                                 element.getparent().get("data-key") == "single-page", linked[1] if linked else "", [], about))
        elif blocks and has_class(element, "answer") and any(has_class(child, "author") for child in element):
            blocks[-1].posts.append(element)
    return blocks


def _add(loaded: Loaded, raw: dict[str, Any], name: str, where: str, about: str) -> None:
    """The post read as the API's fields are, into its column (an answer's question with its own text, *about*); its
    author's card for the author's page."""
    book = PurePosixPath(name).parent.parent.name if PurePosixPath(name).parent.name == "html" else PurePosixPath(name).stem
    read = read_post(raw, name, where, Fallback(safe_name(book), book))
    if isinstance(read, Problem):
        loaded.problems.append(read)
        return
    column, article, problems = read
    if not raw["real_id"]:
        article.url = column.url if article.kind == "answer" else ""
    column.source = name
    column.detail = about if column.kind == "question" else ""
    column.articles.append(article)
    loaded.add(Loaded(columns=[column], problems=problems, profiles=_profile(raw, article.author)))


def _page_id(name: str) -> str:
    """The id a page of a book's ``html/`` folder is named by: its question's, or its article's or pin's."""
    stem = PurePosixPath(name).stem
    return stem if stem.isascii() and stem.isdigit() and PurePosixPath(name).parent.name == "html" else ""


def _content(post: HtmlElement) -> HtmlElement:
    """The post's text: what 知乎助手 put inside ``.content``'s own element."""
    content = next((child for child in post if has_class(child, "content")), None)
    if content is None:
        return post.makeelement("div", {})
    return content[0] if len(content) == 1 and content[0].tag == "div" else content


def _raw_post(post: HtmlElement, block: _Block, content: str, page_id: str, index: int) -> dict[str, Any]:
    """The post's fields as the API names them, from its author's card and its line of counts, dates and (2016) its link."""
    link = next(iter(post.xpath(".//*[contains(@class, 'author-name')]//a")), None)
    author = {"name": text(link.text_content()) if link is not None else "", "url": link.get("href", "") if link is not None else ""}
    sign = next(iter(post.xpath(".//*[contains(@class, 'author-sign')]")), None)
    avatar = next(iter(post.xpath(".//*[contains(@class, 'author-logo')]//img/@src")), "")
    footer = " ".join(" ".join(element.text_content().split()) for element in post if has_class(element, "comment"))
    raw: dict[str, Any] = {
        "title": block.title, "content": content, "content_html": content, "author": author,
        "headline": text(sign.text_content()).strip("\u3000 ") if sign is not None else "", "avatar": avatar if str(avatar).startswith("https://") else "",
        **{key: int(m[1]) for key, pattern in _COUNTED.items() if (m := pattern.search(footer))},
        **{key: m[1] for key, pattern in _DATED.items() if (m := pattern.search(footer)) and not m[1].startswith(_UNKNOWN_DATES)},
    }
    return raw | _identity(post, block, page_id, author["url"], index)


def _identity(post: HtmlElement, block: _Block, page_id: str, author_url: str, index: int) -> dict[str, Any]:
    """The post's kind and id, and whether the id is Zhihu's: its own link (2016), else the page's name, else made up."""
    links = " ".join(href for child in post if not has_class(child, "content") for href in child.xpath(".//a/@href"))
    article, answer = _ARTICLE_LINK.search(links), _ANSWER_LINK.search(links)
    if block.single or (article and not answer):  # an article its own line links, under a header of the 2016 pages too
        post_id = article[1] if article else page_id
        kind = "pin" if post.xpath(".//div[contains(concat(' ', @class, ' '), ' pin ')]") else "article"
        return {"type": kind, "excerpt_title": block.title, "id": post_id or f"zhihuhelp-{_digest(block.title, author_url)}", "real_id": bool(post_id)}
    question = answer[1] if answer else block.question or page_id
    person = _PEOPLE.search(author_url)
    who = person[1] if person and person[1] != "0" else f"{index + 1}"  # 0: Zhihu's anonymous user, who answers often
    made_up = f"{question or 'zhihuhelp-' + _digest(block.title)}-{who}"
    return {"type": "answer", "question": {"id": question or None, "title": block.title}, "id": answer[2] if answer else made_up,
            "real_id": bool(answer)}


def _profile(raw: dict[str, Any], author: Any) -> list[Profile]:
    if not author.id or not (raw["avatar"] or raw["headline"]):
        return []
    return [Profile(ids=(author.id,), name=author.name, headline=raw["headline"], avatar=raw["avatar"])]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:10]
