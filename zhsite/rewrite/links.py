"""Links as a reader wants them: real targets, readable text, local when possible.

``link.zhihu.com`` redirects die with Zhihu; their real target is in
``target=``, percent-encoded exactly once (``%25`` in it is a real ``%`` of the
target, so decoding twice corrupts links).  Link cards become block cards,
Zhihu's CSS-truncated URL text becomes readable text, and links to articles
that are in this site point at their local page.
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from lxml.html import HtmlElement

from zhsite.rewrite.context import RewriteContext
from zhsite.rewrite.tree import has_class, replace

_REDIRECT = re.compile(r"^(?:https?:)?//link\.zhihu\.com/?\?(?:.*?&)?target=(?P<target>.*)$", re.I)
_ARTICLE = re.compile(r"^(?:https?:)?//zhuanlan\.zhihu\.com/p/(?P<id>\d+)/?(?P<rest>[?#].*)?$", re.I)
_MAX_TEXT = 60


def redirect_target(href: str) -> str | None:
    """The URL a ``link.zhihu.com`` redirect points at, or None if *href* is not one."""
    match = _REDIRECT.match(href.strip())
    if not match:
        return None
    target = match.group("target")
    if re.match(r"^https?://", target, re.I):
        return target  # not encoded: the rest of the query, '&' included, is the URL
    return unquote(target.split("&", 1)[0])


def readable_url(url: str) -> str:
    """Host and path, shortened with an ellipsis when long."""
    parts = urlsplit(url)
    text = (parts.netloc + parts.path).removeprefix("www.").rstrip("/") or url
    if parts.query:
        text += "?" + parts.query
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def rewrite_redirects(root: HtmlElement, ctx: RewriteContext) -> None:
    for a in root.iter("a"):
        target = redirect_target(a.get("href") or "")
        if target is not None:
            a.set("href", target)


def rewrite_link_cards(root: HtmlElement, ctx: RewriteContext) -> None:
    """A link card is a block preview: title, host and thumbnail."""
    for a in list(root.iter("a")):
        if a.get("data-draft-type") != "link-card" and not has_class(a, "LinkCard"):
            continue
        href = a.get("href") or ""
        title = (a.get("data-text") or a.text_content()).strip() or readable_url(href)
        card = a.makeelement("a", {"class": "link-card", "href": href})
        text = card.makeelement("span", {"class": "link-card-text"})
        title_el = text.makeelement("span", {"class": "link-card-title"})
        title_el.text = title
        host_el = text.makeelement("span", {"class": "link-card-host"})
        host_el.text = urlsplit(href).netloc.removeprefix("www.")
        text.extend([title_el, host_el])
        card.append(text)
        image = a.get("data-image") or ""
        if image.startswith(("http://", "https://")):
            thumb = card.makeelement(
                "img", {"class": "link-card-thumb", "src": image, "alt": "", "width": "60", "height": "60", "loading": "lazy", "decoding": "async"}
            )
            card.append(thumb)
        replace(a, card)


def rewrite_truncated_urls(root: HtmlElement, ctx: RewriteContext) -> None:
    """``<span class="invisible">https://</span><span class="visible">…</span>`` → readable text."""
    for a in root.iter("a"):
        spans = [s for s in a.iter("span") if {"invisible", "visible", "ellipsis"} & set((s.get("class") or "").split())]
        if not spans:
            continue
        for child in list(a):
            a.remove(child)
        a.text = readable_url(a.get("href") or "")


def rewrite_archive_links(root: HtmlElement, ctx: RewriteContext) -> None:
    """Links to articles that are in this site go to their local page."""
    for a in root.iter("a"):
        match = _ARTICLE.match((a.get("href") or "").strip())
        if match and match.group("id") in ctx.article_paths:
            fragment = (match.group("rest") or "").partition("#")[2]
            local = ctx.relative(ctx.article_paths[match.group("id")])
            a.set("href", local + (f"#{fragment}" if fragment else ""))
