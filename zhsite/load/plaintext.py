"""Plain-text notes → Note.

Text scraped from blog aggregators has structure only by convention: the
title on the first line, a ``来源:… 时间:…`` metadata line, ``0x1F`` or
``一、`` section lines, bare URLs, and ``这里写图片描述`` where CSDN lost an
image.  Each convention becomes real markup; everything else stays text, with
single newlines kept as line breaks.
"""
from __future__ import annotations

import re
from html import escape

from zhsite.load.exports import file_title
from zhsite.load.fields import text as visible
from zhsite.load.frontmatter import normalise_date
from zhsite.model import Note
from zhsite.problems import Problem

_METADATA = re.compile(r"^来源\s*[:：]\s*(?P<origin>\S*).*?时间\s*[:：]\s*(?P<time>.+)$")
_METADATA_WITHIN = 3  # the metadata line follows the title closely, else it is body text
_HEX_SECTION = re.compile(r"^0x[0-9A-Fa-f]{1,4}(?=\s|$)")
_NUMBERED = re.compile(r"^(?:\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]{1,3}[、.．])\s*\S")
_SENTENCE_END = re.compile(r"[。，；！？：,;:!?]$")
_URL = re.compile(r"https?://[^\s<>\"'\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
_URL_TRAILING = ".,:;!?'\"]"
IMAGE_PLACEHOLDER = "这里写图片描述"


def read_text_note(text: str, source: str, slug: str) -> tuple[Note, list[Problem]]:
    lines = [line.rstrip() for line in text.split("\n")]
    start = next((i for i, line in enumerate(lines) if visible(line)), len(lines))
    title = visible(lines[start]) if start < len(lines) else file_title(source)
    body = lines[start + 1:]
    origin, date, body = _take_metadata(body)
    note = Note(slug=slug, title=title, content=render_text(body), date=date, origin=origin, source=source)
    return note, []


def _take_metadata(lines: list[str]) -> tuple[str, str, list[str]]:
    filled = [i for i, line in enumerate(lines) if line.strip()][:_METADATA_WITHIN]
    for i in filled:
        match = _METADATA.match(lines[i].strip())
        if match:
            return match["origin"], normalise_date(match["time"]), lines[:i] + lines[i + 1:]
    return "", "", lines


def render_text(lines: list[str]) -> str:
    """Blank lines separate paragraphs; a section line is a heading wherever it stands."""
    html, paragraph = [], []

    def flush() -> None:
        if paragraph:
            html.append(_paragraph(paragraph))
            paragraph.clear()

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
        elif _HEX_SECTION.match(stripped):
            flush()
            html.append(f"<h2>{_inline(stripped)}</h2>")
        else:
            paragraph.append(stripped)
    flush()
    return "\n".join(html)


def _paragraph(lines: list[str]) -> str:
    if len(lines) == 1 and _is_numbered_heading(lines[0]):
        return f"<h3>{_inline(lines[0])}</h3>"
    return "<p>" + "<br>\n".join(_inline(line) for line in lines) + "</p>"


def _is_numbered_heading(line: str) -> bool:
    return bool(_NUMBERED.match(line)) and len(line) <= 40 and not _SENTENCE_END.search(line)


def _inline(line: str) -> str:
    """Escaped text with its bare URLs linked and lost images marked."""
    out, position = [], 0
    for match in _URL.finditer(line):
        url = _trim_url(match[0])
        out.append(_text(line[position:match.start()]))
        out.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        position = match.start() + len(url)
    out.append(_text(line[position:]))
    return "".join(out)


def _trim_url(url: str) -> str:
    """Drop the sentence punctuation a URL was written against, and an unmatched ``)``."""
    while url and (url[-1] in _URL_TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


def _text(text: str) -> str:
    marker = '<span class="image-missing">图片缺失</span>'
    return marker.join(escape(part) for part in text.split(IMAGE_PLACEHOLDER))
