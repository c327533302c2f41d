"""Callouts: the boxes a note sets apart (a tip, a warning), as each app writes them, shown as boxes.

Obsidian and GitHub write a blockquote whose first line names the kind
(``> [!note] 标题``, ``> [!WARNING]``); 语雀's Markdown export, VuePress and
Docusaurus a container (``:::tips`` … ``:::``, ``::: warning 标题``,
``::: details 展开``), Quarto a fenced div (``::: {.callout-tip title="标题"}``;
one of no callout, ``::: {.columns}``, is a plain block).  Read as plain
Markdown, each showed its marks as text (``[!note]``, ``:::tips``) around what
it set apart.  Both become an
``<aside class="callout callout-<kind>">`` opening with its title (the one
written, else the kind's name in Chinese; 语雀's coloured boxes have none),
and ``details`` a ``<details>`` with its summary; the kind's colour is the
theme's.  A box Obsidian folds (``[!tip]-``) is shown open: nothing is hidden.

MkDocs (Material) and Python-Markdown write an admonition as ``!!! tip "标题"``
over an indented block (``???`` and ``???+`` fold it): read as plain Markdown,
the mark was a paragraph and the indented text a code block.  In a note
(:func:`admonitions`, mdit-py-plugins' ``admon`` parsing them) it is the same
box, open, titled as written, else by its kind (``!!! note ""``: no title).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.admon.index import admonition
from mdit_py_plugins.container import container_plugin

from zhsite.load.codespans import outside_code

# Each kind's title when none is written (Obsidian's kinds and their aliases, GitHub's, 语雀's, VuePress's).
TITLES = {
    **dict.fromkeys(("note",), "注"), **dict.fromkeys(("info",), "信息"), **dict.fromkeys(("important",), "重要"),
    **dict.fromkeys(("tip", "tips", "hint"), "提示"), **dict.fromkeys(("success", "check", "done"), "完成"),
    **dict.fromkeys(("warning", "caution", "attention"), "注意"),
    **dict.fromkeys(("danger", "error", "bug"), "警告"), **dict.fromkeys(("failure", "fail", "missing"), "失败"),
    **dict.fromkeys(("abstract", "summary", "tldr"), "摘要"), **dict.fromkeys(("question", "help", "faq"), "问题"),
    **dict.fromkeys(("example",), "示例"), **dict.fromkeys(("quote", "cite"), "引用"), **dict.fromkeys(("todo",), "待办"),
    **dict.fromkeys(("details",), "详情"),
}
# The kind, then the title, stripped after: possessive, so a run of spaces is read once.
_CONTAINER = re.compile(r"\s*+([A-Za-z][\w-]*+)(?:\s++(.*))?", re.S)
# Quarto's and pandoc's fenced div: its attributes in braces (``{.callout-tip title="标题"}``, ``{.columns}``).
_ATTRIBUTES = re.compile(r"\s*+\{([^{}\n]*+)\}\s*+")
_CLASS = re.compile(r"(?:^|\s)\.([A-Za-z][\w-]*+)")
_TITLE = re.compile(r"""(?:^|\s)title\s*+=\s*+(?:"([^"]*+)"|'([^']*+)')""")
_BLOCKQUOTE_MARK = re.compile(r"\[!([A-Za-z][\w-]*+)\][+-]?(?:[ \t]++(.*))?")


def callouts(md: MarkdownIt) -> None:
    """The plugin: ``:::`` containers of any kind, and blockquotes opening with ``[!kind]``."""
    container_plugin(md, "callout", validate=lambda params, *_: _container(params) is not None, render=_render_container)
    md.core.ruler.before("inline", "callout_blockquotes", _blockquote_callouts)


def title_of(kind: str, written: str) -> str:
    """The title a box shows: the one written, else its kind's (语雀's ``color1``…``color5`` have none)."""
    return written.strip() or TITLES.get(kind, "" if re.fullmatch(r"color\d", kind) else kind)


def _container(params: str) -> tuple[str, str] | None:
    """A container's kind and written title: ``tips``, ``warning 标题``, Quarto's ``{.callout-tip title="标题"}``; a
    fenced div of no callout (``{.columns}``) is kind "" (a plain block, its marks gone); None for no container."""
    found = _CONTAINER.fullmatch(params)
    if found is not None:
        return found[1].lower(), found[2] or ""
    braces = _ATTRIBUTES.fullmatch(params)
    if braces is None:
        return None
    classes = [name.lower() for name in _CLASS.findall(braces[1])]
    kind = next((name.removeprefix("callout-") for name in classes if name.startswith("callout-")), "")
    title = _TITLE.search(braces[1])
    return kind, (title[1] or title[2] or "") if title else ""


def _render_container(self, tokens: Sequence[Token], idx: int, _options, env) -> str:
    token = tokens[idx]
    if token.nesting == -1:
        opening = next(t for t in reversed(tokens[:idx]) if t.type == "container_callout_open" and t.level == token.level)
        kind = (_container(opening.info) or ("", ""))[0]
        return "</details>\n" if kind == "details" else "</aside>\n" if kind else "</div>\n"
    kind, written = _container(token.info) or ("", "")
    title = title_of(kind, written) if kind else ""
    if kind == "details":
        return f'<details class="callout"><summary>{escape(title)}</summary>\n'
    if not kind:
        return "<div>\n"
    heading = f'<p class="callout-title">{escape(title)}</p>\n' if title else ""
    return f'<aside class="callout callout-{kind}">\n{heading}'


def _blockquote_callouts(state: StateCore) -> None:
    """Each blockquote whose first line is ``[!kind] title``: an aside of that kind, the line its title paragraph."""
    tokens = state.tokens
    at = 0
    while at < len(tokens) - 2:
        opening, paragraph, inline = tokens[at], tokens[at + 1], tokens[at + 2]
        first, _, rest = inline.content.partition("\n")
        found = _BLOCKQUOTE_MARK.fullmatch(first) if opening.type == "blockquote_open" and paragraph.type == "paragraph_open" \
            and inline.type == "inline" else None
        if found is None:
            at += 1
            continue
        kind = found[1].lower()
        closing = next(t for t in tokens[at + 1:] if t.type == "blockquote_close" and t.level == opening.level)
        opening.tag = closing.tag = "aside"
        opening.attrSet("class", f"callout callout-{kind}")
        title = title_of(kind, found[2] or "")
        inline.content = rest
        made = _paragraph(title, opening.level + 1, "callout-title") if title else []
        tokens[at + 1:at + 1] = made
        if not rest.strip():  # the marker line was the whole paragraph
            del tokens[at + 1 + len(made):at + 4 + len(made)]
        at += 1


def _paragraph(text: str, level: int, css_class: str) -> list[Token]:
    opening = Token("paragraph_open", "p", 1, attrs={"class": css_class}, level=level, block=True)
    inline = Token("inline", "", 0, content=text, level=level + 1, block=True, children=[])
    return [opening, inline, Token("paragraph_close", "p", -1, level=level, block=True)]


def admonitions(md: MarkdownIt) -> None:
    """The plugin: MkDocs' and Python-Markdown's admonitions (``!!! kind "title"``, ``???``) as callouts; only of a kind
    MkDocs names (an ASCII word): a line of a note reading ``!!! 这很重要`` is the writer's exclamation, not a box."""
    admon_plugin(md, render=_render_admonition)
    md.block.ruler.at("admonition", _mkdocs_admonition)
    md.core.ruler.after("block", "admonition_titles", _admonition_titles)


# MkDocs Material's content tabs (pymdownx.tabbed): ``=== "PyTorch"`` over an indented block.
_TAB = re.compile(r'^([ \t]*)===(!?\+?)[ \t]+"([^"\n]*)"[ \t]*$', re.M)


def content_tabs(text: str) -> str:
    """Each of MkDocs' content tabs (``=== "PyTorch"``) written as an admonition of kind ``tab`` titled by the tab, one
    after the other: a page shows every tab's text (its indented block had been a code block)."""
    if "===" not in text:
        return text
    return outside_code(text, lambda part: _TAB.sub(lambda tab: f'{tab[1]}!!! tab "{tab[3]}"', part))


_ADMONITION = re.compile(r"(?:!!!|\?\?\?\+?)[ \t]++[A-Za-z][\w-]*+(?:[ \t]|$)")


def _mkdocs_admonition(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    line = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    return bool(_ADMONITION.match(line)) and admonition(state, start, end, silent)


def _render_admonition(self, tokens: Sequence[Token], idx: int, _options, env) -> str:
    token = tokens[idx]
    if token.type == "admonition_open":
        return f'<aside class="callout callout-{escape(token.meta.get("tag") or "note")}">\n'
    if token.type == "admonition_title_open":
        return '<p class="callout-title">'
    return "</p>\n" if token.type == "admonition_title_close" else "</aside>\n"


def _admonition_titles(state: StateCore) -> None:
    """An admonition with no title written is titled by its kind, in Chinese (admon's is its English name)."""
    for at, token in enumerate(state.tokens[:-1]):
        if token.type == "admonition_open" and len(token.info.split()) == 1 and state.tokens[at + 1].type == "admonition_title_open":
            state.tokens[at + 2].content = title_of(token.meta.get("tag", ""), "")
