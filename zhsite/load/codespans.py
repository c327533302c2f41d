"""Where a note's Markdown is code, before it is parsed: the text passes that change an app's marks skip it.

Obsidian's comments and embeds, kramdown's attribute lists: in a fenced block
or an inline code span they are code, shown as written.
"""
from __future__ import annotations

import re
from collections.abc import Callable

# Fenced blocks and inline code spans (of one or two backticks).
CODE = re.compile(r"^ {0,3}(```|~~~).*?(?:^ {0,3}\1|\Z)|``[^\n]*?``|`[^`\n]*`", re.M | re.S)


def outside_code(body: str, change: Callable[[str], str]) -> str:
    """*body* with *change* made to each stretch of it that is not code."""
    out, end = [], 0
    for code in CODE.finditer(body):
        out += [change(body[end:code.start()]), code.group(0)]
        end = code.end()
    return "".join(out) + change(body[end:])
