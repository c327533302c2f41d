"""Links as a reader wants them: real targets, readable text, local when possible.

``link.zhihu.com`` redirects die with Zhihu; their real target is in
``target=``, percent-encoded exactly once (``%25`` in it is a real ``%`` of the
target, so decoding twice corrupts links).  Link and video cards become block
cards, Zhihu's CSS-truncated URL text becomes readable text, mentions link the
profile on Zhihu, search-advert "entity words" become plain words, and links
to articles that are in this site point at their local page, as do a note's
links to the Markdown files of other notes (``[图像](images.md#本地)``).
"""
from __future__ import annotations

import re
from html import escape
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement

from zhsite import pictures, urls
from zhsite.rewrite.context import RewriteContext
from zhsite.tree import has_class, parse_fragment, replace

_REDIRECT = re.compile(r"^(?:https?:)?//link\.zhihu\.com/?\?(?:.*?&)?target=(?P<target>.*)$", re.I)
# An article (zhuanlan.zhihu.com/p/<id>), an answer (www.zhihu.com/question/<q>/answer/<id>, or …/answer/<id>)
# a pin (www.zhihu.com/pin/<id>) or a video (…/zvideo/<id>): the key is the post's Article.archive_key.
_POST = re.compile(
    r"^(?:https?:)?//(?:zhuanlan\.zhihu\.com/(?P<kind>p)|(?:www\.)?zhihu\.com/(?:question/\d+/)?(?P<answer>answer|pin|zvideo))"
    r"/(?P<id>\d+)/?(?P<rest>[?#].*)?$",
    re.I,
)
_MAX_TEXT = 60
UNRESOLVED_WIKILINK = "unresolved wikilink"
UNRESOLVED_BLOCK = "Logseq block reference to no block of the site, shown as its id"
LINK_TO_NOTHING = "link to nothing on the site"
LINK_TO_A_DISK = "link to a path on a disk, not published"


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


def _text_of(a: HtmlElement, class_name: str) -> str:
    found = [e for e in a.iter() if has_class(e, class_name)]
    return " ".join(found[0].text_content().split()) if found else ""


def _card(a: HtmlElement, href: str, title: str, image: str, kind: str) -> HtmlElement:
    """A block preview: title, host and thumbnail, the whole card one link."""
    card = a.makeelement("a", {"class": kind, "href": href})
    text = card.makeelement("span", {"class": "link-card-text"})
    title_el = text.makeelement("span", {"class": "link-card-title"})
    title_el.text = title or readable_url(href)
    host_el = text.makeelement("span", {"class": "link-card-host"})
    host_el.text = urlsplit(href).netloc.removeprefix("www.")
    text.extend([title_el, host_el])
    card.append(text)
    if image.startswith(("http://", "https://")):
        thumb = card.makeelement(
            "img", {"class": "link-card-thumb", "src": image, "alt": "", "width": "60", "height": "60", "loading": "lazy", "decoding": "async"}
        )
        card.append(thumb)
    return card


def rewrite_link_cards(root: HtmlElement, ctx: RewriteContext) -> None:
    """Link cards (``data-draft-type="link-card"``, rendered: ``a.LinkCard``) and videos (``a.video-box``) → cards."""
    for a in list(root.iter("a")):
        href = a.get("href") or ""
        if a.get("data-draft-type") == "link-card" or has_class(a, "LinkCard"):
            title = _text_of(a, "LinkCard-title") or (a.get("data-text") or a.text_content()).strip()
            replace(a, _card(a, href, title, pictures.thumbnail(a, "data-image"), "link-card"))
        elif has_class(a, "video-box"):
            title = _text_of(a, "title") or (a.get("data-name") or "").strip() or "视频"
            replace(a, _card(a, href, title, pictures.thumbnail(a, "data-poster"), "link-card video-card"))


def unlink_entity_words(root: HtmlElement, ctx: RewriteContext) -> None:
    """``a.RichContent-EntityWord`` (to ``zhida.zhihu.com/search``) is an advert on a word: keep the word."""
    for a in list(root.iter("a")):
        if has_class(a, "RichContent-EntityWord") or urlsplit(a.get("href") or "").netloc == "zhida.zhihu.com":
            for icon in a.findall(".//svg"):
                icon.drop_tree()
            a.drop_tag()


def link_mentions(root: HtmlElement, ctx: RewriteContext) -> None:
    """``a.member_mention`` links ``/people/<id>``, relative to Zhihu: point it there."""
    for a in root.iter("a"):
        if not has_class(a, "member_mention"):
            continue
        href = (a.get("href") or "").strip()
        if not href and a.get("data-hash"):
            href = f"/people/{a.get('data-hash')}"
        if href:
            a.set("href", urljoin("https://www.zhihu.com/", href))


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
    """Links to posts that are in this site go to their local page; a post's link to itself on Zhihu (a
    video's 在知乎观看视频, an article's 原文链接) stays there: it names the original."""
    for a in root.iter("a"):
        match = _POST.match((a.get("href") or "").strip())
        if not match:
            continue
        key = f"{(match.group('answer') or 'p').lower()}/{match.group('id')}"
        if key in ctx.archived and ctx.archived[key] != ctx.page:
            link_to(a, ctx.archived[key], (match.group("rest") or "").partition("#")[2], ctx)


def rewrite_note_links(root: HtmlElement, ctx: RewriteContext) -> None:
    """A link to another note's file (``other.md``, ``../笔记/a.md#节``) goes to that note's page,
    and one to an attachment (``files/paper.pdf``) to its copy in the site.

    Notes written in an editor link to each other and to their files by
    path; in the site those notes are pages (``notes/<slug>.html``), looked up
    in ``ctx.archived`` under ``file:<source>``, and the attachments copies the
    image phase made (``ctx.files`` under ``link:<path>``, zhsite/images/files.py),
    so a cached rewrite is redone when either moves.  A note named by a path on the author's disk is the
    note the image phase found by that path's longest tail (``ctx.files`` under ``note:<path>``).  Any other relative link
    leads nowhere on the site: kept as written, with a warning.  An absolute
    path with no copy (``/Users/me/a.pdf``, ``file:///…``, ``C:\\…``, ``/about``)
    names the author's disk or another site's root: shown as its text, with a
    warning; in a Zhihu post (``ctx.where``: an article or answer, not a note),
    ``/topic/19550517`` is Zhihu's own address, written relative to it.
    """
    for a in root.iter("a"):
        href = a.get("href") or ""
        path = pictures.linked_file(href, ctx.source)
        if path is None:
            continue
        fragment = urlsplit(href.strip()).fragment
        if "file:" + path in ctx.archived:
            link_to(a, ctx.archived["file:" + path], fragment, ctx)
        elif pictures.is_absolute_path(path) and "file:" + (note := ctx.files.get(pictures.LINKED_NOTE + path) or "") in ctx.archived:
            link_to(a, ctx.archived["file:" + note], fragment, ctx)  # /Users/me/…/other.md: the note found by its tail
        elif ctx.files.get(pictures.ATTACHED + path) is not None:
            a.set("href", urls.relative(ctx.files[pictures.ATTACHED + path], ctx.page) + (f"#{fragment}" if fragment else ""))
        elif pictures.ATTACHED + path in ctx.files:  # a file the image phase left out, saying why
            continue
        elif ctx.where and href.strip().startswith("/"):  # a Zhihu post's own root-relative link: to a page of Zhihu
            a.set("href", urljoin("https://www.zhihu.com/", href.strip()))
        elif pictures.is_absolute_path(path):
            ctx.warn(LINK_TO_A_DISK, f"{path} names no file under the content folder; shown as its text")
            a.attrib.pop("href")
        else:
            ctx.warn(LINK_TO_NOTHING, f"{unquote(urlsplit(href.strip()).path)} is no note, post or file of this site")


def rewrite_wikilinks(root: HtmlElement, ctx: RewriteContext) -> None:
    """A note's ``[[标题]]`` and ``[[标题|文字]]`` (``a[data-wikilink]``, zhsite/load/markdown.py) go to that page.

    Looked up by the title of an article, answer or note, else by a note's
    file name (as Obsidian does), in ``ctx.archived``, so a cached rewrite is
    redone when the page it names appears, moves or goes; else ``[[paper.pdf]]``
    is the copy of the file of that name (``ctx.files``).  One that names
    neither stays as its text, with a warning at its line.
    """
    for a in list(root.iter("a")):
        name = a.get("data-wikilink")
        if name is None:
            continue
        title, _, fragment = name.partition("#")
        title = " ".join(title.split())
        target = next((ctx.archived[key] for key in (f"title:{title}", f"name:{title}") if key in ctx.archived), None)
        line = a.get("data-line")
        for attribute in ("data-wikilink", "data-line"):
            a.attrib.pop(attribute, None)
        copy = ctx.files.get(pictures.ATTACHED + file) if target is None and (file := pictures.wikilinked_file(name)) else None
        if target is not None:
            link_to(a, target, fragment, ctx)
        elif copy is not None:  # [[paper.pdf]]: a file of the vault, copied into the site (zhsite/images/files.py)
            a.set("href", urls.relative(copy, ctx.page) + (f"#{fragment}" if fragment else ""))
        else:
            ctx.warn(UNRESOLVED_WIKILINK, f"[[{name}]] names no article, answer or note of this site", line)
            a.drop_tag()


def rewrite_block_references(root: HtmlElement, ctx: RewriteContext) -> None:
    """A reference to a block of another note (``a[data-blockref]``: Logseq's ``((uuid))``, zhsite/load/logseq.py):
    that block's text (its HTML, formulas and all, typeset by the passes after this one), linked to its place; one no
    note holds stays as written, with a warning at its line."""
    for a in list(root.iter("a")):
        block = a.get("data-blockref")
        if block is None:
            continue
        line = a.attrib.pop("data-line", None)
        a.attrib.pop("data-blockref")
        found = ctx.archived.get(f"block:{block}")
        if found is None:
            ctx.warn(UNRESOLVED_BLOCK, f"(({block})) names no block of this site's notes", line)
            a.drop_tag()
            continue
        for child in list(a):
            a.remove(child)
        shown = parse_fragment(ctx.archived.get(f"block-text:{block}") or escape(block))
        for inner in list(shown.iter("a")):  # no link inside the link
            inner.drop_tag()
        a.text = shown.text
        a.extend(shown)
        target, _, fragment = found.partition("#")
        link_to(a, target, fragment, ctx)


def link_to(a: HtmlElement, target: str, fragment: str, ctx: RewriteContext) -> None:
    """Point *a* at the archived page *target* (a site path), and note it with its sentence for that page's 被引用."""
    a.set("href", urls.relative(target, ctx.page) + (f"#{fragment}" if fragment else ""))
    if target != ctx.page:
        ctx.links.append((target, sentence_of(a)))


# Where a sentence ends, in Chinese or English text.
_SENTENCE_END = re.compile(r"[。！？!?；;]|\.(?=\s)")
_BLOCKS = {"p", "li", "blockquote", "td", "th", "dd", "dt", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section"}
_SPACES = re.compile(r"\s+")
_AROUND = 60  # characters of a sentence kept on either side of the link


def sentence_of(a: HtmlElement) -> str:
    """The sentence the link *a* is in: in its paragraph (list item, cell), from the end of the one before to its own end."""
    block = a.getparent()
    while block is not None and block.tag not in _BLOCKS and block.getparent() is not None:
        block = block.getparent()
    if block is None:
        return " ".join(a.text_content().split())
    text, tail = a.text, a.tail
    a.text, a.tail = _START + (text or ""), _END + (tail or "")  # marks where the link's text is in the block's
    whole = block.text_content()
    a.text, a.tail = text, tail
    before, _, rest = whole.partition(_START)
    inside, _, after = rest.partition(_END)
    ends = list(_SENTENCE_END.finditer(before))
    end = _SENTENCE_END.search(after)
    lead = _SPACES.sub(" ", before[ends[-1].end() if ends else 0:]).lstrip()
    trail = _SPACES.sub(" ", after[: end.end()] if end else after).rstrip()
    # A long sentence is cut on both sides of the link, which always shows.
    lead = lead if len(lead) <= _AROUND else "…" + lead[-_AROUND:].lstrip()
    trail = trail if len(trail) <= _AROUND else trail[:_AROUND].rstrip() + "…"
    return _SPACES.sub(" ", lead + inside + trail).strip()


_START, _END = "\ue000", "\ue001"  # private use: no archive text means them here
