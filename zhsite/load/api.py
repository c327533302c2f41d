"""Zhihu API v4 articles and answers (and exporters' camelCase copies) → columns.

A file holds one object, a list of them or a paging wrapper
``{"data": [...], "paging": {...}}``.  Articles go to the column they name
(``column: {id, title}``), else to *fallback* (the file or its folder); the
answers to one question form one "column" whose page is the question.  The
loader merges columns of the same slug across files, so a folder of
one-article files becomes one column.  ``rawHtml`` (the whole rendered page
some exporters add) is never read: ``content`` is the post.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhsite.load.fields import article_id_in, count, ident, items, pick, read_author, read_comments, read_topics, safe_link, text, timestamp
from zhsite.model import Article, Column
from zhsite.problems import Problem
from zhsite.slug import safe_name



@dataclass(frozen=True)
class Fallback:
    """The column for articles that name none: the file's or the folder's."""

    slug: str
    title: str


def _is_post(data: Any) -> bool:
    """An answer names its question; an article has a title (comments, with content too, have neither)."""
    if not isinstance(data, dict):
        return False
    return isinstance(data.get("question"), dict) or (
        isinstance(data.get("content"), str) and ("title" in data or data.get("type") in ("article", "answer"))
    )


def api_posts(data: Any) -> list | None:
    """The posts in *data* if it has an API shape: one post, a list of posts or a paging wrapper."""
    if _is_post(data):
        return [data]
    if isinstance(data, list) or (isinstance(data, dict) and isinstance(data.get("data"), list)):
        posts = items(data)
        return posts if any(_is_post(p) for p in posts) else None
    return None


def _column_of(raw: dict, fallback: Fallback) -> Column:
    column = raw.get("column")
    column_id = ident(column.get("id")) if isinstance(column, dict) else ""
    if not column_id:
        return Column(slug=fallback.slug, title=fallback.title)
    return Column(
        slug=safe_name(column_id),
        title=text(column.get("title")) or column_id,
        description=text(column.get("description")),
        url=f"https://zhuanlan.zhihu.com/{column_id}",
    )


def _question_of(question: dict, fallback: Fallback) -> Column:
    question_id = ident(question.get("id"))
    if not question_id:
        return Column(slug=fallback.slug, title=text(question.get("title")) or fallback.title, kind="question")
    return Column(
        slug=f"question-{safe_name(question_id)}",
        title=text(question.get("title")) or f"问题 {question_id}",
        url=f"https://www.zhihu.com/question/{question_id}",
        kind="question",
    )


def _title_image(raw: dict, source: str, place: str) -> tuple[str, list[Problem]]:
    """The title image when it is a web URL (the image phase fetches it); an unsafe link is also reported."""
    url, problems = safe_link(pick(raw, "image_url", "title_image"), source, f"{place} image_url")
    return (url if url.startswith(("https://", "http://")) else ""), problems


def read_post(raw: Any, source: str, where: str, fallback: Fallback) -> tuple[Column, Article, list[Problem]] | Problem:
    """One article or answer, the column (or question) it belongs to, and warnings about its fields."""
    if not isinstance(raw, dict):
        return Problem(source, where, f"expected an article or answer object, got {type(raw).__name__}")
    question = raw.get("question")
    is_answer = isinstance(question, dict) or raw.get("type") == "answer"
    post_id = ident(raw.get("id")) or ("" if is_answer else article_id_in(text(raw.get("url"))))
    if not post_id:
        return Problem(source, where, "no id: an API article or answer needs 'id'")
    place = f"{where} (id {post_id})" if where else f"id {post_id}"
    content = raw.get("content")
    if not isinstance(content, str):
        return Problem(source, place, f"content must be HTML text, got {type(content).__name__}")
    common = {
        "id": post_id,
        "author": read_author(raw.get("author")),
        "content": content,
        "upvotes": count(pick(raw, "voteup_count")),
        "topics": read_topics(raw.get("topics")),
        "comments": read_comments(raw.get("comments")),
        "source": source,
        "published": timestamp(pick(raw, "created", "created_time")),
        "updated": timestamp(pick(raw, "updated", "updated_time")),
    }
    if is_answer:
        question = question if isinstance(question, dict) else {}
        column = _question_of(question, fallback)
        url = f"{column.url}/answer/{post_id}" if column.url else f"https://www.zhihu.com/answer/{post_id}"
        title = text(question.get("title")) or f"回答 {post_id}"
        return column, Article(title=title, url=url, kind="answer", **common), []
    image, problems = _title_image(raw, source, place)
    return _column_of(raw, fallback), Article(
        title=text(raw.get("title")) or f"无标题文章 {post_id}",
        url=f"https://zhuanlan.zhihu.com/p/{post_id}",
        image=image,
        **common,
    ), problems


def read_api_posts(posts: list, source: str, fallback: Fallback) -> tuple[list[Column], list[Problem]]:
    """One column per column or question named, each holding its posts from this file."""
    columns: dict[str, Column] = {}
    problems = []
    for index, raw in enumerate(posts):
        read = read_post(raw, source, f"data[{index}]" if len(posts) > 1 else "", fallback)
        if isinstance(read, Problem):
            problems.append(read)
            continue
        column, article, warnings = read
        problems += warnings
        column = columns.setdefault(column.slug, column)
        column.source = source
        column.articles.append(article)
    return list(columns.values()), problems
