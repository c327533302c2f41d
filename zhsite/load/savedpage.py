"""Saved Zhihu post pages → the article, answer or pin they show.

A browser's "Save page as" of ``zhuanlan.zhihu.com/p/<id>`` or
``www.zhihu.com/question/<q>/answer/<id>`` (or ``www.zhihu.com/pin/<id>``, read from the
page's own state), and exporters that write one post
as an HTML page, keep the post as Zhihu rendered it: the title, the author's
card, the dates, the counts and the ``.Post-RichText``/``.RichText`` body
(../shared/docs/zhihu-html.md).  Only a page whose address
(``<link rel="canonical">``, ``og:url`` or the ``<!-- saved from url=… -->``
browsers write) is one post and which has Zhihu's post markup is read; any
other HTML page (a crawler's ``debug/initial.html``, a list, a search, an
unrelated page) stays a skipped page snapshot, so telling them apart costs a
look at the page's head, not a parse.

What the page shows is read into the API's fields and placed by the API
reader (zhsite/load/api.py): a saved page and a JSON copy of the same post
land in the same column or question.  The pictures the browser saved beside
the page (``<name>_files/``) are local images, as a Markdown export's are.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from zhsite.load.api import Fallback, read_post
from zhsite.load.fields import count, ident, pick, post_title, read_author, text
from zhsite.load.fonts import INSIDE_THE_PAGE, data_url_bytes, restore
from zhsite.load.jsontext import parse_json
from zhsite.load.loaded import Loaded
from zhsite.load.markdown import local_image_path
from zhsite.load.pins import is_pin
from zhsite.model import Article, Author, Profile
from zhsite.pictures import is_local_path
from zhsite.problems import Problem
from zhsite.slug import safe_name
from zhsite.tree import bound_attributes, parse_document, values_reported_to

NOT_PARSED = "a saved Zhihu post page that cannot be parsed"
NO_TEXT = "a saved Zhihu post page without the post's text"
CUT_SHORT = "saved page cut short"

# Each pattern stops at the next "<" or within a bound, so no page (200,000 "<meta " unclosed) makes looking slow.
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S{1,2000}?)\s*-->", re.I)
# An address such a note can hold: no space, no end of comment.
_NOTABLE = re.compile(r"(?:(?!-->)\S){1,2000}")
_HEAD_TAG = re.compile(r"<(?:link|meta)\b[^<>]*+>", re.I)
_ATTRIBUTE = re.compile(r"""(?<![\w:-])([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_POST_URL = re.compile(
    r"^(?:https?:)?//(?:zhuanlan|www)\.zhihu\.com/"
    r"(?:p/(?P<article>\d+)|(?:question/(?P<question>\d+)/)?answer/(?P<answer>\d+)|pin/(?P<pin>\d+))(?:[/?#]|$)"
)
# A class Zhihu gives only a post's own parts: a page with none of them is no post page, whatever its address.
_POST_MARKUP = re.compile(r"""\bclass\s*=\s*["'][^"'>]*\b(?:Post-RichText|Post-Title|QuestionHeader-title|AnswerItem|PinItem|RichText)\b""")
_HEAD_END = re.compile(r"</head\s*>|<body\b", re.I)
# A browser saves a page whole, to its closing tag; a file without one near its end was cut (a copy or download stopped).
_PAGE_END = re.compile(r"</html\s*>", re.I)
_END_LOOKED_AT = 4096


def page_address(page: str) -> str:
    """The Zhihu post the page is (its canonical link, ``og:url``, else the browser's saved-from note), or ""."""
    head = page[: m.start()] if (m := _HEAD_END.search(page)) else page
    found = {}
    for tag in _HEAD_TAG.finditer(head):
        attributes = {name.lower(): html.unescape(next(v for v in values if v is not None))
                      for name, *values in _ATTRIBUTE.findall(tag[0])}
        if attributes.get("rel", "").lower() == "canonical":
            found.setdefault("canonical", attributes.get("href", ""))
        elif attributes.get("property", "").lower() == "og:url":
            found.setdefault("og:url", attributes.get("content", ""))
    saved = _SAVED_FROM.search(head)
    for address in (found.get("canonical", ""), found.get("og:url", ""), saved[1] if saved else ""):
        if _POST_URL.match(address.strip()):
            return address.strip()
    return ""


def is_cut_short(page: str) -> bool:
    """A page saved whole ends in ``</html>``: one without it near its end was cut (a copy or a download stopped)."""
    return not _PAGE_END.search(page[-_END_LOOKED_AT:])


def saved_from(address: str) -> str:
    """The note a browser writes above a page it saves as HTML, for a page saved another way from *address* (an MHTML
    file, a web archive): :func:`page_address` reads it as the browser's own.  "" for an address it cannot hold."""
    return f"<!-- saved from url=({len(address):04d}){address} -->\n" if _NOTABLE.fullmatch(address) else ""


def is_saved_post(page: str) -> bool:
    """A page that is one Zhihu post: its address says so and it has a post's markup."""
    return bool(page_address(page)) and _POST_MARKUP.search(page) is not None


def read_saved_page(page: str, source: str) -> Loaded:
    """The post the page shows, in its column (or question), and its author's card; a post page without the post's text is an error."""
    address = _POST_URL.match(page_address(page))
    kind = "article" if address["article"] else "pin" if address["pin"] else "answer"
    post_id = address["article"] or address["answer"] or address["pin"]
    where = f"{kind} {post_id}"
    problems: list[Problem] = []

    def warn(kind: str, detail: str) -> None:
        problems.append(Problem(source, where, kind, detail, severity="warning"))

    if is_cut_short(page):
        warn(CUT_SHORT, "it ends before </html>: what came after its last part (the rest of the post, its comments) is missing")
    try:
        document = parse_document(bound_attributes(page, warn))
    except (etree.ParserError, ValueError) as exc:
        return Loaded(problems=[*problems, Problem(source, where, NOT_PARSED, str(exc))])
    if kind == "pin":
        return _saved_pin(document, post_id, source, problems)
    post = _answer_item(document, post_id) if kind == "answer" else document
    body = _first(post, "Post-RichText", "RichText")
    if body is None:
        detail = f"{address[0]}: no .Post-RichText or .RichText element"
        return Loaded(problems=[*problems, Problem(source, where, NO_TEXT, detail)])
    zop = _zop(post)
    title = _title(document, zop)
    info = _first(post, "AuthorInfo")
    author = {"name": _author_name(document, info, zop), "url": _meta(info, "url") or _href(info, "/people/")}
    published, updated = _dates(post, document)
    entity, column_data = _initial_data(document, kind, post_id)
    with values_reported_to(warn):  # a picture's path holding a control character: a warning (zhsite/tree.py)
        content = inner_html(with_local_pictures(body, source))
    raw: dict[str, Any] = {
        "id": post_id,
        "type": kind,
        "title": title,
        "content": content,
        "author": author,
        "voteup_count": _meta(post, "upvoteCount") or _counted(post, _UPVOTES),
        "comment_count": _meta(post, "commentCount") or _counted(post, _COMMENTS),
        "topics": _topics(document, kind),
        "created": published or pick(entity, "created", "created_time"),
        "updated": updated or pick(entity, "updated", "updated_time"),
    }
    if kind == "answer":
        question = address["question"] or _question_id(page, post_id)
        raw["question"] = {"id": question or None, "title": title}
    else:
        raw["column"] = _column(document) or column_data or None
        raw["image_url"] = _attribute(_first(document, "TitleImage"), "src")
    read = read_post(raw, source, "", _fallback(author))
    if isinstance(read, Problem):  # not reached: the page's address gives the id, and the content is text
        return Loaded(problems=[*problems, read])
    column, article, post_problems = read
    column.source = source
    if column_data and column.url.endswith(f"/{column_data.get('id')}"):
        column.followers = column.followers or count(pick(column_data, "followers", "follower_count"))
    column.articles.append(_restored(article, _web_fonts(document, source), problems))
    return Loaded(columns=[column], problems=problems + post_problems, profiles=_profile(info, article.author))


def _saved_pin(document: HtmlElement, pin_id: str, source: str, problems: list[Problem]) -> Loaded:
    """A saved pin page's pin, as its ``js-initialData`` holds it (the API's record, camelCase, its author by id
    among the page's users): the page draws its blocks of text and pictures from there."""
    entities = _object(_object(_state(document), "initialState"), "entities")
    pin = _object(_object(entities, "pins"), pin_id)
    if not is_pin(pin):
        return Loaded(problems=[*problems, Problem(source, f"pin {pin_id}", NO_TEXT, "no pin in the page's js-initialData")])
    author = pin.get("author")
    raw = {**pin, "id": pin_id, "author": _object(_object(entities, "users"), author) if isinstance(author, str) else author}
    read = read_post(raw, source, "", _fallback(raw["author"] if isinstance(raw["author"], dict) else {}))
    if isinstance(read, Problem):  # not reached: the id is the page's, and a pin's text is made as HTML
        return Loaded(problems=[*problems, read])
    column, article, post_problems = read
    column.source = source
    column.articles.append(article)
    return Loaded(columns=[column], problems=problems + post_problems)


def _by_class(root: HtmlElement, name: str) -> list[HtmlElement]:
    return root.xpath(f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def _first(root: HtmlElement | None, *names: str) -> HtmlElement | None:
    """The first element of the first of *names* (classes, in order of preference) that *root* has."""
    found = (element for name in names for element in (_by_class(root, name) if root is not None else []))
    return next(found, None)


def _attribute(element: HtmlElement | None, name: str) -> str:
    return text(element.get(name)) if element is not None else ""


def _meta(root: HtmlElement | None, itemprop: str) -> str:
    """A schema.org ``<meta itemprop=… content=…>`` Zhihu writes into a post's and its author's card."""
    found = root.xpath(f".//meta[@itemprop='{itemprop}']/@content") if root is not None else []
    return text(found[0]) if found else ""


def _head_meta(document: HtmlElement, key: str) -> str:
    found = document.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    return text(found[0]) if found else ""


def _href(root: HtmlElement | None, part: str) -> str:
    found = root.xpath(f".//a[contains(@href, '{part}')]/@href") if root is not None else []
    return text(found[0]) if found else ""


def _answer_item(document: HtmlElement, answer_id: str) -> HtmlElement:
    """The answer the page is about: an answer page also shows others below it."""
    items = _by_class(document, "AnswerItem")
    mine = [item for item in items if item.get("name") == answer_id or _meta(item, "url").endswith(f"/answer/{answer_id}")]
    return (mine or items or [document])[0]


def _zop(post: HtmlElement) -> dict:
    """The ``data-zop`` JSON Zhihu puts on a post (``{"authorName", "itemId", "title", "type"}``)."""
    for value in [post.get("data-zop"), *post.xpath(".//@data-zop"), *post.xpath("ancestor::*/@data-zop")]:
        # What is odd in it is not reported: the attribute only backs up what the page shows.
        data, _ = parse_json(value or "", "data-zop")
        if isinstance(data, dict):
            return data
    return {}


def _title(document: HtmlElement, zop: dict) -> str:
    """Zhihu's heading (``.Post-Title``, ``.QuestionHeader-title``), else the page's ``og:title``, ``<title>`` or first ``<h1>``."""
    heading = _first(document, "Post-Title", "QuestionHeader-title")
    titles = document.xpath("//title/text()")
    h1 = document.xpath("//h1")
    for candidate in (heading.text_content() if heading is not None else "", _head_meta(document, "og:title"), text(zop.get("title")),
                      titles[0] if titles else "", h1[0].text_content() if h1 else ""):
        cleaned = post_title(text(candidate))
        if cleaned:
            return cleaned
    return ""


def _author_name(document: HtmlElement, info: HtmlElement | None, zop: dict) -> str:
    name = _first(info, "AuthorInfo-name")
    return (_meta(info, "name") or (text(name.text_content()) if name is not None else "")
            or text(zop.get("authorName")) or _head_meta(document, "author"))


_WHEN = re.compile(r"(发布于|编辑于)\s*(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?)")


def _dates(post: HtmlElement, document: HtmlElement) -> tuple[str, str]:
    """(published, edited) as written: the card's ``dateCreated``/``dateModified``, else "发布于 …"/"编辑于 …"
    (Zhihu's clock) in ``.ContentItem-time`` and its tooltip, else the page's ``article:*_time``."""
    said = {}
    for element in _by_class(post, "ContentItem-time"):
        for written in (element.text_content(), *element.xpath(".//@data-tooltip")):
            for verb, when in _WHEN.findall(written):
                said.setdefault(verb, when)
    published = (_meta(post, "dateCreated") or _meta(post, "datePublished") or said.get("发布于", "")
                 or _head_meta(document, "article:published_time"))
    updated = _meta(post, "dateModified") or said.get("编辑于", "") or _head_meta(document, "article:modified_time")
    return published, updated


# Few enough digits that the count is a finite float (a page may say "赞同 999…").
_NUMBER = r"([\d,]{1,15}(?:\.\d{1,3})?)"
_UPVOTES = re.compile(rf"赞同\s*{_NUMBER}\s*(万?)")
_COMMENTS = re.compile(rf"{_NUMBER}\s*(万?)\s*条评论")


def _counted(post: HtmlElement, pattern: re.Pattern) -> int:
    """A count as the post's buttons show it (``赞同 1,234``, ``1.2 万条评论``), 0 when they do not."""
    for element in post.xpath(".//button | .//*[@aria-label]"):
        match = pattern.search(" ".join((element.get("aria-label") or "", element.text_content())))
        if match:
            try:
                number = float(match[1].replace(",", ""))
            except ValueError:
                continue
            return int(number * (10_000 if match[2] else 1))
    return 0


def _topics(document: HtmlElement, kind: str) -> list[dict]:
    """The topic links under the title (an answer's are its question's), else the question's ``keywords``."""
    around = _first(document, "QuestionHeader" if kind == "answer" else "Post-Topics")
    around = document if around is None else around
    links = [{"name": text(a.text_content()), "url": text(a.get("href"))} for a in _by_class(around, "TopicLink")]
    if links:
        return links
    return [name for name in re.split(r"[,，]", _meta(around, "keywords")) if name.strip()]


_COLUMN_ID = re.compile(r"(?:zhihu\.com/column/|zhuanlan\.zhihu\.com/)(?!p/)([\w-]+)")


def _column(document: HtmlElement) -> dict | None:
    """The column the article is in: its ``.ColumnLink`` (``//www.zhihu.com/column/c_123``) and name."""
    for link in _by_class(document, "ColumnLink"):
        match = _COLUMN_ID.search(link.get("href") or "")
        if match:
            named = [text(other.text_content()) for other in _by_class(document, "ColumnLink") if match[0] in (other.get("href") or "")]
            return {"id": match[1], "title": next((name for name in named if name), "")}
    return None


def _question_id(page: str, answer_id: str) -> str:
    """The question of an answer page saved from ``zhihu.com/answer/<id>``: the page links ``…/question/<q>/answer/<id>``."""
    match = re.search(rf"/question/(\d+)/answer/{answer_id}\b", page)
    return match[1] if match else ""


def _fallback(author: dict) -> Fallback:
    """Where an article that names no column goes: its author's articles. Never its folder, which is where the
    browser saved it (``p/``, ``收藏/``), not a column."""
    person = read_author(author)
    return Fallback(safe_name(f"author-{person.id or person.name}"), f"{person.name}的知乎文章")


def _initial_data(document: HtmlElement, kind: str, post_id: str) -> tuple[dict, dict]:
    """The post's entity and its column's in the page's ``js-initialData`` JSON (Zhihu's own state for the page),
    which has the dates, column and followers the visible page may not: ({}, {}) without it."""
    entities = _object(_object(_state(document), "initialState"), "entities")
    entity = _object(_object(entities, "articles" if kind == "article" else "answers"), post_id)
    named = entity.get("column")
    column_id = ident(named.get("id")) if isinstance(named, dict) else ident(named)
    column = {**_object(_object(entities, "columns"), column_id), **(named if isinstance(named, dict) else {})}
    return entity, ({**column, "id": column_id} if column_id else {})


def _state(document: HtmlElement) -> dict:
    """The page's ``js-initialData`` JSON, {} without it."""
    found = document.xpath("//script[@id='js-initialData']/text()")
    # What is odd in it is not reported: Zhihu's state holds far more than the few fields read here.
    data, _ = parse_json(found[0], "js-initialData") if found else ({}, [])
    return data if isinstance(data, dict) else {}


def _object(data: Any, key: str) -> dict:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def with_local_pictures(body: HtmlElement, source: str, inside: Callable[[str], str | None] | None = None) -> HtmlElement:
    """Pictures the browser saved beside the page (``./<name>_files/v2-….jpg``) as paths relative to the project; with
    *inside* (a page of an e-book, zhsite/load/ebooks.py), those the book holds as what it gives (their ``data:`` URLs).

    Zhihu keeps a figure's Zhihu addresses in ``data-actualsrc`` (which the
    rewrite stage prefers to ``src``) and ``data-original`` (its full size,
    a zoom link): both go, so the saved file is the picture, offline too.
    """
    for img in body.iter("img"):
        src = (img.get("src") or "").strip()
        if is_local_path(src):
            img.set("src", (inside(src) if inside is not None else None) or local_image_path(src, source))
            for zhihu in ("data-actualsrc", "data-original"):
                img.attrib.pop(zhihu, None)
    return body


_FONT_FACE = re.compile(r"@font-face\s*\{[^{}]*\}", re.I)
_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")


def _web_fonts(document: HtmlElement, source: str) -> list[str]:
    """The fonts the page's own ``@font-face`` rules use: files beside it (project paths) and ``data:`` URLs."""
    found = []
    for style in document.xpath("//style/text()"):
        for rule in _FONT_FACE.findall(style):
            for _, url in _URL.findall(rule):
                url = url.strip()
                if url.startswith("data:") or is_local_path(url):
                    found.append(url if url.startswith("data:") else local_image_path(url, source))
    return list(dict.fromkeys(found))


def _restored(article: Article, fonts: list[str], problems: list[Problem]) -> Article:
    """Zhihu draws text its anti-crawler scrambled in a web font of its own: one inside the page restores the text
    now (zhsite/load/fonts.py), one beside it once every file is read; Article.fonts names both for the warning."""
    inside = [font for font in fonts if font.startswith("data:")]  # an icon font too: its glyphs match no character
    loaders = {INSIDE_THE_PAGE + (f" ({i})" if i > 1 else ""): partial(data_url_bytes, url) for i, url in enumerate(inside, 1)}
    article.fonts = (*loaders, *(font for font in fonts if not font.startswith("data:")))
    return restore(article, loaders, {}, problems)


def inner_html(element: HtmlElement) -> str:
    return html.escape(element.text or "", quote=False) + "".join(lxml.html.tostring(child, encoding="unicode") for child in element)


def _profile(info: HtmlElement | None, author: Author) -> list[Profile]:
    """The author's picture and headline from their card, for the author's page (when the card names them)."""
    avatar = _meta(info, "image") or _attribute(_first(info, "AuthorInfo-avatar"), "src")
    headline = _first(info, "AuthorInfo-badgeText")
    said = text(headline.text_content()) if headline is not None else ""
    if not author.id or not (avatar.startswith("https://") or said):
        return []
    return [Profile(ids=(author.id,), name=author.name, headline=said, avatar=avatar if avatar.startswith("https://") else "")]

