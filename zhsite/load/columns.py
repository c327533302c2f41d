"""Column dumps (``{title, description, followers, url, article: [...]}``) → Column.

The reader is lenient about shape: missing keys get defaults, unknown keys are
ignored, and one broken article is reported and skipped so the rest of the
column still builds.  The seed crawler writes no dates; a dump that has them
(``created``/``updated`` as the API names them, in seconds, milliseconds or
as text) keeps them.
"""
from __future__ import annotations

from typing import Any

from zhsite.load.exports import file_slug
from zhsite.load.fields import (
    NOT_HTML,
    article_id_in,
    count,
    ident,
    is_safe_link,
    read_author,
    read_comments,
    read_time,
    read_topics,
    safe_link,
    text,
)
from zhsite.load.loaded import Loaded
from zhsite.model import Article, Column, articles_newest_first
from zhsite.problems import Problem
from zhsite.slug import safe_name

NOT_AN_OBJECT = "expected an object"
NO_ARTICLE_ID = "no article id"
CONTENT_MISSING = "content is missing (null); the page has the title, comments and source link only"


def is_column(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("article", data.get("articles")), list)


def read_article(raw: Any, source: str, index: int) -> tuple[Article | None, list[Problem]]:
    """The article, or None when it cannot be read; an article that lost its text is still kept.

    A crawler that failed on one article often writes ``"content": null``: the
    page keeps its title, comments and link to the original, with a warning.
    """
    where = f"article[{index}]"
    if not isinstance(raw, dict):
        return None, [Problem(source, where, NOT_AN_OBJECT, f"got {type(raw).__name__}")]
    url = text(raw.get("url"))
    article_id = (article_id_in(url) if is_safe_link(url) else "") or ident(raw.get("id"))
    url, problems = safe_link(url, source, f"{where} (id {article_id}) url" if article_id else f"{where} url")
    if not article_id:
        return None, [*problems, Problem(source, where, NO_ARTICLE_ID, "neither a url with /p/<id> nor an id")]
    here = f"{where} (id {article_id})"
    content = raw.get("content")
    if content is None:
        content = ""
        problems.append(Problem(source, here, CONTENT_MISSING, severity="warning"))
    elif not isinstance(content, str):
        return None, [*problems, Problem(source, here, NOT_HTML, f"got {type(content).__name__}")]
    comments, comment_problems = read_comments(raw.get("comments"), source, here)
    return Article(
        id=article_id,
        title=text(raw.get("title")) or f"无标题文章 {article_id}",
        author=read_author(raw.get("userName"), raw.get("userLink")),
        content=content,
        url=url or f"https://zhuanlan.zhihu.com/p/{article_id}",
        upvotes=count(raw.get("upvote", raw.get("voteup_count"))),
        published=read_time(raw, ("created", "created_time", "published", "published_at", "created_at"), source, here, problems),
        updated=read_time(raw, ("updated", "updated_time", "updated_at", "modified"), source, here, problems),
        topics=read_topics(raw.get("topic", raw.get("topics"))),
        comments=comments,
        source=source,
    ), problems + comment_problems


def read_column(data: dict, source: str) -> Loaded:
    """A column dump: the column, its articles and their comments; a broken article is a problem, the rest is read."""
    fallback_slug = file_slug(source)
    url, problems = safe_link(data.get("url"), source, "url")
    slug = url.rstrip("/").rsplit("/", 1)[-1] if "zhihu.com/" in url else fallback_slug
    column = Column(
        slug=safe_name(slug),
        title=text(data.get("title")) or fallback_slug,
        description=text(data.get("description")),
        url=url,
        followers=count(data.get("followers")),
        source=source,
    )
    for index, raw in enumerate(data.get("article", data.get("articles"))):
        article, article_problems = read_article(raw, source, index)
        problems += article_problems
        if article is not None:
            column.articles.append(article)
    column.articles = articles_newest_first(column.articles)
    return Loaded(columns=[column], problems=problems)
