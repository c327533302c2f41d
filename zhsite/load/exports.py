"""Markdown exports of Zhihu posts → articles and answers, read through one table of export tools.

Users archive Zhihu with exporters that write one Markdown file per post and
say what it was in front matter (``url``, ``source``, ``zhihu-link`` …) or in
header lines under the title (``**Author:**``, ``**Link:**``).  Each tool is
one :class:`ExportTool` entry: the keys that recognise it, which of its keys
mean what, and a minimal example (docs/archives.md's table is this table).  A file
recognised by no tool stays a note, as before.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from zhsite.load.fields import ZHIHU_TIME, article_id_in, count, ident, read_author, read_topics, text, timestamp, web_address
from zhsite.load.frontmatter import normalise_date
from zhsite.model import Article, Author, Column, Topic
from zhsite.slug import safe_name

SIMPREAD = "SimpRead"  # the key SimpRead's notice line gives its original address under (take_header_lines)
EXCERPT = "Excerpt"  # the key MarkDownload's excerpt block under the title is noted by (take_header_lines)


@dataclass(frozen=True)
class ExportTool:
    """One exporter: how its files are recognised and which of its keys mean what.

    *signs* are keys the tool writes and others do not; all of them present
    name the tool, and so does any one of them with a Zhihu post URL in a key
    of *link*.  With no signs, that URL is the only sign.  Header lines (``**Link:** …``) count as keys named by
    their label (``Link``).
    """

    name: str
    example: str
    signs: tuple[str, ...]
    link: tuple[str, ...] = ("url", "source")
    title: tuple[str, ...] = ("title",)
    author: tuple[str, ...] = ("author",)
    created: tuple[str, ...] = ("created",)
    updated: tuple[str, ...] = ("updated", "modified")
    column: tuple[str, ...] = ("column",)
    topics: tuple[str, ...] = ("topics", "tags")
    upvotes: tuple[str, ...] = ()
    kind: tuple[str, ...] = ("type",)  # "zhihu-answer" / "answer" makes an answer; else the link decides
    every_files_tags: tuple[str, ...] = ()  # tags the tool puts on every file it writes, which say nothing of the post


# Exporters that write each answer as a small HTML file: zhsite/load/htmlfile.py reads them with this entry (a row of the table too).
HTML_EXPORT = ExportTool(
    name="one-post HTML pages",
    example="`<meta name=\"referrer\" content=\"no-referrer\" />` / `<h1>标题</h1>` / `<p>回答…</p>` / "
    "`Author: 作者` / `Link: https://www.zhihu.com/question/1/answer/2` / `Time: 2024-01-05 10:00` / `Upvotes: 7`",
    signs=("Time", "Upvotes"),
    link=("Link", "URL", "Source"),
    author=("Author",),
    created=("Time", "Created", "Date"),
    updated=("Updated", "Edited"),
    column=("Column",),
    topics=("Topics", "Tags"),
    upvotes=("Upvotes", "Votes", "Likes"),
)


EXPORT_TOOLS: tuple[ExportTool, ...] = (
    ExportTool(
        name="chenluda/zhihu-download",
        example="`(20240105)标题_作者.md`: `# 标题` / `**Author:** [作者](https://www.zhihu.com/people/zuozhe)` / "
        "`**Link:** [https://zhuanlan.zhihu.com/p/123]`, images in the sibling folder `(20240105)标题_作者/v2-<hash>_1440w.jpg`",
        signs=("Author", "Link"),
        link=("Link",),
        author=("Author",),
        created=(),
        updated=(),
    ),
    ExportTool(
        name="chouheiwa/download-zhihu",
        example="`---` / `id: 123` / `title: 标题` / `author: 作者` / `type: zhihu-article` / "
        "`source: https://zhuanlan.zhihu.com/p/123` / `created: 2024-01-05 10:00` / `updated: …` / `column: 专栏名` / `---`",
        signs=("type", "source"),
        link=("source", "url"),
    ),
    ExportTool(
        name="qtqz/zhihu-backup-collect",
        example="`标题_作者_2024-01-05/index.md` + `info.json` + `comments.md` + `assets/`; front matter "
        "`title`, `url: https://www.zhihu.com/question/1/answer/2`, `author`, `created`, `modified`, `upvote_num`, `comment_num`",
        signs=("url", "upvote_num"),
        upvotes=("upvote_num",),
    ),
    ExportTool(
        name="zimya/zhihu_obsidian",
        example="`---` / `zhihu-title: 标题` / `zhihu-topics: [机器学习]` / `zhihu-link: https://zhuanlan.zhihu.com/p/123` / "
        "`zhihu-created-at: 2024-01-05` / `---`, images as `![[image.png]]`",
        signs=("zhihu-link",),
        link=("zhihu-link",),
        title=("zhihu-title", "title"),
        created=("zhihu-created-at",),
        updated=("zhihu-updated-at",),
        topics=("zhihu-topics", "tags"),
    ),
    ExportTool(
        name="Celestopia/zhihu-archive-kit",
        example="`article-123/index.md` + `assets/`; front matter `title`, `url: https://zhuanlan.zhihu.com/p/123`, "
        "`author`, `time_created`, `upvote_count`",
        signs=("url", "time_created"),
        created=("time_created",),
        updated=("time_updated",),
        upvotes=("upvote_count",),
    ),
    HTML_EXPORT,
    ExportTool(
        name="简悦 SimpRead",
        example="`语言模型 - 知乎.md`: `> 本文由 [简悦 SimpRead](http://ksria.com/simpread/) 转码， 原文地址 "
        "[zhuanlan.zhihu.com](https://zhuanlan.zhihu.com/p/123)` / the text, titled by the file name; a formula "
        "written twice (`$V$V`) is shown once",
        signs=(),
        link=(SIMPREAD,),
        author=("作者",),
        created=(),
        updated=(),
    ),
    ExportTool(
        name="MarkDownload",
        example="`---` / `created: 2024-03-05T21:14:09 (UTC +08:00)` / `tags: [深度学习]` / `source: https://zhuanlan.zhihu.com/p/123` / "
        "`author: 作者` / `---` / `# 标题 - 知乎` / `> ## Excerpt` / `> 摘要` / `---` / the text",
        signs=(EXCERPT, "source"),
        link=("source",),
        created=(),
        updated=(),
    ),
    ExportTool(
        name="Obsidian Web Clipper",
        example="`Clippings/标题.md`: `---` / `title: \"标题\"` / `source: \"https://zhuanlan.zhihu.com/p/123\"` / "
        "`author: [\"[[作者]]\"]` / `published: 2019-08-29` / `created: 2025-03-01` / `tags: [\"clippings\"]` / `---`",
        signs=("source", "published"),
        link=("source",),
        created=("published",),
        updated=(),
        every_files_tags=("clippings",),
    ),
    ExportTool(
        name="any other front matter with a Zhihu link",
        example="`---` / `title: 标题` / `url: https://zhuanlan.zhihu.com/p/123` / `date: 2024-01-05` / `---`",
        signs=(),
        link=("url", "source", "link", "zhihu-link", "original"),
        created=("created", "date", "time_created", "published"),
        upvotes=("upvotes", "voteup_count", "upvote_count", "upvote_num"),
    ),
)

# The header lines chenluda/zhihu-download writes under the title: `**Author:** [name](url)`; the notice 简悦 SimpRead
# writes above the text (`> 本文由 [简悦 SimpRead](…) 转码， 原文地址 [host](url)`: its label SIMPREAD, its value the url),
# and under it, for some sites, `> 作者：[name](url)`.
_HEADER_LINE = re.compile(r"^[ \t]*\*\*(?P<label>Author|Link):\*\*[ \t]*(?P<value>.*?)[ \t]*$"
                          r"|^>[ \t]*本文由[ \t]*\[简悦[ \t]*SimpRead\]\([^()\s]*\)[ \t]*转码[，,][ \t]*原文地址[ \t]*\[[^\[\]]*\]\((?P<simpread>[^()\s]+)\)"
                          r"|^>[ \t]*(?P<author_label>作者)[：:][ \t]*(?P<author>.*?)[ \t]*$")
_HEADER_LINES_WITHIN = 8  # lines from the top: the title, blank lines and the two header lines
_ZHIHU_POST = re.compile(r"https?://(?:zhuanlan|www)\.zhihu\.com/(?:p/\d+|question/\d+/answer/\d+|answer/\d+)")
_ANSWER = re.compile(r"/answer/(\d+)")
_QUESTION = re.compile(r"/question/(\d+)")
_WIKILINKED = re.compile(r"\[\[([^\[\]|]*)(?:\|[^\[\]]*)?\]\]")
_MARKDOWN_LINK = re.compile(r"^\[(?P<name>[^\]]*)\](?:\((?P<url>[^)]*)\))?$")
_FOLDER_ID = re.compile(r"^(?:article|answer|p)-(\d+)$")
# (20240105)标题_作者.md, 2024-01-05-标题.md, 标题_作者_2024-01-05/index.md
_NAME_DATE = re.compile(r"^\((\d{4})(\d{2})(\d{2})\)|^(\d{4})-(\d{2})-(\d{2})-|_(\d{4})-(\d{2})-(\d{2})$")


# MarkDownload's template under its front matter: "# {pageTitle}", then the page's description as "> ## Excerpt" and
# quoted lines, then "---": no text of the post (its first lines again).
_EXCERPT_BLOCK = re.compile(r"\A(?P<head>(?:[ \t]*\n)*(?:[ \t]*#[^\n]*\n)?)(?P<block>(?:[ \t]*\n)*>[ \t]*#{1,6}[ \t]*Excerpt[ \t]*\n"
                            r"(?:>[^\n]*\n){0,200}(?:[ \t]*\n)*(?:---|\*\*\*|___)[ \t]*(?:\n|\Z))")


def take_header_lines(body: str) -> tuple[dict[str, str], str]:
    """The exporter's ``**Label:** value`` lines near the top, as keys, and the body without them (MarkDownload's excerpt
    block too, noted as :data:`EXCERPT`); each taken line left blank, so the rest keeps its line numbers."""
    excerpt = _EXCERPT_BLOCK.match(body)
    if excerpt:
        found, rest = take_header_lines(body[excerpt.end():])
        return {EXCERPT: "1", **found}, excerpt["head"] + "\n" * excerpt["block"].count("\n") + rest
    lines = body.split("\n")
    found: dict[str, str] = {}
    for number, line in enumerate(lines[:_HEADER_LINES_WITHIN]):
        match = _HEADER_LINE.match(line)
        if match and (match["author_label"] is None or SIMPREAD in found):  # 作者： under SimpRead's notice only
            found[match["label"] or (SIMPREAD if match["simpread"] else "作者")] = match["value"] or match["simpread"] or match["author"]
            lines[number] = ""
    return found, "\n".join(lines) if found else body


@dataclass(frozen=True)
class ExportedPost:
    """What an exporter said about its post: enough to place it once its body is rendered."""

    kind: str
    id: str
    url: str
    title: str  # "" when only the body's first heading names it
    author: Author
    published: str
    updated: str
    topics: tuple[Topic, ...]
    upvotes: int
    column: Any  # the column as written, if any
    source: str

    def place(self, title: str, content: str) -> Column:
        """The post as an Article (or answer), in the column (or question) it goes to."""
        article = Article(
            id=self.id, title=title, author=self.author, content=content, url=self.url, upvotes=self.upvotes,
            topics=list(self.topics), source=self.source, kind=self.kind, published=self.published, updated=self.updated,
        )
        column = _column(self.kind, self.url, title, self.column, self.source, self.author)
        column.source = self.source
        column.articles.append(article)
        return column


def _first(keys: dict, names: tuple[str, ...]) -> Any:
    return next((keys[name] for name in names if keys.get(name) not in (None, "", [])), None)


def _scalar(value: Any) -> str:
    """A text or number as written (YAML reads ``title: 2024`` as a number); anything else ""."""
    return text(str(value)) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def clipped_from(keys: dict) -> str:
    """The web page a note was clipped from, by the keys any exporter names it with (``source``, ``url`` …); "" when
    none is a web address."""
    return web_address(_first(keys, EXPORT_TOOLS[-1].link))


def zhihu_link(value: Any) -> str:
    match = _ZHIHU_POST.search(text(value) if isinstance(value, str) else "")
    return match.group(0) if match else ""


def tool_for(keys: dict) -> ExportTool | None:
    """The first tool whose signs are all there; else the first with one of its signs and a Zhihu post link
    in its link keys (exporters drop lines: a zhihu-download file with only its ``**Link:**`` line)."""
    for tool in EXPORT_TOOLS:
        if tool.signs and all(sign in keys for sign in tool.signs):
            return tool
    for tool in EXPORT_TOOLS:
        if any(sign in keys for sign in tool.signs) or not tool.signs:
            if any(zhihu_link(keys.get(name)) for name in tool.link):
                return tool
    return None


def moment(value: Any) -> str:
    """A UTC ISO 8601 time from whatever an exporter wrote: a YAML date, unix seconds, ``2024-01-05 10:00``, ``2024年1月5日``."""
    if isinstance(value, dt.datetime):
        zoned = value if value.tzinfo else value.replace(tzinfo=ZHIHU_TIME)
        return zoned.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return moment(dt.datetime(value.year, value.month, value.day))
    if isinstance(value, (int, float)):
        return timestamp(value)
    written = text(value) if isinstance(value, str) else ""
    return timestamp(written) or timestamp(normalise_date(written).replace("T", " "))


def date_in_name(name: str) -> str:
    """The date an exporter put in a file (or, for ``index.md``, folder) name, as UTC ISO 8601, or ""."""
    day = day_in_name(name)
    return moment(day) if day else ""


def day_in_name(name: str) -> str:
    """The day in a file or folder name as exporters and Jekyll write it (``2016-07-15-标题``), ``2016-07-15``; or ""."""
    match = _NAME_DATE.search(name)
    if match is None:
        return ""
    year, month, day = (g for g in match.groups() if g is not None)
    return normalise_date(f"{year}-{month}-{day}")


def _author(value: Any) -> Author:
    """``name``, ``{name, url}``, a Markdown link ``[name](url)`` / ``[name]``, or a list of those or of Obsidian's links
    ``[[name]]`` (Obsidian Web Clipper's ``author: ["[[name]]"]``): its first."""
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, (str, dict))), None)
        value = _WIKILINKED.sub(lambda m: m[1], value) if isinstance(value, str) else value
    if isinstance(value, str):
        match = _MARKDOWN_LINK.match(value.strip())
        if match:
            return read_author(match["name"], match["url"])
    return read_author(value)


def topics_written(value: Any) -> tuple[Topic, ...]:
    """Topics as an exporter writes them: a list, or names in one line between commas (``机器学习, 优化``)."""
    if isinstance(value, str):
        value = re.split(r"[,，、]", value)
    if isinstance(value, list):  # Obsidian writes topics as links: [[机器学习]]
        value = [v.strip().strip("[]#").strip() if isinstance(v, str) else v for v in value]
    return tuple(read_topics(value))


def file_slug(source: str) -> str:
    """The file's name, or its folder's for an ``index.md``/``README.md``, so ten ``index.md`` never meet on one page."""
    return safe_name(post_folder(source).name)


def post_folder(source: str) -> PurePosixPath:
    """The folder that names a post: the file's own folder for ``index.md``/``README.md`` (a TextBundle's for its
    ``text.md``, without ``.textbundle``), else the file."""
    path = PurePosixPath(source)
    if not is_folder_page(source) or len(path.parts) <= 2:
        return path.with_suffix("")
    return path.parent.with_suffix("") if path.parent.suffix.lower() == TEXTBUNDLE else path.parent


_NUMBERED_FILE = re.compile(r"\d{1,6}")


def file_title(source: str) -> str:
    """A title from the file's name, for a note with no text to take one from.

    ``index.md``/``README.md`` take their folder's name; a file a crawler
    numbered within its folder (``<page>/3.md``) is titled ``<page> 3``, as
    ten pages titled "0" … "9" tell a reader nothing.
    """
    path = PurePosixPath(source)
    folder = post_folder(source)
    if is_folder_page(source) or len(path.parts) <= 2 or not _NUMBERED_FILE.fullmatch(folder.name):
        return folder.name
    return f"{folder.parent.name} {folder.name}"


# A TextBundle (Bear's, Ulysses', iA Writer's and Craft's export of a note): a folder ``<note>.textbundle`` of
# ``text.md`` (or ``text.markdown``), ``info.json`` and ``assets/``.
TEXTBUNDLE = ".textbundle"


def is_folder_page(source: str) -> bool:
    """A page its folder names: ``index.md``, ``README.md``, a TextBundle's ``text.md``."""
    path = PurePosixPath(source)
    return path.stem.lower() in ("index", "readme") or (path.stem.lower() == "text" and path.parent.suffix.lower() == TEXTBUNDLE)


def _column(kind: str, url: str, title: str, value: Any, source: str, author: Author) -> Column:
    """The question for an answer; for an article the column it names, else the folder it sits in, else its author."""
    question = _QUESTION.search(url)
    if kind == "answer" and question:
        return Column(slug=f"question-{question[1]}", title=title, url=f"https://www.zhihu.com/question/{question[1]}", kind="question")
    if isinstance(value, dict):
        value = value.get("title") or value.get("id")
    named = _scalar(value)
    if named:
        column_id = re.search(r"zhuanlan\.zhihu\.com/([\w-]+)|zhihu\.com/column/([\w-]+)", named)
        if column_id:
            found = column_id[1] or column_id[2]
            return Column(slug=safe_name(found), title=found, url=f"https://zhuanlan.zhihu.com/{found}")
        return Column(slug=safe_name(named), title=named)
    folder = post_folder(source).parent
    if len(folder.parts) > 1:
        return Column(slug=safe_name(folder.name), title=folder.name)
    return Column(slug=safe_name(f"author-{author.id or author.name}"), title=f"{author.name}的知乎文章")


def read_export(keys: dict, source: str, slug: str, tool: ExportTool | None = None) -> ExportedPost | None:
    """The post an exported file holds, as *tool* (else the tool of the table that recognises *keys*) reads it; else None (a note)."""
    tool = tool or tool_for(keys)
    if tool is None:
        return None
    url = zhihu_link(_first(keys, tool.link))  # "" when the link is no Zhihu post: the page then has no 知乎原文
    kind_value = _scalar(_first(keys, tool.kind))
    kind = "answer" if _ANSWER.search(url) or kind_value.endswith("answer") else "article"
    answer = _ANSWER.search(url)
    folder_id = _FOLDER_ID.match(post_folder(source).name)
    post_id = (answer[1] if answer else article_id_in(url)) or ident(keys.get("id")) or (folder_id[1] if folder_id else "") or slug
    author = _author(_first(keys, tool.author))
    title = _scalar(_first(keys, tool.title))
    published = moment(_first(keys, tool.created)) or date_in_name(post_folder(source).name)
    return ExportedPost(
        kind=kind,
        id=post_id,
        url=url,
        title=title,
        author=author,
        published=published,
        updated=moment(_first(keys, tool.updated)),
        topics=tuple(topic for topic in topics_written(_first(keys, tool.topics)) if topic.name not in tool.every_files_tags),
        upvotes=count(_first(keys, tool.upvotes)),
        column=_first(keys, tool.column),
        source=source,
    )
