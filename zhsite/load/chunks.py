"""Code chunks of R Markdown and Quarto (``.Rmd``, ``.qmd``): ```` ```{python} ````, ```` ```{r, echo=FALSE} ````.

Their fence names the language in braces, with the chunk's options, and
Quarto writes options inside it too (``#| echo: false``), which its rendered
page never shows.  Read as a fence's language, ``{python}`` named none that
Pygments knows, so the code was not highlighted.  Here the language is the
first word in the braces (``python``, ``r``; ``{.python}`` too) and the leading
``#|`` lines are left out, as Quarto shows the chunk.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

_CHUNK = re.compile(r"\{\s*+\.?([A-Za-z][\w+-]*+)[^}]*+\}.*")
_OPTION_LINES = re.compile(r"(?:[ \t]*+#\|[^\n]*+\n)++")


def code_chunks(md: MarkdownIt) -> None:
    """The plugin: each fence whose language is a chunk's braces reads as that language."""
    md.core.ruler.after("block", "code_chunks", _chunks)


def _chunks(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "fence" and token.info.startswith("{") and (chunk := _CHUNK.fullmatch(token.info.strip())):
            token.info = chunk[1].lower()
            options = _OPTION_LINES.match(token.content)
            if options is not None:
                token.content = token.content[options.end():]
