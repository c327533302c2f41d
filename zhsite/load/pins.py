"""Zhihu pins (想法): what the API says of one (``/api/v4/pins/<id>``, a page of ``/members/<id>/pins``), as a post.

A pin has no title and its text comes in blocks: ``content`` is a list of
``{"type": "text", "content": "<html>"}``, ``{"type": "image", "url", "width",
"height"}``, ``{"type": "link", "url", "title"}`` and ``{"type": "video", …}``,
and ``content_html`` is the same as one HTML fragment, when the API sent it
(``contentHtml`` in a saved page's state, as every field is camelCase there)
(read first: its pictures are marked up as an answer's are).  A repin (转发)
holds the pin it passes on in ``origin_pin`` (or ``repin``): it is shown under
the author's own words as a quote naming its author, one level deep.  A pin's
title is Zhihu's own ``excerpt_title`` (the opening of its text, cut with
…), else that opening; its ``#话题#`` tags are its topics.  Each pin lands in
its author's column of pins (``<作者>的想法``, zhsite/load/api.py), at ``pins/<id>.html``.
"""
from __future__ import annotations

from html import escape
from typing import Any

from zhsite.load.fields import ident, pick, read_author, read_topics, text
from zhsite.model import Topic
from zhsite.tree import read_fragment

_TITLE_CHARS = 30  # of the text, when the pin has no excerpt_title: about what Zhihu's own excerpt holds


def is_pin(raw: Any) -> bool:
    """An API pin: ``"type": "pin"`` with its text as HTML or as blocks."""
    return isinstance(raw, dict) and raw.get("type") == "pin" and (isinstance(pick(raw, "content_html"), str) or isinstance(raw.get("content"), list))


def pin_html(raw: dict, nested: bool = False) -> str:
    """The pin's text as HTML, with the pin it passes on (a repin) quoted under it."""
    html = pick(raw, "content_html")
    own = html if isinstance(html, str) else "".join(map(_block_html, raw.get("content") or []))
    origin = next((pick(raw, key) for key in ("origin_pin", "repin") if is_pin(pick(raw, key))), None)
    if origin is None or nested:
        return own
    author = read_author(origin.get("author"))
    pin_id = ident(origin.get("id"))
    named = f'<a href="https://www.zhihu.com/pin/{escape(pin_id)}">{escape(author.name)}的想法</a>' if pin_id else escape(f"{author.name}的想法")
    return f"{own}<blockquote><p>转发{named}：</p>{pin_html(origin, nested=True)}</blockquote>"


def _block_html(block: Any) -> str:
    """One block of ``content`` as HTML; a block of a kind not known here shows its link, if it has one."""
    if not isinstance(block, dict):
        return ""
    kind, url = block.get("type"), text(block.get("url"))
    if kind == "text":
        return f"<p>{text(block.get('content') or pick(block, 'own_text'))}</p>"
    if kind == "image" and url:
        size = "".join(f' {name}="{int(block[name])}"' for name in ("width", "height") if isinstance(block.get(name), int))
        return f'<figure><img src="{escape(url)}"{size}></figure>'
    label = text(block.get("title")) or {"video": "视频", "image": "图片"}.get(kind, "") or url
    if url:
        return f'<p><a href="{escape(url)}">{escape(label)}</a></p>'
    # A block with nothing to show here (a video saved without its address): said on the page, never dropped unseen.
    return f"<p>［{escape(label or '其他内容')}，未存档］</p>"


def pin_title(raw: dict, html: str, pin_id: str) -> str:
    """Zhihu's excerpt of the pin, else the opening of its text, else 想法 and its id (a pin of pictures only)."""
    excerpt = " ".join(text(pick(raw, "excerpt_title")).split())
    if excerpt:
        return excerpt
    words = " ".join(read_fragment(html).text_content().split()) if html.strip() else ""
    return (words if len(words) <= _TITLE_CHARS else words[:_TITLE_CHARS] + "…") or f"想法 {pin_id}"


def pin_topics(raw: dict) -> list[Topic]:
    """The pin's topics, and its ``#话题#`` tags as topics of the same names."""
    tags = [tag.strip("#") for tag in raw.get("tags") or [] if isinstance(tag, str)]
    return read_topics([*(raw.get("topics") if isinstance(raw.get("topics"), list) else []), *tags])

