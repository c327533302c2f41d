"""Reading one JSON field leniently, whichever archive shape it comes from.

Column dumps, Zhihu's API v4 and the exporters that copy it name the same
things differently (``voteup_count``/``voteupCount``, an author as a name plus
a link or as an object, a date as unix seconds or as ``"2020-01-03 03:24"``).
These readers turn any of those spellings into the model's one form and turn
a value of the wrong type into a default, so a strange field never stops a
build.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Iterator
from typing import Any

from zhsite.model import Author, Comment, Topic
from zhsite.problems import Problem

_ARTICLE_ID = re.compile(r"/p/(\d+)")
_PEOPLE_ID = re.compile(r"/people/([^/?#]+)")
_TOPIC_ID = re.compile(r"/topics?/(\d+)")
# What no text shows: zero widths, and the control characters but tab, newline and return (crawled titles hold
# a backspace, a bell, an ANSI colour code's ESC, NUL; a page showed them as boxes or U+FFFD).
UNSHOWN_CHARACTERS = "\u200b\u200c\u200d\u2060\ufeff" + "".join(map(chr, [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f]))
UNSHOWN = dict.fromkeys(map(ord, UNSHOWN_CHARACTERS))
# Exporters print Zhihu's own clock, China Standard Time, when a date has no zone.
ZHIHU_TIME = dt.timezone(dt.timedelta(hours=8))
# A lone UTF-16 surrogate (from a "\ud800" escape) is a str Python cannot encode: no page could hold it.
SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(value: str) -> str:
    return SURROGATE.sub("\ufffd", value)


# What Zhihu adds to a page's <title>: "(2 封私信 / 5 条消息) " before, " - 知乎" after; savers and clippers name posts by it.
_TITLE_NOISE = re.compile(r"^\([^()]{0,40}(?:条消息|封私信)\)\s*|\s*[-–—|]\s*知乎(?:专栏)?\s*$")


def post_title(page_title: str) -> str:
    """A Zhihu post's title from its page's title, without what Zhihu adds around it."""
    return _TITLE_NOISE.sub("", " ".join(page_title.split()))


def text(value: Any) -> str:
    return value.translate(UNSHOWN).strip() if isinstance(value, str) else ""


# The schemes a link from archive data may have; anything else (javascript:, data:, vbscript:) could run script.
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.I)
# What browsers ignore in a URL before reading its scheme (tabs, newlines, other controls) or we remove (zero widths).
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f\u200b-\u200d\u2060\ufeff]")
UNSAFE_LINK = "link dropped, only http, https, mailto and relative links are kept"
NOT_HTML = "content must be HTML text"
SURROGATE_TEXT = "text holds a lone UTF-16 surrogate; replaced with U+FFFD"
DEEP_COMMENTS = "comments nested too deep"


def link_scheme(url: str) -> str:
    """The scheme a browser would see in *url* (lowercase), "" for a relative link.

    Read as a browser reads an attribute: entities decoded, and tabs, newlines
    and other control characters ignored, so ``java&#x09;script:``,
    ``<tab>javascript:`` and ``&#106;avascript:`` are all ``javascript``.
    """
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", html.unescape(url)))
    return match.group(1).lower() if match else ""


def safe_link(value: Any, source: str, where: str) -> tuple[str, list[Problem]]:
    """A URL from archive data that a page may link or show: http, https, mailto or relative; else "" and a warning.

    Every loader passes each URL it keeps through here (an article's source
    link, a column's, a title image), so a ``javascript:`` URL in any field
    never becomes a link a reader can click.
    """
    url = text(value)
    if is_safe_link(url):
        return url, []
    return "", [Problem(source, where, UNSAFE_LINK, repr(url[:80]), severity="warning")]


def is_safe_link(url: str) -> bool:
    return link_scheme(url) in ("", *SAFE_SCHEMES)


def web_address(value: Any) -> str:
    """*value* when it is a web page's address (``https://…``, ``http://…``), else "": where a note was clipped from,
    shown as its 来源 (a clipper's other values, ``joplin-desktop``, ``desktop.mac``, say nothing of the page)."""
    url = text(value)
    return url if link_scheme(url) in ("http", "https") and not any(c.isspace() for c in url) else ""


def article_id_in(url: str) -> str:
    """The id in a Zhihu article URL (``…/p/<id>``), or ``""``."""
    match = _ARTICLE_ID.search(url)
    return match.group(1) if match else ""


def ident(value: Any) -> str:
    """An id that may be a JSON number or a string."""
    if isinstance(value, bool):
        return ""
    return str(value) if isinstance(value, int) else text(value)


def count(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, (int, float)) and math.isfinite(value):
        return max(int(value), 0)
    if isinstance(value, list):
        return len(value)
    return _digits(value) or 0


# Counts and unix times as text: ASCII digits only ("²".isdigit() is true, and int("²") raises),
# and few enough that int() never meets Python's limit on long numbers.
_DIGITS = re.compile(r"\s*([0-9]{1,30})\s*")


def _digits(value: Any) -> int | None:
    match = _DIGITS.fullmatch(value) if isinstance(value, str) else None
    return int(match[1]) if match else None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def pick(raw: dict, *names: str) -> Any:
    """The first of *names* present (each also in camelCase: ``voteup_count`` → ``voteupCount``)."""
    for name in names:
        for key in (name, _camel(name)):
            if raw.get(key) is not None:
                return raw[key]
    return None


def items(value: Any) -> list:
    """A list as given, or the list in a wrapper: ``{"data": [...], "paging": {...}}`` (API), ``{"meta": …, "items": [...]}``."""
    if isinstance(value, dict):
        value = value.get("data") if "data" in value else value.get("items")
    return value if isinstance(value, list) else []


# Unix times in milliseconds, as JavaScript writes them (``Date.now()``: a browser extension's export): a number
# past this, the year 5138 in seconds, is one.
_MILLISECONDS = 10**11


def timestamp(value: Any) -> str:
    """A UTC ISO 8601 time (``2020-01-02T19:24:00Z``) from unix seconds or milliseconds or a date string; ``""`` if
    none of those."""
    value = _digits(value) or value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        value = value / 1000 if value >= _MILLISECONDS else value
        try:
            moment = dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, OSError, ValueError):
            return ""
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return ""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZHIHU_TIME)
    else:
        return ""
    try:  # "0001-01-01" in China is still year 0 in UTC
        moment = moment.astimezone(dt.UTC)
    except OverflowError:
        return ""
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


UNREAD_TIME = "time not read"


def beijing_time(value: Any) -> str:
    """The time *value* names (what :func:`timestamp` reads, or a ``datetime``, UTC's when it names no zone) as a note's
    date shows it, in Beijing time as pages show Zhihu's: ``2020-01-01T08:00``; ``""`` for none."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    else:
        utc = timestamp(value)
        if not utc:
            return ""
        moment = dt.datetime.fromisoformat(utc.removesuffix("Z")).replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(ZHIHU_TIME).strftime("%Y-%m-%dT%H:%M")
    except (OverflowError, ValueError):
        return ""


def read_time(raw: dict, names: tuple[str, ...], source: str, where: str, problems: list[Problem]) -> str:
    """The time under the first of *names* in *raw* (:func:`timestamp`); one given that is no time (``-5``, ``"昨天"``)
    is a warning in *problems*, never a page silently undated.  ``0`` and ``""`` are a crawler's "unknown"."""
    value = pick(raw, *names)
    found = timestamp(value)
    if not found and value not in (None, 0, "") and not isinstance(value, bool):
        problems.append(Problem(source, where, UNREAD_TIME, f"{names[0]} = {str(value)[:40]!r}: neither a unix time nor a date",
                                severity="warning"))
    return found


def read_author(raw: Any, link: Any = None) -> Author:
    """A name plus a profile link (column dumps), or an object: ``{name, url_token|url}``, ``{member: {...}}``."""
    if isinstance(raw, dict):
        person = raw["member"] if isinstance(raw.get("member"), dict) else raw
        name, token, link = person.get("name"), text(pick(person, "url_token")), person.get("url")
    else:
        name, token = raw, ""
    match = _PEOPLE_ID.search(text(link))
    author_id = token or (match.group(1) if match else "")
    if author_id == "0":  # Zhihu's anonymous user
        author_id = ""
    url = f"https://www.zhihu.com/people/{author_id}" if author_id else ""
    return Author(name=text(name) or "知乎用户", id=author_id, url=url)


def read_topics(raw: Any) -> list[Topic]:
    """``[{tag, tagLink}]`` (column dumps), ``[{id, name}]`` (API) or plain names."""
    topics: list[Topic] = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, str):
            name, topic_id = text(item), ""
        elif isinstance(item, dict):
            name = text(item.get("tag") or item.get("name"))
            match = _TOPIC_ID.search(text(item.get("tagLink") or item.get("url")))
            topic_id = match.group(1) if match else ident(item.get("id"))
        else:
            continue
        if name and all(t.name != name for t in topics):
            topics.append(Topic(name=name, id=topic_id))
    return topics


def _reply_to(raw: Any) -> str:
    return read_author(raw).name if isinstance(raw, dict) else text(raw)


# Zhihu threads are two levels deep; deeper replies are drawn at this level, in order,
# so that pickling the cache and drawing the page never recurse without bound.
MAX_REPLY_DEPTH = 64


def read_comments(raw: Any, source: str, where: str) -> tuple[list[Comment], list[Problem]]:
    """Threaded comments as column dumps (``childComments``) or the API (``child_comments``) write them."""
    comments, deepest = _comments(raw, 1)
    if deepest <= MAX_REPLY_DEPTH:
        return comments, []
    detail = f"{deepest} deep; replies below level {MAX_REPLY_DEPTH} are shown at level {MAX_REPLY_DEPTH}"
    return comments, [Problem(source, where, DEEP_COMMENTS, detail, severity="warning")]


def _comments(raw: Any, depth: int) -> tuple[list[Comment], int]:
    """The comments at *depth* and the deepest level found; at the limit, every reply below joins them."""
    comments, deepest = [], depth - 1
    for item, level in _replies_flat(raw, depth) if depth == MAX_REPLY_DEPTH else ((item, depth) for item in items(raw)):
        if not isinstance(item, dict):
            continue
        replies, below = _comments(pick(item, "child_comments"), depth + 1) if depth < MAX_REPLY_DEPTH else ([], level)
        deepest = max(deepest, level, below)
        comments.append(
            Comment(
                author=read_author(item.get("author") or item.get("userName"), item.get("userLink")),
                content=text(item.get("content")),
                likes=count(pick(item, "likes", "like_count", "vote_count")),
                reply_to=_reply_to(pick(item, "reply_to_author")),
                replies=replies,
                date=timestamp(pick(item, "created_time", "created")),
            )
        )
    return _once(comments), deepest


def _once(comments: list[Comment]) -> list[Comment]:
    """A comment a crawl saved twice (same author, text, reply and time; once with its replies, once without) shown once, with both's replies."""
    kept: dict[tuple, Comment] = {}
    for comment in comments:
        key = (comment.author, comment.content, comment.reply_to, comment.date)
        first = kept.setdefault(key, comment)
        if first is not comment:
            first.replies = _once(first.replies + comment.replies)
    return list(kept.values())


def _replies_flat(raw: Any, depth: int) -> Iterator[tuple[Any, int]]:
    """Each comment of *raw* and every reply below it, in reading order, with its level: a walk, not recursion."""
    stack = [(item, depth) for item in reversed(items(raw))]
    while stack:
        item, level = stack.pop()
        yield item, level
        if isinstance(item, dict):
            stack += [(reply, level + 1) for reply in reversed(items(pick(item, "child_comments")))]
