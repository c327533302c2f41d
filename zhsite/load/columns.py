"""Column dumps (``{title, description, followers, url, article: [...]}``) → Column.

The reader is lenient about shape: missing keys get defaults, unknown keys are
ignored, and one broken article is reported and skipped so the rest of the
column still builds.
"""
from __future__ import annotations

import re
from typing import Any

from zhsite.model import Article, Author, Column, Comment, Topic
from zhsite.problems import Problem
from zhsite.slug import safe_name

_ARTICLE_ID = re.compile(r"/p/(\d+)")
_PEOPLE_ID = re.compile(r"/people/([^/?#]+)")
_TOPIC_ID = re.compile(r"/topics?/(\d+)")


def is_column(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("article", data.get("articles")), list)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _count(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, (int, float)):
        return max(int(value), 0)
    if isinstance(value, list):
        return len(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return 0


def read_author(name: Any, link: Any) -> Author:
    link = _text(link)
    match = _PEOPLE_ID.search(link)
    author_id = match.group(1) if match else ""
    if author_id == "0":  # Zhihu's anonymous user
        author_id = ""
    return Author(name=_text(name) or "知乎用户", id=author_id, url=link if author_id else "")


def read_topics(raw: Any) -> list[Topic]:
    topics: list[Topic] = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, str):
            name, topic_id = item, ""
        elif isinstance(item, dict):
            name = _text(item.get("tag") or item.get("name"))
            match = _TOPIC_ID.search(_text(item.get("tagLink") or item.get("url")))
            topic_id = match.group(1) if match else _text(str(item.get("id") or ""))
        else:
            continue
        if name.strip() and all(t.name != name.strip() for t in topics):
            topics.append(Topic(name=name.strip(), id=topic_id))
    return topics


def read_comments(raw: Any) -> list[Comment]:
    comments = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        comments.append(
            Comment(
                author=read_author(item.get("userName") or item.get("author"), item.get("userLink")),
                content=_text(item.get("content")),
                likes=_count(item.get("likes", item.get("like_count"))),
                reply_to=_text(item.get("replyToAuthor")),
                replies=read_comments(item.get("childComments", item.get("child_comments"))),
            )
        )
    return comments


def read_article(raw: Any, source: str, index: int) -> Article | Problem:
    where = f"article[{index}]"
    if not isinstance(raw, dict):
        return Problem(source, where, f"expected an object, got {type(raw).__name__}")
    url = _text(raw.get("url"))
    match = _ARTICLE_ID.search(url)
    article_id = match.group(1) if match else _text(str(raw.get("id") or ""))
    if not article_id:
        return Problem(source, where, "no article id: neither a url with /p/<id> nor an id")
    content = raw.get("content")
    if not isinstance(content, str):
        return Problem(source, f"{where} (id {article_id})", f"content must be HTML text, got {type(content).__name__}")
    return Article(
        id=article_id,
        title=_text(raw.get("title")) or f"无标题文章 {article_id}",
        author=read_author(raw.get("userName"), raw.get("userLink")),
        content=content,
        url=url or f"https://zhuanlan.zhihu.com/p/{article_id}",
        upvotes=_count(raw.get("upvote", raw.get("voteup_count"))),
        topics=read_topics(raw.get("topic", raw.get("topics"))),
        comments=read_comments(raw.get("comments")),
        source=source,
    )


def read_column(data: dict, source: str, fallback_slug: str) -> tuple[Column, list[Problem]]:
    url = _text(data.get("url"))
    slug = url.rstrip("/").rsplit("/", 1)[-1] if "zhihu.com/" in url else fallback_slug
    column = Column(
        slug=safe_name(slug),
        title=_text(data.get("title")) or fallback_slug,
        description=_text(data.get("description")),
        url=url,
        followers=_count(data.get("followers")),
        source=source,
    )
    problems = []
    for index, raw in enumerate(data.get("article", data.get("articles"))):
        article = read_article(raw, source, index)
        if isinstance(article, Problem):
            problems.append(article)
        else:
            column.articles.append(article)
    # Zhihu ids grow with time and archives have no dates: newest first.
    column.articles.sort(key=lambda a: (-int(a.id) if a.id.isdigit() else 0, a.id))
    return column, problems
