"""flomo (浮墨笔记) exported: "导出所有数据 (HTML)", one page of every memo, each memo a note.

flomo writes all of an account's memos into one web page (``<title>flomo ·
浮墨笔记</title>``): ``div.memos`` of ``div.memo``, each with its time
(``div.time``, ``2024-01-02 12:34:56``), its text (``div.content``, tags
written in it as ``#读书/深度学习``) and its pictures and recordings
(``div.files``, saved beside the page under ``file/``).  Taken for a saved web
page, the export was one skipped page snapshot, exit 0.

Each memo becomes a note dated by its time, titled by its first line, at
``notes/flomo-<time>.html`` (its time never changes, its first line may), its
tags its topics; its pictures are shown from beside the page, a recording is
a link to its file.
"""
from __future__ import annotations

import html
import re
from functools import partial

from lxml import etree
from lxml.html import HtmlElement

from zhsite.load.frontmatter import normalise_date
from zhsite.load.htmlfile import NOT_PARSED, warn
from zhsite.load.loaded import Loaded
from zhsite.load.obsidian import tags_in_text
from zhsite.load.savedpage import with_local_pictures
from zhsite.model import Note, Topic
from zhsite.problems import Problem
from zhsite.tree import bound_attributes, inner_html, parse_document, text_of, values_reported_to

_MEMO = re.compile(r"""<div\b[^<>]*\bclass=["']memo["']""", re.I)
_MARKS = (re.compile(r"""<div\b[^<>]*\bclass=["']memos["']""", re.I), re.compile(r"""<div\b[^<>]*\bclass=["']time["']""", re.I))
_TAGS_AROUND = re.compile(r"^(?:#\S+\s+)+|(?:\s+#\S+)+$")
_LINE_READ = 400
_TITLE_LENGTH = 40  # characters of a memo's first line that title its note


def is_flomo_export(page: str) -> bool:
    return "flomo" in page[:4000].lower() and _MEMO.search(page) is not None and all(mark.search(page) for mark in _MARKS)


def read_flomo(page: str, source: str) -> Loaded:
    """Every memo of the page, a note each, in the page's order."""
    problems: list[Problem] = []
    try:
        document = parse_document(bound_attributes(page, partial(warn, problems, source)))
    except (etree.ParserError, ValueError):
        return Loaded(problems=[Problem(source, "", NOT_PARSED)])
    notes = []
    with values_reported_to(partial(warn, problems, source)):
        for memo in document.xpath("//div[@class='memo']"):
            notes += _memo(memo, source)
    return Loaded(notes=notes, problems=problems)


def _memo(memo: HtmlElement, source: str) -> list[Note]:
    """The note of one memo; none for a memo with neither time nor text."""
    when = " ".join("".join(memo.xpath("./div[@class='time']//text()")).split())
    content = next(iter(memo.xpath("./div[@class='content']")), None)
    files = next(iter(memo.xpath("./div[@class='files']")), None)
    text = text_of(content) if content is not None else ""
    if not when and not text.strip():
        return []
    for recording in memo.iter("audio", "video"):
        link = recording.makeelement("a", {"href": recording.get("src") or ""})
        link.text = "录音" if recording.tag == "audio" else "视频"
        link.tail = recording.tail
        recording.getparent().replace(recording, link)
    body = "".join(inner_html(with_local_pictures(part, source)) for part in (content, files) if part is not None)
    lines = (" ".join(text_of(block).split()) for block in content.iter("p", "li", "h1", "h2", "h3", "blockquote")) if content is not None else ()
    first = next((line for line in lines if line), "") or " ".join(text.split()) or when
    first = first[:_LINE_READ]  # a title is far shorter; and the pattern below retries each "#" of a line of tags
    first = _TAGS_AROUND.sub("", first) or first  # "#读书 今天读完了…", "… 加权平均 #机器学习": the tags are its topics
    title = first if len(first) <= _TITLE_LENGTH else f"{first[:_TITLE_LENGTH]}…"
    stamp = re.sub(r"\D", "", when)[:14]
    return [Note(slug=f"flomo-{stamp}" if stamp else "flomo", title=title, content=body or f"<p>{html.escape(when)}</p>",
                 tags=[Topic(tag) for tag in dict.fromkeys(tags_in_text(text))], date=normalise_date(when), source=source)]
