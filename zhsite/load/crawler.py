"""The files a crawler writes beside its posts: a question's ``meta.json``, author profiles, its own state.

A crawler that saves one file per answer (``questions/<qid>/answers/<aid>.json``
with ``questionId``) keeps the question once, in ``questions/<qid>/meta.json``:
that file becomes the question's page, with its text and Zhihu's counts.
Profiles (``authors/<id>.json``) fill in the author pages.  What it keeps to
resume a crawl (``topics/<id>.json``, captured responses without posts) holds
no post and is skipped.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from zhsite.load.fields import count, ident, pick, read_topics, text
from zhsite.load.loaded import Loaded
from zhsite.model import Column, Profile
from zhsite.problems import Problem
from zhsite.slug import safe_name

_QUESTION_ID = re.compile(r"/questions?/(\d+)")
_PEOPLE_ID = re.compile(r"/people/([^/?#]+)")
# Keys only an archive has at its top: such a file that holds no post is an archive zhsite cannot read, not crawl state.
NO_QUESTION_ID = "a question without an id"
_ARCHIVE_KEYS = ("data", "paging", "article", "articles", "items")


def is_question(data: Any) -> bool:
    """A question without answers in it: a title and what Zhihu says of the question, no content."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("title"), str)
        and "content" not in data
        and any(pick(data, name) is not None for name in ("detail", "follower_count", "answer_count"))
    )


def read_question(data: dict, source: str) -> Loaded:
    """The question's page: its title, detail, topics and Zhihu's counts; its answers join it from their own files."""
    question_id = ident(pick(data, "id", "question_id"))
    if not question_id:
        match = _QUESTION_ID.search(text(data.get("url")))
        folder = Path(source).parent.name
        question_id = match.group(1) if match else folder if folder.isdigit() else ""
    if not question_id:
        return Loaded(problems=[Problem(source, "", NO_QUESTION_ID, "neither 'id', a …/question/<id> url nor a questions/<id>/ folder")])
    return Loaded(columns=[Column(
        slug=safe_name(question_id),
        title=text(data.get("title")),
        url=f"https://www.zhihu.com/question/{question_id}",
        followers=count(pick(data, "follower_count")),
        kind="question",
        detail=text(data.get("detail")),
        answer_count=count(pick(data, "answer_count")),
        topics=read_topics(data.get("topics")),
        source=source,
    )])


def is_profile(data: Any) -> bool:
    """A person: a name and what a profile has (headline, avatar, url_token), no post."""
    return (
        isinstance(data, dict)
        and data.get("type", "people") == "people"
        and "content" not in data
        and isinstance(data.get("name"), str)
        and any(pick(data, name) is not None for name in ("headline", "avatar_url", "url_token"))
    )


def read_profile(data: dict, source: str) -> Loaded:
    """An author's profile: what fills in their page."""
    match = _PEOPLE_ID.search(text(data.get("url")))
    ids = (text(pick(data, "url_token")), ident(data.get("id")), match.group(1) if match else "", Path(source).stem)
    avatar = text(pick(data, "avatar_url"))
    return Loaded(profiles=[Profile(
        ids=tuple(dict.fromkeys(i for i in ids if i)),
        name=text(data.get("name")),
        headline=text(data.get("headline")),
        avatar=avatar if avatar.startswith("https://") else "",
    )])


def is_crawl_state(data: Any) -> bool:
    """A JSON object or array that holds no post anywhere, and is not an archive's wrapper: what a crawler keeps for
    itself.  A lone ``null``, number or string is no state: a file of no shape zhsite reads."""
    if not isinstance(data, dict | list) or isinstance(data, dict) and any(key in data for key in _ARCHIVE_KEYS):
        return False
    return not _holds_text(data, 0)


def _holds_text(value: Any, depth: int) -> bool:
    """Whether a post-like ``content`` text is anywhere in *value* (deep JSON counts as holding one)."""
    if depth > 20:
        return True
    if isinstance(value, dict):
        return isinstance(value.get("content"), str) or any(_holds_text(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_holds_text(v, depth + 1) for v in value)
    return False
