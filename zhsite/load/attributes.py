"""Kramdown's attribute lists, as 思源笔记 (SiYuan) and Jekyll write them: ``{: id="20231225121615-bp663zj"}``.

SiYuan's Markdown keeps each block's attributes on a line after it (its id,
its style, when it was updated), and Jekyll's kramdown posts mark a block with
``{: .notice}`` or ask for a contents list with ``{:toc}``; inline, SiYuan puts
one after a span (``**标题**{: style="font-size: 24px;"}``).  CommonMark reads
them as text, one after every paragraph.  Here each line of one is an empty
HTML comment (a line kept for each line, so warnings keep their numbers, and a
list stays tight), and an inline one is left out; in code they stay as written.
"""
from __future__ import annotations

import re

from zhsite.load.codespans import outside_code

# A line that is one attribute list; inline, one that names attributes (``{: style="…"}``, ``{: .class}``, ``{: #id}``),
# not any brace after a colon in prose.
_LINE = re.compile(r"^([ \t]*+)\{:[^{}\n]*+\}[ \t]*+$", re.M)
_INLINE = re.compile(r"\{:[ \t]*+(?:[.#][\w-]++|[\w-]++=(?:\"[^\"\n]*+\"|'[^'\n]*+'|[^\s}]++))(?:[ \t]++(?:[.#][\w-]++|[\w-]++=(?:\"[^\"\n]*+\"|'[^'\n]*+'|[^\s}]++)))*+[ \t]*+\}")


def without_attribute_lists(body: str) -> str:
    """*body* without kramdown's attribute lists, outside code."""
    if "{:" not in body:
        return body
    return outside_code(body, lambda text: _INLINE.sub("", _LINE.sub(r"\1<!---->", text)))
