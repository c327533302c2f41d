"""The files an exporter writes beside a post's ``index.md``: ``info.json`` (its numbers) and ``comments.md``.

qtqz/zhihu-backup-collect saves each post as a folder: ``index.md``, the
post's ``info.json``, its comments as ``comments.md`` and ``assets/``.  The
loader reads every file on its own, so these are joined to their post after
loading: what they say fills in what the front matter left out, and they are
never notes or errors of their own (a format they do not have is skipped
quietly).  An ``info.json`` is read like any JSON (zhsite/load/jsontext.py):
a number out of range or a lone surrogate in it is reported at its place.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path, PurePosixPath

from zhsite.load.exports import EXPORT_TOOLS, moment
from zhsite.load.fields import count, read_author, read_topics, text
from zhsite.load.jsontext import parse_json
from zhsite.load.loaded import Loaded
from zhsite.load.markdown import markdown_parser, with_local_images
from zhsite.load.names import on_disk
from zhsite.load.sniff import UndecodableError, decode
from zhsite.model import Article, Comment
from zhsite.problems import Problem

COMPANIONS = ("info.json", "comments.md")
_ANY_TOOL = EXPORT_TOOLS[-1]  # the catch-all entry: the common spellings of each key


def companions_of(source: str) -> list[str]:
    """The companion files a post read from *source* may have (only an ``index.md`` has them)."""
    path = PurePosixPath(source)
    return [str(path.parent / name) for name in COMPANIONS] if path.name.lower() == "index.md" else []


def attach_companions(loaded: Loaded, root: Path) -> None:
    """Each post's ``info.json`` and ``comments.md`` joined to it; *root* is where sources are relative to.

    The companions themselves leave the notes and the problems, for every
    ``index.md`` beside them, a post or a note.
    """
    folder_pages = {*(a.source for c in loaded.columns for a in c.articles), *(n.source for n in loaded.notes)}
    beside = {name for source in folder_pages for name in companions_of(source)}
    if not beside:
        return
    loaded.notes[:] = [note for note in loaded.notes if note.source not in beside]
    loaded.problems[:] = [problem for problem in loaded.problems if problem.file not in beside]
    for column in loaded.columns:
        column.articles = [_with_companions(article, root, loaded.problems) if companions_of(article.source) else article
                           for article in column.articles]


def _read(path: Path) -> str:
    try:
        return decode(path.read_bytes())
    except (OSError, UndecodableError):
        return ""


def _with_companions(article: Article, root: Path, problems: list[Problem]) -> Article:
    info_name, comments_name = companions_of(article.source)
    info = _info(_read(on_disk(root, info_name)), info_name, problems)
    comments = read_comments_md(_read(on_disk(root, comments_name)), comments_name)
    tool = _ANY_TOOL
    return replace(
        article,
        upvotes=article.upvotes or count(_pick(info, tool.upvotes)),
        topics=article.topics or read_topics(_pick(info, tool.topics)),
        published=article.published or moment(_pick(info, tool.created)),
        updated=article.updated or moment(_pick(info, tool.updated)),
        author=read_author(_pick(info, tool.author)) if article.author.name == "知乎用户" and _pick(info, tool.author) else article.author,
        comments=article.comments or comments,
    )


def _pick(info: dict, keys: tuple[str, ...]) -> object:
    return next((info[k] for k in keys if info.get(k) is not None), None)


def _info(written: str, source: str, problems: list[Problem]) -> dict:
    """The post's numbers, an empty dict when the file is not a JSON object; what is odd in a JSON one goes to *problems*."""
    data, found = parse_json(written, source) if written.strip() else ({}, [])
    if data is None:  # not JSON: another tool's file of that name, skipped quietly
        return {}
    problems.extend(found)
    return data if isinstance(data, dict) else {}


# qtqz writes each comment as a heading (`### 作者 › 被回复者`), its text, then `时间 地点 N 赞`;
# replies are the same quoted (`> #### …`).
_HEADING = re.compile(r"^#{3,4} (?P<author>.+?)(?: › (?P<reply_to>.+))?$")
# The count is found from the end, where its digits start: "^(.*?)\s*(\d+) 赞$" matched a line of
# spaces or digits again from every character.
_FOOTER = re.compile(r"(?<!\d)(?P<likes>\d+) 赞$")


def read_comments_md(written: str, source: str) -> list[Comment]:
    """The threaded comments of a ``comments.md``; text in another form gives none."""
    comments: list[Comment] = []
    lines: list[str] = []
    current: tuple[int, str, str] | None = None  # (depth, author, reply_to)

    def close() -> None:
        if current is None:
            return
        depth, author, reply_to = current
        footer = next((_FOOTER.search(line) for line in reversed(lines) if line.strip()), None)
        body = lines[: max(i for i, line in enumerate(lines) if line.strip())] if footer else lines
        comment = Comment(
            author=read_author(author),
            content=_html("\n".join(body).strip(), source),
            likes=count(footer["likes"]) if footer else 0,
            reply_to=reply_to,
            date=moment(footer.string[: footer.start()].strip()) if footer else "",
        )
        if depth and comments:
            comments[-1].replies.append(comment)
        else:
            comments.append(comment)

    for raw in written.split("\n"):
        quoted = re.match(r"^((?:> ?)*)(.*)$", raw)
        depth, line = quoted[1].count(">"), quoted[2]
        heading = _HEADING.match(line)
        if heading:
            close()
            current, lines = (depth, text(heading["author"]), text(heading["reply_to"] or "")), []
        elif current is not None:
            lines.append(line)
    close()
    return comments


def _html(markdown: str, source: str) -> str:
    md = markdown_parser()
    env: dict = {}
    return md.renderer.render(with_local_images(md.parse(markdown, env), source), md.options, env)
