"""Pages Notion exported as Markdown (Export → Markdown & CSV): their properties read as the note's date and tags.

Notion names each file after its page and the page's id (``机器学习 0123…cdef.md``,
32 hexadecimal digits) and writes the page's properties under its title, a
line each (``Tags: 笔记, 深度学习``, ``Created: January 5, 2024 10:00 AM``, in the
language of the account: ``创建时间: 2024年1月5日 10:00``).  They stay shown,
as Notion's own Markdown shows them; the creation date (else the date
property) dates the note, so notes list in the order they were written, and
the tags are its topics.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from markdown_it.token import Token

from zhsite.load.frontmatter import normalise_date

_PAGE_ID = re.compile(r".* [0-9a-f]{32}")
_PROPERTY = re.compile(r"([^:：\n]{1,40})[:：] (.+)")
_DATES = ("created", "created time", "创建时间", "创建日期", "date", "日期")
_TAGS = ("tags", "tag", "标签", "multi-select")
_ENGLISH_DATES = ("%B %d, %Y %I:%M %p", "%B %d, %Y")


def is_notion_page(source: str) -> bool:
    return _PAGE_ID.fullmatch(PurePosixPath(source).stem) is not None


def notion_properties(tokens: list[Token]) -> tuple[str, list[str]]:
    """The date (ISO) and tags of the property lines that open a page's text (after its title): ("", []) when none."""
    if len(tokens) < 3 or tokens[0].type != "paragraph_open" or tokens[1].type != "inline":
        return "", []
    found = [_PROPERTY.fullmatch(line.strip()) for line in tokens[1].content.split("\n")]
    if not all(found):
        return "", []
    properties = {match[1].strip().lower(): match[2].strip() for match in found if match}
    dates = (_date(properties[key]) for key in _DATES if properties.get(key))
    date = next((date for date in dates if date), "")
    tags = next((properties[key] for key in _TAGS if properties.get(key)), "")
    return date, [tag.strip() for tag in re.split(r"[,，]", tags) if tag.strip()]


def _date(written: str) -> str:
    """A Notion date as ISO: ``2024/01/05 10:00``, ``2024年1月5日``, or English, ``January 5, 2024 10:00 AM``."""
    numeric = normalise_date(written)
    if numeric:
        return numeric
    for form in _ENGLISH_DATES:
        try:
            parsed = dt.datetime.strptime(written.split(" (")[0].strip(), form)
        except ValueError:
            continue
        return parsed.strftime("%Y-%m-%dT%H:%M") if "%H" in form or "%I" in form else parsed.date().isoformat()
    return ""
