"""A blog backed up whole: 博客园 (cnblogs)'s backup and WordPress's export, every post in one RSS file.

博客园 gives a blogger their blog as one XML file (管理 → 博客备份): an RSS 2.0
channel titled ``博客园-<name>``, each post an ``<item>`` of ``title``,
``link`` (``https://www.cnblogs.com/<name>/p/<id>.html``), ``dc:creator``,
``author``, ``pubDate`` (RFC 822), ``guid`` and ``description``: the post's
HTML, or its Markdown source when it was written in the Markdown editor (as
the public backup splitters tell them apart).  It was skipped as any other
XML file, which a feed still is: a feed names posts, this file holds them.

Each post becomes a note titled by its title, dated by its ``pubDate`` in
Beijing time, the post's address its 来源, its text read as HTML (its
formulas between MathJax's delimiters typeset, zhsite/load/delimiters.py), or
as a Markdown note's when it is Markdown.  A backup cut short is read as far as it
goes, with an error naming the line where it breaks.

WordPress exports a site as WXR (Tools → Export: RSS with ``wp:`` elements):
each published post and page (``wp:post_type``, ``wp:status``) is a note the
same way, its categories and tags its topics, its text ``content:encoded``
with WordPress's own paragraphs made (the classic editor keeps a blank line
where a page shows a paragraph); drafts, private posts, the trash and the
site's attachments and menus are counted, not published.
"""
from __future__ import annotations

import email.utils
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from lxml import etree

from zhsite.load.delimiters import typeset_delimited
from zhsite.load.fields import beijing_time, web_address
from zhsite.load.frontmatter import FrontMatter
from zhsite.load.loaded import Loaded
from zhsite.load.markdown import read_markdown_text
from zhsite.load.sniff import sniff
from zhsite.load.xmltext import parse_xml
from zhsite.model import Note, Topic
from zhsite.problems import Problem
from zhsite.slug import safe_name

CUT_SHORT = "blog backup cut short"
_CNBLOGS = re.compile(r"<rss\b.*?<channel>\s*<title>\s*博客园|<rss\b.*?<link>\s*https?://(?:www\.)?cnblogs\.com/", re.S)


def is_cnblogs_backup(text: str) -> bool:
    """博客园's backup: an RSS channel of 博客园, or of a cnblogs.com address, in the file's first lines."""
    return bool(_CNBLOGS.search(text[:3000]))


def read_cnblogs_backup(text: str, source: str) -> Loaded:
    """Every post of the backup, in the file's order."""
    return _items(text, source, _post)


def _items(text: str, source: str, post: Callable[[etree._Element, str], Loaded]) -> Loaded:
    """Each ``<item>`` of the RSS file, read by *post*; where it breaks, said."""
    root, damage = parse_xml(text)
    loaded = Loaded()
    if damage is not None:
        loaded.problems.append(Problem(source, damage.where, CUT_SHORT, f"{damage.message}; the posts before it are read"))
    for item in root.iter("item") if root is not None else ():
        loaded.add(post(item, source))
    return loaded


def is_wordpress_export(text: str) -> bool:
    return "wordpress.org/export/" in text[:3000] and "<rss" in text[:3000]


def read_wordpress_export(text: str, source: str) -> Loaded:
    """Every published post and page of the export, in the file's order."""
    return _items(text, source, _wordpress_post)


def _wordpress_post(item: etree._Element, source: str) -> Loaded:
    kind, status = _wp(item, "post_type"), _wp(item, "status")
    if kind not in ("post", "page") or status != "publish":
        return Loaded(skipped=Counter({_NOT_PUBLISHED.get(status, "WordPress attachments and menus") if kind in ("post", "page")
                                       else "WordPress attachments and menus": 1}))
    title = " ".join((item.findtext("title") or "").split())
    slug = safe_name(unquote(_wp(item, "post_name")) or title or f"wordpress-{_wp(item, 'post_id')}")
    topics = [Topic(name) for name in dict.fromkeys(" ".join((c.text or "").split()) for c in item.iter("category")) if name]
    text = typeset_delimited(_paragraphs(item.findtext(f"{{{_CONTENT}}}encoded") or ""))
    return Loaded(notes=[Note(slug=slug, title=title or slug, content=text, date=_published(item), tags=topics,
                              origin=web_address((item.findtext("link") or "").strip()), source=source)])


def _wp(item: etree._Element, name: str) -> str:
    found = next((child for child in item if isinstance(child.tag, str) and child.tag.endswith(f"}}{name}")), None)
    return (found.text or "").strip() if found is not None else ""


def _paragraphs(text: str) -> str:
    """WordPress's text with its paragraphs made as WordPress shows them (wpautop): a run of lines not opening with a
    block element is a paragraph, a line break inside it a ``<br>``; a block element (a heading, a list, Gutenberg's
    ``<!-- wp:paragraph --><p>…``) stays as written."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        chunk = chunk.strip()
        if chunk:
            blocks.append(chunk if _BLOCK.match(chunk) else "<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(blocks)


_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_BLOCK = re.compile(r"<(?:!--|p|div|h[1-6]|ul|ol|li|pre|blockquote|table|figure|hr|dl|section|iframe|img)\b", re.I)
_NOT_PUBLISHED = {"draft": "WordPress drafts", "pending": "WordPress drafts", "future": "WordPress drafts", "auto-draft": "WordPress drafts",
                  "private": "WordPress private posts", "trash": "WordPress posts in its trash"}


def _post(item: etree._Element, source: str) -> Loaded:
    title = " ".join((item.findtext("title") or "").split())
    link = web_address((item.findtext("link") or "").strip())
    date = _published(item)
    text = item.findtext("description") or ""
    slug = safe_name(_post_name(link) or title)
    if text.strip() and sniff(text) in ("markdown", "text"):
        read = read_markdown_text(FrontMatter(title=title, date=date), text, source, 1, [], slug=slug)
        read.notes = [replace(note, origin=link or note.origin) for note in read.notes]
        return read
    return Loaded(notes=[Note(slug=slug, title=title or slug, content=typeset_delimited(text), date=date, origin=link, source=source)])


def _post_name(link: str) -> str:
    """``cnblogs-<name>-<id>`` of a post's address (``…/<name>/p/<id>.html``, ``…/<name>/archive/2015/01/05/<id>.html``)."""
    parts = [part for part in urlsplit(link).path.split("/") if part]
    return f"cnblogs-{parts[0]}-{parts[-1].removesuffix('.html')}" if len(parts) >= 2 else ""


def _published(item: etree._Element) -> str:
    """The post's ``pubDate`` (RFC 822: ``Mon, 05 Jan 2015 10:00:00 GMT``) in Beijing time; "" for none."""
    try:
        return beijing_time(email.utils.parsedate_to_datetime((item.findtext("pubDate") or "").strip()))
    except (TypeError, ValueError, IndexError):
        return ""
