"""Markdown pasted into Zhihu's editor, rendered as the author meant it.

Authors who write on GitHub paste their Markdown source into Zhihu, which keeps
it as text: ``<p>## 实验平台</p>``, ``<p>模型**文件的体积**</p>``, a fence spread
over paragraphs (``<p>```python</p><p>x = 1</p><p>```</p>``) and links whose
target Zhihu auto-linked (``[《Title》](<a href="https://link.zhihu.com/?target=…">…</a>)``).

A post with paragraphs that open with an ATX heading or a fence was written in
Markdown: each run of its top-level paragraphs is read as the Markdown source
it was, one paragraph per line as pasted, with the project's Markdown engine
(zhsite/load/markdown.py).  In any other post only a paragraph that is clearly
Markdown (paired ``**``, ``[text](url)``, a ``\\*`` escape) has
its inline Markdown rendered; a stray ``*`` is left alone.  Zhihu's own
elements inside a paragraph (bold, links, formulas) stand in the source as
placeholders and are put back untouched, so formulas and real HTML structure
never pass through Markdown.

Runs before the heading, formula and code passes, which then treat the
headings, ``span.math`` and fenced ``pre > code.language-x`` it makes like any other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml.html import HtmlElement
from markdown_it import MarkdownIt
from markdown_it.rules_inline import emphasis
from markdown_it.rules_inline.state_inline import StateInline

from zhsite.load.markdown import new_markdown_parser
from zhsite.rewrite.cleanup import is_empty_paragraph
from zhsite.rewrite.context import RewriteContext
from zhsite.rewrite.links import redirect_target
from zhsite.rewrite.local_images import unavailable_image
from zhsite.tree import parse_fragment, replace, text_of

# A paragraph that opens a heading or a fence makes the whole post Markdown source.
_BLOCK = re.compile(r"^ {0,3}(#{1,6}[ \t\u3000]+\S|```)")
_HEADING_SPACE = re.compile(r"^( {0,3}#{1,6})[ \t\u3000]+")
_FENCE = re.compile(r"^ {0,3}```")
_CLOSING_FENCE = re.compile(r"`{3,}")
# Inline Markdown a paragraph of ordinary text does not have by accident.
_INLINE = re.compile(
    r"\*\*(?=\S)[^*\n]+?(?<=\S)\*\*"  # **bold**
    r"|\[[^\[\]\n]+\]\(<?(?:https?://|#)"  # [text](url); the text stops at a "[", or a line of "[" is scanned from each
    r"|\\[*_`#\[\]]"  # \* escapes
)
# What the text holds wherever a pattern above can match: a character every heading, fence and inline
# pattern holds, or the "](" before a link Zhihu made of a URL, whose address a paragraph's line takes in.
_MARKS = ("#", "`", "*", "[", "\\", "](")
# Lines of one block when pasted on consecutive paragraphs: quotes, table rows, list items.
_CONTINUED = re.compile(r"(?P<quote> {0,3}>)|(?P<table> {0,3}\|)|(?P<list>\s*(?:[-+*]|\d{1,9}[.)])\s)")
_WEB_URL = re.compile(r"^(?:https?:)?//", re.I)
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
# Han, kana, hangul, CJK and full-width punctuation.
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


@lru_cache(maxsize=1)
def pasted_markdown_parser() -> MarkdownIt:
    md = new_markdown_parser(html=False)
    md.inline.ruler.at("emphasis", _emphasis_beside_cjk)
    # Zhihu's formulas are images, kept aside; a "$" in pasted text is a shell variable or a price.
    md.disable(["math_inline", "math_block"])
    return md


def _emphasis_beside_cjk(state: StateInline, silent: bool) -> bool:
    """CommonMark's ``*`` emphasis, plus runs between CJK text and punctuation.

    ``是**“对数几率”**。`` or ``（Generative）**的`` is bold as the author meant
    (and as markdown-it-cjk-friendly reads it), while CommonMark's flanking rules,
    written for spaced languages, leave the asterisks as text.
    """
    start, before = state.pos, len(state.delimiters)
    if not emphasis.tokenize(state, silent):
        return False
    if state.src[start] == "*":
        last = state.src[start - 1] if start > 0 else " "
        following = state.src[state.pos] if state.pos < state.posMax else " "
        opens = bool(_CJK.match(last)) and not following.isspace()
        closes = bool(_CJK.match(following)) and not last.isspace()
        for delimiter in state.delimiters[before:]:
            delimiter.open = delimiter.open or opens
            delimiter.close = delimiter.close or closes
    return True


@dataclass
class _Source:
    """Markdown source for some paragraphs, and the elements its placeholders stand for."""

    kept: list[HtmlElement]

    def line(self, p: HtmlElement) -> str:
        """*p* as the Markdown line(s) it was pasted from."""
        parts = [p.text or ""]
        for child in p:
            tail = child.tail or ""
            if child.tag == "br":
                parts.append("\\\n")  # a hard line break
            elif _autolinked(parts[-1], child):
                if parts[-1].endswith("]((") and tail.startswith("))"):  # the author's slip for "](" URL ")"
                    parts[-1], tail = parts[-1][:-1], tail[1:]
                parts.append(redirect_target(child.get("href") or "") or child.get("href") or "")
            else:
                parts.append(f"\ue000{len(self.kept)}\ue001")
                self.kept.append(child)
            parts.append(tail)
        return _HEADING_SPACE.sub(r"\1 ", "".join(parts))


def _autolinked(before: str, a: HtmlElement) -> bool:
    """``[text](`` + a link Zhihu made of the URL + ``)``: the URL belongs in the Markdown."""
    return (
        a.tag == "a"
        and bool(a.get("href"))
        and before.endswith(("](", "](<", "](("))
        and (a.tail or "").startswith((")", ">)"))
    )


def _code_line(p: HtmlElement) -> str:
    """A line inside a fence: its text as written, links and all."""
    parts = [p.text or ""]
    for child in p:
        parts.append("\n" if child.tag == "br" else child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)


def _kind(line: str) -> str | None:
    found = _CONTINUED.match(line)
    return found.lastgroup if found else None


def _runs(root: HtmlElement) -> list[list[HtmlElement]]:
    """Runs of consecutive top-level paragraphs, with nothing but white space between them."""
    runs: list[list[HtmlElement]] = []
    current: list[HtmlElement] = []
    for child in root:
        if child.tag == "p":
            current.append(child)
        elif current:
            runs.append(current)
            current = []
        if (child.tail or "").strip() and current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _run_source(run: list[HtmlElement], source: _Source) -> str:
    """One run as Markdown: a blank line between paragraphs, except inside fences and multi-line blocks."""
    out: list[str] = []
    fenced = False
    previous: str | None = None  # the kind of the last line, None after a blank
    for p in run:
        if fenced:
            line = "" if is_empty_paragraph(p) else _code_line(p)
            fenced = not _CLOSING_FENCE.fullmatch(line.strip())
            out.append("\n" + line)
            continue
        if is_empty_paragraph(p):
            previous = None
            continue
        line = source.line(p)
        kind = _kind(line)
        joined = out and kind is not None and kind == previous
        out.append(("\n" if joined else "\n\n" if out else "") + line)
        previous = kind
        fenced = bool(_FENCE.match(line))
    return "".join(out)


def _restore(container: HtmlElement, kept: list[HtmlElement]) -> None:
    """Put each kept element back where its placeholder landed in the rendered HTML."""
    if not kept:
        return
    for element in list(container.iter()):
        if element.text and _PLACEHOLDER.search(element.text):
            pieces = _PLACEHOLDER.split(element.text)
            element.text = pieces[0]
            for position, (number, after) in enumerate(zip(pieces[1::2], pieces[2::2], strict=True)):
                kept_element = kept[int(number)]
                kept_element.tail = after
                element.insert(position, kept_element)
        if element is not container and element.tail and _PLACEHOLDER.search(element.tail):
            pieces = _PLACEHOLDER.split(element.tail)
            element.tail = pieces[0]
            anchor = element
            for number, after in zip(pieces[1::2], pieces[2::2], strict=True):
                kept_element = kept[int(number)]
                kept_element.tail = after
                anchor.addnext(kept_element)
                anchor = kept_element


def _without_dead_ends(rendered: HtmlElement) -> None:
    """``![](images/x.png)`` names a file in the author's repository, which the archive does not hold;
    ``[Perceptual GAN]()`` links nowhere."""
    for img in list(rendered.iter("img")):
        if not _WEB_URL.match(img.get("src") or ""):
            replace(img, unavailable_image(img, "", in_link=True))
    for a in list(rendered.iter("a")):
        if not (a.get("href") or "").strip():
            a.drop_tag()


def _replace_run(run: list[HtmlElement], html: str, kept: list[HtmlElement]) -> None:
    rendered = parse_fragment(html)
    _without_dead_ends(rendered)
    _restore(rendered, kept)
    first = run[0]
    parent = first.getparent()
    at = parent.index(first)
    for offset, block in enumerate(rendered):
        parent.insert(at + offset, block)
    for p in run:
        parent.remove(p)  # their tails are white space between blocks


def _render_inline(p: HtmlElement) -> None:
    source = _Source([])
    line = source.line(p)
    if not _INLINE.search(line):
        return
    rendered = parse_fragment(f"<p>{pasted_markdown_parser().renderInline(line)}</p>")[0]
    _without_dead_ends(rendered)
    _restore(rendered, source.kept)
    for child in list(p):
        p.remove(child)
    p.text = rendered.text
    p.extend(rendered)


def render_pasted_markdown(root: HtmlElement, ctx: RewriteContext) -> None:
    text = root.text_content()
    if not any(mark in text for mark in _MARKS):
        return  # most posts and comments: nothing that could be Markdown, and the paragraphs are not read one by one
    runs = _runs(root)
    # A pasted line is a paragraph of its own ("# !/usr/bin/python<br># -*- coding…" is a script),
    # and one such line may be a comment: Markdown source has a few headings or fences.
    opening = sum(next(p.iterchildren("br"), None) is None and bool(_BLOCK.match(text_of(p))) for run in runs for p in run)
    written_in_markdown = opening >= 2
    if not written_in_markdown:
        for run in runs:
            for p in run:
                _render_inline(p)
        return
    md = pasted_markdown_parser()
    for run in runs:
        source = _Source([])
        _replace_run(run, md.render(_run_source(run, source)), source.kept)
