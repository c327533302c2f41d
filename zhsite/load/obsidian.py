"""Obsidian's own Markdown, read as Obsidian shows it: comments, highlights, block ids and tags in the text.

Read as CommonMark, each was shown as written: ``%%…%%``, a comment Obsidian
hides in reading view and never publishes, was published word for word;
``==重点==`` showed its equals signs; a block id (``… ^lr-def``, what
``[[笔记#^lr-def]]`` links to) stayed at the end of its paragraph as text.
Here a note's comment is left out (a line's count kept, so later lines keep
their numbers in warnings), a highlight is ``<mark>`` (also Typora's), and a block id
becomes its block's ``id``, where such a link lands.  Code keeps all of them as
written.  A ``%%`` never closed is text: left out, it would hide the rest of the note.

A tag written in the text (``#机器学习``, ``#深度学习/CNN``: Obsidian's, Bear's and Logseq's way to tag a note, never
its front matter) was only text: the note's topics are these too (:func:`inline_tags`), the text left as written.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from zhsite.load.codespans import CODE, outside_code

_IMAGE_FILE = r"[^\[\]|\n]+\.(?:png|jpe?g|gif|webp|svg|bmp|avif)"
_EMBED = re.compile(rf"!\[\[(?P<name>{_IMAGE_FILE})(?:\|[^\]\n]*)?\]\]", re.I)
# A block id: at the end of a block's text, after a space; letters, digits and dashes (:func:`_is_id`).  Possessive:
# a line of a million id characters is read once, not once for each place a letter could be.
_BLOCK_ID = re.compile(r"\s\^([A-Za-z0-9-]++)[ \t]*+$")
_ALONE = re.compile(r"\^([A-Za-z0-9-]++)")
# A tag in the text: "#" at the start of a word, then letters, digits, "_", "-" and "/" (nested), not digits alone
# (Obsidian's rules: "#1" and "C#" are no tags, and a tag ends at a space or a punctuation mark, "，" too).
_TAG = re.compile(r"(?<![^\s])#([\w/-]*[^\W\d][\w/-]*)")
_NO_CLOSING = -1  # the key, in an inline state's cache, of the position after which no ``==`` closes a highlight


def obsidian_syntax(md: MarkdownIt) -> None:
    """The plugin: ``==highlight==`` and block ids (comments go before parsing: :func:`without_comments`)."""
    md.inline.ruler.before("emphasis", "highlight", _highlight)
    md.core.ruler.before("inline", "block_ids", _block_ids)


def obsidian_text(body: str) -> str:
    """Markdown before it is parsed, with ``![[image.png]]`` (or ``![[image.png|300]]``) as the Markdown image it
    means; in code, as written."""
    return outside_code(body, _as_images)


def inline_tags(tokens: list[Token]) -> list[str]:
    """The tags written in a note's text (not in its code, links' addresses or headings' marks), in order, each once."""
    texts = (child.content for token in tokens if token.type == "inline" for child in token.children or () if child.type == "text")
    return list(dict.fromkeys(tag for text in texts for tag in tags_in_text(text)))


def tags_in_text(text: str) -> list[str]:
    """The tags written in *text* (``#机器学习``, ``#深度学习/CNN``), in order: Obsidian's, Bear's and flomo's way to tag."""
    return [tag for match in _TAG.finditer(text) if (tag := match[1].strip("/"))] if "#" in text else []


def _as_images(text: str) -> str:
    return _EMBED.sub(lambda m: f"![](<{m['name'].strip()}>)", text)


def without_comments(body: str) -> str:
    """A note's text without Obsidian's comments, each replaced by the line breaks it held; in code, ``%%`` is code.
    Not a post's: an exported Zhihu answer is no Obsidian note, and text between two ``%%`` of its is the author's."""
    if "%%" not in body:
        return body
    out: list[str] = []
    held: list[str] = []  # the comment open now, as written: put back if it never closes
    hidden, end = False, 0
    for code in [*CODE.finditer(body), None]:
        text = body[end:code.start() if code else len(body)]
        for n, part in enumerate(text.split("%%")):
            if n:
                hidden = not hidden
                if hidden:
                    held = ["%%"]
                else:
                    out.append("\n" * "".join(held).count("\n"))
                    held = []
            (held if hidden else out).append(part)
        if code is not None:
            (held if hidden else out).append(code.group(0))
            end = code.end()
    return "".join(out + held)


def _highlight(state: StateInline, silent: bool) -> bool:
    """``==text==`` as ``<mark>``: its text parsed as the line's (``==**重点**==``), not across a blank line.  Neither
    ``==`` may touch a Latin letter or digit outside it: ``if x==1 and y==2`` in prose is a comparison, twice."""
    start, src = state.pos, state.src
    if not src.startswith("==", start) or start + 2 >= state.posMax or src[start + 2] in " \t\n=" or _is_word(src, start - 1):
        return False
    if start >= state.cache.get(_NO_CLOSING, state.posMax):
        return False
    end = src.find("==", start + 3, state.posMax)
    while end >= 0 and (src[end - 1].isspace() or _is_word(src, end + 2) or src.startswith("=", end + 2)):
        end = src.find("==", end + 1, state.posMax)
    if end < 0:
        state.cache[_NO_CLOSING] = start  # no later opening has a closing either: each is looked for once
        return False
    if not silent:
        limit = state.posMax
        state.push("mark_open", "mark", 1).markup = "=="
        state.pos, state.posMax = start + 2, end
        state.md.inline.tokenize(state)
        state.push("mark_close", "mark", -1).markup = "=="
        state.posMax = limit
    state.pos = end + 2
    return True


def _is_word(src: str, at: int) -> bool:
    """A Latin letter, digit or underscore at *at* (a Chinese character is none: ``这是==重点==需要`` is marked)."""
    return 0 <= at < len(src) and src[at].isascii() and (src[at].isalnum() or src[at] == "_")


def _block_ids(state: StateCore) -> None:
    """Each block id an ``id`` of its block: a paragraph's, a list item's (its paragraph is not drawn), or, on a line
    of its own after a table, quote or list, that block's."""
    tokens = state.tokens
    at = 0
    while at < len(tokens):
        token = tokens[at]
        if token.type != "inline" or "^" not in token.content or tokens[at - 1].type != "paragraph_open":
            at += 1
            continue
        alone = _ALONE.fullmatch(token.content.strip())
        if alone is not None and _is_id(alone[1]) and (block := _block_before(tokens, at - 1)) is not None:
            block.attrSet("id", f"^{alone[1]}")
            del tokens[at - 1:at + 2]
            continue
        found = _BLOCK_ID.search(token.content)
        if found is not None and _is_id(found[1]):
            token.content = token.content[:found.start()]
            _drawn_opening(tokens, at).attrSet("id", f"^{found[1]}")
        at += 1


def _is_id(name: str) -> bool:
    """Three characters or more (Obsidian makes six), a letter or dash among them: ``x ^2`` and ``X ^T`` ending a
    paragraph are a power and a transpose, not block ids."""
    return len(name) >= 3 and not name.isdigit()


def _drawn_opening(tokens: list[Token], inline: int) -> Token:
    """The opening tag an inline's text is drawn in: its paragraph, or the list item of a paragraph a tight list hides."""
    opening = tokens[inline - 1]
    if opening.hidden and inline >= 2 and tokens[inline - 2].type == "list_item_open":
        return tokens[inline - 2]
    return opening


def _block_before(tokens: list[Token], opening: int) -> Token | None:
    """The opening token of the block that ends right before *opening* at its level (a code block is its own)."""
    if opening == 0:
        return None
    last = tokens[opening - 1]
    if last.nesting == 0:
        return last if last.block and last.level == tokens[opening].level else None
    if last.nesting != -1:
        return None
    for earlier in range(opening - 2, -1, -1):
        if tokens[earlier].nesting == 1 and tokens[earlier].level == last.level and tokens[earlier].tag == last.tag:
            return tokens[earlier]
    return None
