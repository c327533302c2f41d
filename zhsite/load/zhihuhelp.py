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

A page names no answer's id, so an answer is known by its question and its
author (Zhihu lets a user answer a question once): ``answers/<question>-<author>.html``,
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
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from zhsite.load.api import Fallback, read_post
from zhsite.load.fields import text
from zhsite.load.loaded import Loaded
from zhsite.load.savedpage import inner_html, with_local_pictures
from zhsite.model import Profile
from zhsite.pictures import is_local_path
from zhsite.problems import Problem
from zhsite.slug import safe_name
from zhsite.tree import bound_attributes, has_class, parse_document, values_reported_to

NOT_PARSED = "a 知乎助手 page that cannot be parsed"
NO_POSTS = "a 知乎助手 page without a post"

# The classes 知乎助手's pages give a post's header (its title's <h1>), which no other page uses.
_MARK = re.compile(r"""class\s*=\s*["'][^"'<>]*\bbg-zhihu-blue-(?:deep|light)\b""")
# The contents page of a book: its links to the pages, under the tool's notice.
_CONTENTS = "电子书由知乎助手生成"
_COUNTED = {"voteup_count": re.compile(r"赞同\s*[:：]\s*(\d{1,12})"), "comment_count": re.compile(r"评论\s*[:：]\s*(\d{1,12})")}
# The spans of that line run together in its text: a date ends where its digits do.
_DATE = r"\s*[:：]\s*(\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?|Invalid)"
_DATED = {"created": re.compile("创建时间" + _DATE), "updated": re.compile("最后更新" + _DATE)}
_PEOPLE = re.compile(r"/people/([\w.-]{1,100})")
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

    try:
        document = parse_document(bound_attributes(page, warn))
    except (etree.ParserError, ValueError) as exc:
        return Loaded(problems=[Problem(name, "", NOT_PARSED, str(exc))])
    page_id = _page_id(name)
    blocks = [_block(header) for header in document.iter("h1") if _header(header) is not None]
    loaded = Loaded(problems=problems)
    for title, block in blocks:
        single = block.get("data-key") == "single-page"
        for index, post in enumerate(_posts(block)):
            where = f"{title[:30]} ({index + 1})" if not single else title[:30]
            with values_reported_to(warn):
                content = inner_html(_with_pictures(_content(post), name, inside))
            _add(loaded, _raw_post(post, title, content, single, page_id if len(blocks) == 1 else "", index), name, where)
    if not loaded.columns:  # a question 知乎助手 saved none of the answers of (all deleted): said, and the rest builds
        loaded.problems.append(Problem(name, "", NO_POSTS, "no answer, article or pin under the page's title was found", severity="warning"))
    return loaded


def _with_pictures(content: HtmlElement, name: str, inside: Callable[[str], str | None] | None) -> HtmlElement:
    """The pictures of the book's ``image/`` folder shown from there (paths relative to the project), or from inside the e-book."""
    if inside is not None:
        for img in content.iter("img"):
            src = (img.get("src") or "").strip()
            found = inside(src) if is_local_path(src) else None
            if found:  # Zhihu's addresses go, as with_local_pictures takes them off a picture saved beside the page
                img.set("src", found)
                for zhihu in ("data-actualsrc", "data-original"):
                    img.attrib.pop(zhihu, None)
    return with_local_pictures(content, name)


def _add(loaded: Loaded, raw: dict[str, Any], name: str, where: str) -> None:
    """The post read as the API's fields are, into its column; its author's card for the author's page."""
    book = PurePosixPath(name).parent.parent.name if PurePosixPath(name).parent.name == "html" else PurePosixPath(name).stem
    read = read_post(raw, name, where, Fallback(safe_name(book), book))
    if isinstance(read, Problem):
        loaded.problems.append(read)
        return
    column, article, problems = read
    if not raw["real_id"]:
        article.url = column.url if article.kind == "answer" else ""
    column.source = name
    column.articles.append(article)
    loaded.add(Loaded(columns=[column], problems=problems, profiles=_profile(raw, article.author)))


def _page_id(name: str) -> str:
    """The id a page of a book's ``html/`` folder is named by: its question's, or its article's or pin's."""
    stem = PurePosixPath(name).stem
    return stem if stem.isascii() and stem.isdigit() and PurePosixPath(name).parent.name == "html" else ""


def _header(h1: HtmlElement) -> HtmlElement | None:
    """The outermost ``.bg-zhihu-blue-light`` around a post's title, or None for another <h1>."""
    found = None
    for ancestor in h1.iterancestors():
        if has_class(ancestor, "bg-zhihu-blue-light"):
            found = ancestor
    return found


def _block(h1: HtmlElement) -> tuple[str, HtmlElement]:
    """The title and the element holding the header and the posts under it."""
    return " ".join(h1.text_content().split()), _header(h1).getparent()


def _posts(block: HtmlElement) -> list[HtmlElement]:
    """Each post's own ``.answer``: the one holding its author's card."""
    return [element for element in block.iter("div") if has_class(element, "answer") and any(
        has_class(child, "author") for child in element)]


def _content(post: HtmlElement) -> HtmlElement:
    """The post's text: what 知乎助手 put inside ``.content``'s own element."""
    content = next((child for child in post if has_class(child, "content")), None)
    if content is None:
        return post.makeelement("div", {})
    return content[0] if len(content) == 1 and content[0].tag == "div" else content


def _raw_post(post: HtmlElement, title: str, content: str, single: bool, page_id: str, index: int) -> dict[str, Any]:
    """The post's fields as the API names them, from its author's card and its line of counts and dates."""
    link = next(iter(post.xpath(".//*[contains(@class, 'author-name')]//a")), None)
    author = {"name": text(link.text_content()) if link is not None else "", "url": link.get("href", "") if link is not None else ""}
    person = _PEOPLE.search(author["url"])
    sign = next(iter(post.xpath(".//*[contains(@class, 'author-sign')]")), None)
    avatar = next(iter(post.xpath(".//*[contains(@class, 'author-logo')]//img/@src")), "")
    footer = " ".join(" ".join(element.text_content().split()) for element in post if has_class(element, "comment"))
    raw: dict[str, Any] = {
        "title": title, "content": content, "author": author, "headline": text(sign.text_content()).strip("\u3000 ") if sign is not None else "",
        "avatar": avatar if str(avatar).startswith("https://") else "",
        **{key: int(m[1]) for key, pattern in _COUNTED.items() if (m := pattern.search(footer))},
        **{key: m[1] for key, pattern in _DATED.items() if (m := pattern.search(footer)) and not m[1].startswith(_UNKNOWN_DATES)},
    }
    is_pin = single and bool(post.xpath(".//div[contains(concat(' ', @class, ' '), ' pin ')]"))
    if single:
        raw |= {"type": "pin" if is_pin else "article", "content_html": content, "excerpt_title": title}
        raw["id"], raw["real_id"] = page_id or f"zhihuhelp-{_digest(title, author['name'])}", bool(page_id)
    else:
        who = person[1] if person and person[1] != "0" else f"{index + 1}"  # 0: Zhihu's anonymous user, who answers often
        raw |= {"type": "answer", "question": {"id": page_id or None, "title": title}}
        raw["id"], raw["real_id"] = f"{page_id or 'zhihuhelp-' + _digest(title)}-{who}", False
    return raw


def _profile(raw: dict[str, Any], author: Any) -> list[Profile]:
    if not author.id or not (raw["avatar"] or raw["headline"]):
        return []
    return [Profile(ids=(author.id,), name=author.name, headline=raw["headline"], avatar=raw["avatar"])]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:10]
