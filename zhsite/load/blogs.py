"""A blog backed up whole: 博客园 (cnblogs)'s backup, every post in one RSS file.

博客园 gives a blogger their blog as one XML file (管理 → 博客备份): an RSS 2.0
channel titled ``博客园-<name>``, each post an ``<item>`` of ``title``,
``link`` (``https://www.cnblogs.com/<name>/p/<id>.html``), ``dc:creator``,
``author``, ``pubDate`` (RFC 822), ``guid`` and ``description``: the post's
HTML, or its Markdown source when it was written in the Markdown editor (as
the public backup splitters tell them apart).  It was skipped as any other
XML file, which a feed still is: a feed names posts, this file holds them.

Each post becomes a note titled by its title, dated by its ``pubDate`` in
Beijing time, the post's address its 来源, its text read as HTML, or as a
Markdown note's when it is Markdown.  A backup cut short is read as far as it
goes, with an error naming the line where it breaks.
"""
from __future__ import annotations

import email.utils
import re
from dataclasses import replace
from urllib.parse import urlsplit

from lxml import etree

from zhsite.load.fields import ZHIHU_TIME, web_address
from zhsite.load.frontmatter import FrontMatter
from zhsite.load.loaded import Loaded
from zhsite.load.markdown import read_markdown_text
from zhsite.load.sniff import sniff
from zhsite.model import Note
from zhsite.problems import Problem
from zhsite.slug import safe_name

CUT_SHORT = "博客园 backup cut short"
_CNBLOGS = re.compile(r"<rss\b.*?<channel>\s*<title>\s*博客园|<rss\b.*?<link>\s*https?://(?:www\.)?cnblogs\.com/", re.S)


def is_cnblogs_backup(text: str) -> bool:
    """博客园's backup: an RSS channel of 博客园, or of a cnblogs.com address, in the file's first lines."""
    return bool(_CNBLOGS.search(text[:3000]))


def read_cnblogs_backup(text: str, source: str) -> Loaded:
    """Every post of the backup, in the file's order."""
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
    except etree.XMLSyntaxError:  # nothing recovered
        root = None
    loaded = Loaded()
    if parser.error_log:
        error = parser.error_log[0]
        loaded.problems.append(Problem(source, str(error.line), CUT_SHORT, f"{error.message}; the posts before it are read"))
    for item in root.iter("item") if root is not None else ():
        loaded.add(_post(item, source))
    return loaded


def _post(item: etree._Element, source: str) -> Loaded:
    title = " ".join((item.findtext("title") or "").split())
    link = web_address((item.findtext("link") or "").strip())
    date = _beijing(item.findtext("pubDate") or "")
    text = item.findtext("description") or ""
    slug = safe_name(_post_name(link) or title)
    if text.strip() and sniff(text) in ("markdown", "text"):
        read = read_markdown_text(FrontMatter(title=title, date=date), text, source, 1, [], slug=slug)
        read.notes = [replace(note, origin=link or note.origin) for note in read.notes]
        return read
    return Loaded(notes=[Note(slug=slug, title=title or slug, content=text, date=date, origin=link, source=source)])


def _post_name(link: str) -> str:
    """``cnblogs-<name>-<id>`` of a post's address (``…/<name>/p/<id>.html``, ``…/<name>/archive/2015/01/05/<id>.html``)."""
    parts = [part for part in urlsplit(link).path.split("/") if part]
    return f"cnblogs-{parts[0]}-{parts[-1].removesuffix('.html')}" if len(parts) >= 2 else ""


def _beijing(written: str) -> str:
    """An RFC 822 time (``Mon, 05 Jan 2015 10:00:00 GMT``) in Beijing time, ``2015-01-05T18:00``; "" when it is none."""
    try:
        when = email.utils.parsedate_to_datetime(written.strip())
    except (TypeError, ValueError, IndexError):
        return ""
    return when.astimezone(ZHIHU_TIME).strftime("%Y-%m-%dT%H:%M") if when.tzinfo else when.strftime("%Y-%m-%dT%H:%M")
