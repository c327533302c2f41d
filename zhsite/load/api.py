"""Zhihu API v4 articles, answers and pins (and exporters' camelCase copies) → columns.

A file holds one object, a list of them or a paging wrapper
``{"data": [...], "paging": {...}}``, of posts or of items holding one (a feed's, a collection's).  Articles go to the column they name
(``column: {id, title}``), else to *fallback* (the file or its folder); the
answers to one question form one "column" whose page is the question.  The
loader merges columns of the same slug across files, so a folder of
one-article files becomes one column; pins (zhsite/load/pins.py) and videos
(zhsite/load/zvideos.py) go to their author's column of them.  ``rawHtml`` (the whole rendered page
some exporters add) is never read: ``content`` is the post.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhsite.load.fields import NOT_HTML, article_id_in, count, ident, items, pick, read_author, read_comments, read_time, read_topics, safe_link, text
from zhsite.load.loaded import Loaded
from zhsite.load.pins import is_pin, pin_html, pin_title, pin_topics
from zhsite.load.zvideos import is_zvideo, zvideo_html
from zhsite.model import Article, Author, Column, Comment
from zhsite.problems import Problem
from zhsite.slug import safe_name

NOT_A_POST = "expected an article or answer object"
NO_ID = "no id: an API article or answer needs 'id'"
_ANSWER_URL = re.compile(r"/answers?/\d+")
_COLUMN_ITEMS = re.compile(r"/columns/([^/?#]+)/(?:items|articles)")


@dataclass(frozen=True)
class Fallback:
    """The column for articles that name none: the one the page's paging URLs name, else the file's or the folder's."""

    slug: str
    title: str
    url: str = ""


def _is_post(data: Any) -> bool:
    """An answer names its question; an article has a title (comments, with content too, have neither); a pin says it is one."""
    if not isinstance(data, dict):
        return False
    return is_pin(data) or is_zvideo(data) or isinstance(data.get("question"), dict) or (pick(data, "question_id") is not None and isinstance(data.get("content"), str)) or (
        isinstance(data.get("content"), str) and ("title" in data or data.get("type") in ("article", "answer"))
    )


def is_answer(raw: dict) -> bool:
    """Names its question (an object, or a crawler's ``questionId``), says it is one, or has an answer's URL
    (``api.zhihu.com/answers/<id>``: such answers come with ``"title": ""``, and are no article)."""
    return (isinstance(raw.get("question"), dict) or pick(raw, "question_id") is not None or raw.get("type") == "answer"
            or bool(_ANSWER_URL.search(text(raw.get("url")))))


def _target(item: Any) -> Any:
    """A feed or search item's post (``{"type": "feed", "target": {…}}``), a collection's (收藏夹, ``/collections/<id>/items``:
    ``{"created": …, "content": {…}}``); anything else as it is."""
    if isinstance(item, dict) and isinstance(item.get("target"), dict):
        return item["target"]
    if isinstance(item, dict) and isinstance(item.get("content"), dict) and _is_post(item["content"]):
        return item["content"]
    return item


def is_captured(data: Any) -> bool:
    """API responses a browser extension captured, each with its URL: ``[{"url": …, "data": {"data": […]}}]``."""
    return isinstance(data, list) and bool(data) and all(isinstance(i, dict) and "url" in i and isinstance(i.get("data"), dict) for i in data)


def api_posts(data: Any) -> list | None:
    """The posts in *data* if it has an API shape: one post, a list of posts, a paging wrapper
    (``{data, paging}`` or ``{meta, items}``), feed items (``{target}``) or captured responses."""
    data = _target(data)
    if _is_post(data):
        return [data]
    if is_captured(data):
        return [post for response in data for post in api_posts(response["data"]) or []] or None
    if isinstance(data, list) or isinstance(items(data) if isinstance(data, dict) else None, list) and items(data):
        posts = [_target(p) for p in items(data)]
        return posts if any(_is_post(p) for p in posts) else None
    return None


def paged_column(data: Any) -> str:
    """The column id in the URLs of a page of ``…/columns/<id>/items`` (its paging, or the captured response's URL); ``""`` if none."""
    responses = data if is_captured(data) else [data] if isinstance(data, dict) else []
    for response in responses:
        body = response.get("data") if isinstance(response.get("data"), dict) else response
        paging = body.get("paging") if isinstance(body.get("paging"), dict) else {}
        for url in (response.get("url"), paging.get("next"), paging.get("previous")):
            match = _COLUMN_ITEMS.search(text(url))
            if match:
                return match.group(1)
    return ""


def _column_of(raw: dict, fallback: Fallback) -> Column:
    column = raw.get("column")
    column_id = ident(column.get("id")) if isinstance(column, dict) else ""
    if not column_id:
        return Column(slug=fallback.slug, title=fallback.title, url=fallback.url)
    return Column(
        slug=safe_name(column_id),
        title=text(column.get("title")) or column_id,
        description=text(column.get("description")),
        url=f"https://zhuanlan.zhihu.com/{column_id}",
    )


def question_of(question: dict, fallback: Fallback) -> Column:
    """The question an answer belongs to; its title may be left "" for the question's own file (meta.json) to give."""
    question_id = ident(question.get("id"))
    if not question_id:
        return Column(slug=fallback.slug, title=text(question.get("title")) or fallback.title, kind="question")
    return Column(
        slug=safe_name(question_id),
        title=text(question.get("title")),
        url=f"https://www.zhihu.com/question/{question_id}",
        kind="question",
    )


def _comments(raw: dict, source: str, where: str) -> tuple[list[Comment], list[Problem]]:
    """All the comments the archive has; else the top ones a crawler kept (``topComments``, one ``hotComment``)."""
    for value in (raw.get("comments"), pick(raw, "top_comments"), pick(raw, "hot_comment")):
        comments, problems = read_comments([value] if isinstance(value, dict) and "content" in value else value, source, where)
        if comments:
            return comments, problems
    return [], []


def _title_image(raw: dict, source: str, place: str) -> tuple[str, list[Problem]]:
    """The title image when it is a web URL (the image phase fetches it); an unsafe link is also reported."""
    url, problems = safe_link(pick(raw, "image_url", "title_image"), source, f"{place} image_url")
    return (url if url.startswith(("https://", "http://")) else ""), problems


# An author's own kinds of post: where Zhihu shows one, and their column of them (its slug's and profile tab's
# name, and its title after the author's name).
_ZHIHU_AT = {"pin": "https://www.zhihu.com/pin/{}", "zvideo": "https://www.zhihu.com/zvideo/{}"}
_AUTHOR_COLUMNS = {"pin": ("pins", "的想法"), "zvideo": ("zvideos", "的视频")}


def author_column(author: Author, kind: str) -> Column:
    """The column of an author's pins or videos: ``<作者>的想法`` linking their profile's tab of them."""
    folder, named = _AUTHOR_COLUMNS[kind]
    return Column(slug=f"{folder}-{safe_name(author.id or author.name)}", title=f"{author.name}{named}",
                  url=f"{author.url}/{folder}" if author.url else "")


def read_post(raw: Any, source: str, where: str, fallback: Fallback) -> tuple[Column, Article, list[Problem]] | Problem:
    """One article, answer or pin, the column (or question) it belongs to, and what was odd in its comments."""
    if not isinstance(raw, dict):
        return Problem(source, where, NOT_A_POST, f"got {type(raw).__name__}")
    question = raw.get("question")
    answer = is_answer(raw)
    post_id = ident(raw.get("id")) or ("" if answer else article_id_in(text(raw.get("url"))))
    if not post_id:
        return Problem(source, where, NO_ID)
    place = f"{where} (id {post_id})" if where else f"id {post_id}"
    kind = "pin" if is_pin(raw) else "zvideo" if is_zvideo(raw) else ""  # an author's own kind of post, in a column of them
    content = pin_html(raw) if kind == "pin" else zvideo_html(raw, _ZHIHU_AT[kind].format(post_id)) if kind else raw.get("content")
    if not isinstance(content, str):
        return Problem(source, place, NOT_HTML, f"got {type(content).__name__}")
    comments, problems = _comments(raw, source, place)
    common = {
        "id": post_id,
        "author": read_author(raw.get("author")),
        "content": content,
        "upvotes": count(pick(raw, "voteup_count", "reaction_count", "like_count", "liked_count")),
        "topics": pin_topics(raw) if kind == "pin" else read_topics(raw.get("topics")),
        "comments": comments,
        "comments_on_zhihu": count(pick(raw, "comment_count")),
        "source": source,
        "published": read_time(raw, ("created", "created_time", "published_at", "created_at"), source, place, problems),
        "updated": read_time(raw, ("updated", "updated_time", "updated_at"), source, place, problems),
    }
    if kind:
        title = pin_title(raw, content, post_id) if kind == "pin" else text(raw.get("title")) or f"视频 {post_id}"
        return author_column(common["author"], kind), Article(title=title, url=_ZHIHU_AT[kind].format(post_id), kind=kind, **common), problems
    if answer:
        question = {"id": pick(raw, "question_id"), **(question if isinstance(question, dict) else {})}
        column = question_of(question, fallback)
        url = f"{column.url}/answer/{post_id}" if column.url else f"https://www.zhihu.com/answer/{post_id}"
        # Titled after the question; a crawler's answer leaves it to the question's file (see load.merge_columns).
        return column, Article(title=column.title, url=url, kind="answer", **common), problems
    image, image_problems = _title_image(raw, source, place)
    return _column_of(raw, fallback), Article(
        title=text(raw.get("title")) or f"无标题文章 {post_id}",
        url=f"https://zhuanlan.zhihu.com/p/{post_id}",
        image=image,
        **common,
    ), problems + image_problems


def read_api(data: Any, source: str) -> Loaded:
    """The posts of an API file (one post, a list, a paging wrapper, captured responses): one column per column or
    question named, each holding its posts from this file."""
    posts = api_posts(data) or []
    fallback = fallback_column(source, len(posts), data)
    columns: dict[str, Column] = {}
    problems = []
    for index, raw in enumerate(posts):
        read = read_post(raw, source, f"data[{index}]" if len(posts) > 1 else "", fallback)
        if isinstance(read, Problem):
            problems.append(read)
            continue
        column, article, post_problems = read
        problems += post_problems
        column = columns.setdefault(column.slug, column)
        column.source = source
        column.articles.append(article)
    return Loaded(columns=list(columns.values()), problems=problems)


# Files a dump was saved in page by page (page1.json … page7.json, 2.json): their names are no column's.
_PAGE_FILE = re.compile(r"(?:page|part|p)?[-_]?\d+", re.I)


def fallback_column(name: str, posts: int, data: Any) -> Fallback:
    """Where posts that name no column go: the column the page's paging URLs name; else a file of one post
    or a page file joins its folder's column, and any other file is a column of its own."""
    column_id = paged_column(data)
    if column_id:
        return Fallback(safe_name(column_id), column_id, f"https://zhuanlan.zhihu.com/{column_id}")
    path = Path(name)
    folder = path.parent
    if (posts == 1 or _PAGE_FILE.fullmatch(path.stem)) and len(folder.parts) > 1:
        return Fallback(safe_name(folder.name), folder.name)
    return Fallback(safe_name(path.with_suffix("").name), path.with_suffix("").name)
