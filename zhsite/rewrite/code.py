"""Code blocks highlighted by Pygments at build time, language kept.

Zhihu code arrives as ``div.highlight > pre > code.language-x`` (sometimes
already split into spans by another highlighter); Markdown fences arrive as
``pre > code.language-x``.  Either way the text is re-highlighted so every
block uses the same classes, styled by the theme's light and dark sheets.
A long line scrolls inside its block, so the block takes keyboard focus too.
A block without a language gets the one Pygments is confident of, else stays plain.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape

from lxml.html import HtmlElement
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name, guess_lexer
from pygments.util import ClassNotFound

from zhsite.rewrite.context import RewriteContext
from zhsite.tree import parse_element, replace

PLAIN = {"", "text", "plain", "plaintext", "none", "txt"}
_FORMATTER = HtmlFormatter(nowrap=True)


def _language(code: HtmlElement) -> str:
    for cls in (code.get("class") or "").split():
        if cls.startswith(("language-", "lang-")):
            return cls.split("-", 1)[1].lower()
    return ""


@lru_cache(maxsize=256)
def _lexer(language: str):
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


# Pygments' analysers score a text 0…1; below this a guess is mostly wrong (Chinese prose "is" scdoc).
_CONFIDENT = 0.5


def _guessed_language(source: str) -> str:
    """A language for an unlabeled block when Pygments is sure (a shebang, ``import numpy``), else ""."""
    try:
        lexer = guess_lexer(source)
    except ClassNotFound:
        return ""
    return lexer.aliases[0] if lexer.aliases and lexer.analyse_text(source) >= _CONFIDENT else ""


def highlight_code(root: HtmlElement, ctx: RewriteContext) -> None:
    for pre in list(root.iter("pre")):
        for hidden in pre.xpath(".//script | .//style | .//template"):  # never shown by a browser: not code either
            hidden.drop_tree()
        code = pre.find("code")
        language = _language(code) if code is not None else ""
        source = (code if code is not None else pre).text_content().rstrip("\n")
        if not language:
            language = _guessed_language(source)
        lexer = None if language in PLAIN else _lexer(language)
        body = highlight(source, lexer, _FORMATTER) if lexer else escape(source)
        label = f' class="language-{escape(language)}"' if language else ""
        block = parse_element(f'<div class="highlight"><pre tabindex="0"><code{label}>{body}</code></pre></div>')
        wrapper = pre.getparent()
        if wrapper is not None and wrapper.tag == "div" and "highlight" in (wrapper.get("class") or "") and len(wrapper) == 1:
            replace(wrapper, block)
        else:
            replace(pre, block)
