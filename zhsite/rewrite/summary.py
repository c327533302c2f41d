"""What lists and link previews say of a body: its first sentences, and how long it takes to read.

Made once here, where the body is made and cached, rather than by each page
that lists the article.  The excerpt is plain text: the first paragraphs'
words, each formula as [公式] as on Zhihu (MathML reads as loose letters), without reference markers
or anything the sanitiser removes, cut after a sentence.  The length counts
what a reader reads: each CJK character one, each other word two (a reader
takes about as long over an English word as over two characters), so the
theme can say 约 N 分钟 at a rate of characters a minute.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

from lxml import etree
from lxml.html import HtmlElement

from zhsite.rewrite.local_images import UNSAVED_BOX

EXCERPT_MIN = 60   # characters: enough to say what the text is about
EXCERPT_MAX = 120  # about two lines of a list at 40 characters a line
_HIDDEN = frozenset({"math", "sup", "script", "style", "template", "noscript"})  # text inside these is never read
_BOX_TAGS = frozenset({"a", "span"})  # what the box of a picture not saved (UNSAVED_BOX) is made of
# Runs of CJK characters: counted by their length, and a run is no word (one match a run, not one a character).
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]+")
_WORD = re.compile(r"[^\W_]+")
PREVIEW_TEXT = 120  # characters of a page's first lines in its link preview (zhsite/render/links.py)
_SENTENCE_END = re.compile(r"[。！？!?…](?=[^。！？!?…”」』）)]|$)|\.(?=\s)")


def visible_texts(root: HtmlElement, formula: str = "") -> Iterator[str]:
    """The text inside *root* a reader reads, piece by piece in document order: none inside :data:`_HIDDEN`;
    each formula as *formula*, when given.

    Walked here rather than asked of libxml2's XPath (``.//text()[not(ancestor::math …)]``),
    which orders its results by comparing nodes: for elements a pass made (not parsed) that
    compares along their siblings, and a page of 20,000 such links took 10 s, 100,000 five minutes.
    """
    hidden = sum(1 for ancestor in root.iterancestors() if _unread(ancestor))
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):  # only its tail is text
            if element.tail and not hidden:
                yield element.tail
        elif event == "start":
            if formula and element.tag == "math" and not hidden:
                yield formula
            hidden += _unread(element)
            if element.text and not hidden:
                yield element.text
        else:
            hidden -= _unread(element)
            if element.tail and not hidden and element is not root:
                yield element.tail


def _unread(element: HtmlElement) -> bool:
    """Inside :data:`_HIDDEN`, or the box that stands for a picture that could not be saved (its "图片未能保存" is no
    word of the author's: a list showed it as a note's first line).  Asked of every element a summary walks: the class
    is read only of the two tags the box is made of."""
    tag = element.tag
    return tag in _HIDDEN or (tag in _BOX_TAGS and element.get("class") == UNSAVED_BOX)


def visible_text(element: HtmlElement, formula: str = "") -> str:
    return " ".join("".join(visible_texts(element, formula)).split())


# The words of the box standing for a picture that could not be saved (zhsite/rewrite/local_images.py): the site's.
_UNSAVED = re.compile(r'<span class="image-unavailable-(?:label|size)">[^<]*</span>')
# A formula in the sanitised body, to its end or to the end of the opening read (a long one is cut there).
_MATH = re.compile(r"<math\b.*?(?:</math>|$)", re.S)
# What an excerpt says for a formula, as Zhihu's own lists do: its MathML read as text is loose letters, and left out
# the sentence has a hole ("更新规则是 。").
FORMULA = "[公式]"


def _is_notice(p: HtmlElement) -> bool:
    """A paragraph set all in bold ("船长黑板报所有文章…均在", "欢迎探讨"): a column's notice or a heading, not its text."""
    bold = "".join(visible_text(b) for b in p.xpath("./b | ./strong"))
    return bool(bold) and bold.replace(" ", "") == visible_text(p).replace(" ", "")


def excerpt(root: HtmlElement) -> str:
    """The body's first sentences, EXCERPT_MIN to EXCERPT_MAX characters, or its opening words with "…"."""
    text = ""
    for p in root.iter("p"):
        if p.xpath("ancestor::blockquote or ancestor::figure or ancestor::li or ancestor::table or ancestor::aside") or _is_notice(p):
            continue
        words = visible_text(p, FORMULA)
        spaced = text and words and text[-1].isascii() and words[0].isascii()  # Chinese paragraphs join without a space
        text = f"{text}{' ' if spaced else ''}{words}"
        if len(text) >= EXCERPT_MIN:
            break
    if len(text) <= EXCERPT_MAX:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, EXCERPT_MAX) if m.end() >= EXCERPT_MIN // 2]
    return text[:ends[-1]] if ends else text[:EXCERPT_MAX - 1].rstrip() + "…"


def reading_length(root: HtmlElement) -> int:
    """The text's length in CJK characters: each one counts one, each other word two."""
    text = "".join(visible_texts(root))
    cjk = sum(map(len, _CJK.findall(text)))
    words = len(_WORD.findall(_CJK.sub(" ", text)))
    return cjk + 2 * words


# A paragraph, and a tag, in the sanitised HTML of a body (zhsite/rewrite/sanitise.py: no comments, scripts or CDATA).
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]*>")


def first_lines(html: str) -> str:
    """The opening text of a body, about PREVIEW_TEXT characters of its paragraphs (else of all it shows).

    Read with two patterns, not parsed: the body is the sanitiser's output,
    and parsing every article's HTML once more cost a large build seconds.
    """
    opening = _UNSAVED.sub("", _MATH.sub(FORMULA, html[: PREVIEW_TEXT * 20]))
    paragraphs = _PARAGRAPH.findall(opening) or [opening]
    text = " ".join(unescape(" ".join(_TAG.sub("", p) for p in paragraphs)).split())
    return text if len(text) <= PREVIEW_TEXT else text[: PREVIEW_TEXT - 1] + "…"
