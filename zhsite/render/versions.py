"""What an older version of a post changed: its text against the newest's, with ``<del>`` and ``<ins>`` (docs/archives.md, Versions).

Text, not HTML: an edit or a censor's cut is in the words, and a diff of
markup would mark every re-wrapped tag.  Paragraphs are compared first and
the characters of changed ones after (Chinese has no spaces to split words
at), so a long article costs a paragraph-sized comparison, not a
character-by-character one of the whole.
"""
from __future__ import annotations

from difflib import SequenceMatcher

import markupsafe

from zhsite.model import Body
from zhsite.tree import read_fragment

# Elements that end a paragraph of text.
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "tr", "br", "hr", "div")
_MARKED = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}


def paragraphs(body: Body) -> list[str]:
    """The body's text, a string per paragraph, with no empty ones."""
    html = body.html  # read once: a body's HTML may be read from the build cache
    if not html.strip():
        return []
    root = read_fragment(html)
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    return [line.strip() for line in root.text_content().split("\n") if line.strip()]


def text_diff(older: Body, newest: Body) -> markupsafe.Markup:
    """*older*'s text with what the newest version cut in ``<del>`` and what it added in ``<ins>``, a line per paragraph."""
    ours, theirs = paragraphs(older), paragraphs(newest)
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
        if tag == "replace":
            out.append(_marked("\n".join(ours[i1:i2]), "\n".join(theirs[j1:j2])))
        else:
            out.append(markupsafe.Markup(_MARKED[tag]).format("\n".join(ours[i1:i2] or theirs[j1:j2])))
    return markupsafe.Markup("\n").join(out)


def _marked(old: str, new: str) -> markupsafe.Markup:
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "insert":
            out.append(markupsafe.Markup(_MARKED["delete" if tag == "replace" else tag]).format(old[i1:i2]))
        if tag in ("insert", "replace"):
            out.append(markupsafe.Markup(_MARKED["insert"]).format(new[j1:j2]))
    return markupsafe.Markup("").join(out)
