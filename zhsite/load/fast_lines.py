"""markdown-it-py's block state, its line marks found with str methods.

markdown-it-py 3.0.0's ``StateBlock.__init__`` walks the source one character
at a time in Python to find where each line starts and ends and how far it is
indented: that loop was about 10 % of the rewrite stage's CPU.  ``FastStateBlock``
splits the source on newlines instead and looks only at each line's leading
white space.  It gives the same state, attribute for attribute, which
tests/test_fast_lines.py checks against markdown-it-py's own.
"""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType


def fast_lines(md: MarkdownIt) -> None:
    """A markdown-it plugin: *md* parses blocks with ``FastStateBlock``, under the rules it has now."""
    block = FastParserBlock()
    block.ruler = md.block.ruler
    md.block = block


class FastParserBlock(ParserBlock):
    """``ParserBlock`` building a ``FastStateBlock``: its ``parse`` makes markdown-it's ``StateBlock`` by name."""

    def parse(self, src: str, md: MarkdownIt, env: EnvType, outTokens: list[Token]) -> list[Token] | None:
        if not src:
            return None
        state = FastStateBlock(src, md, env, outTokens)
        self.tokenize(state, state.line, state.lineMax)
        return state.tokens


class FastStateBlock(StateBlock):
    def __init__(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> None:
        # Every attribute but the line marks as markdown-it sets it: an empty source skips its loop.
        super().__init__("", md, env, tokens)
        self.src = src
        self.bMarks, self.eMarks, self.tShift, self.sCount = _line_marks(src)
        self.bsCount = [0] * len(self.bMarks)
        self.lineMax = len(self.bMarks) - 1  # the last entry is markdown-it's fake line


def _line_marks(src: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """Each line's start, end, leading white space (characters) and indent (columns), as ``StateBlock`` finds them.

    Like markdown-it, the text after the last newline is no line when it is
    only spaces and tabs (or nothing), and a fake line at the end follows.
    """
    starts, ends, shifts, counts = [], [], [], []
    start, length = 0, len(src)
    for line in src.split("\n"):
        end = start + len(line)
        if line and line[0] not in " \t":
            indent = columns = 0
        else:
            indent = len(line) - len(line.lstrip(" \t"))
            if end == length and indent == len(line):
                break
            columns = _columns(line[:indent]) if "\t" in line[:indent] else indent
        starts.append(start)
        ends.append(end)
        shifts.append(indent)
        counts.append(columns)
        start = end + 1
    return [*starts, length], [*ends, length], [*shifts, 0], [*counts, 0]


def _columns(white: str) -> int:
    """The width of leading spaces and tabs, a tab reaching the next multiple of 4."""
    column = 0
    for character in white:
        column += 4 - column % 4 if character == "\t" else 1
    return column
