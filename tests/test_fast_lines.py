"""FastStateBlock gives markdown-it-py's own block state, and the parsers using it the same tokens and HTML."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import normalize

from tests.conftest import CONTENT
from zhsite.load.fast_lines import FastParserBlock, FastStateBlock
from zhsite.load.markdown import new_markdown_parser
from zhsite.rewrite.pasted_markdown import pasted_markdown_parser

SNIPPET = """\
# 实验平台

> 引用\t带制表符
>\t> 嵌套的引用
\t> 缩进的引用

- 列表项
\t- 制表符缩进的子项
  \t- 空格加制表符
    1. 有序\t子项

```python
def f(x):
\treturn x  # 制表符
```

\tcode block
 \t mixed indent code

| a | b |
|---|---|
| 1 | 2 |

$$
x^2
$$
\u3000\u3000全角空格开头的段落
文本\t中间的制表符\t
   \n\t\n \t \n
最后一行没有换行"""

SOURCES = [
    "", "a", "a\n", "a\n\n", "\n", "\n\n\n", " ", "\t", "  \t ", "a\n  ", "a\n\t", "a\n \t\n", " \n", "\t\n",
    "\ta", " \ta", "  \ta", "   \ta", "\t \ta", "\t\t\tb\n", "a\tb\tc", "a \t", "  a  \n  b  ",
    "a\r\nb\r\n", "a\rb\r", "\r\n  \r\n", "中文段落\n\n第二段。\n", "\u3000\u3000缩进\n\u3000", " \u3000a", "\x00", "a\x00\n\x00",
    "x" * 100_000, " " * 50_000 + "x", "\t" * 1000 + "x\n" + "y" * 1000, SNIPPET, SNIPPET + "\n", SNIPPET.replace("\n", "\r\n"),
]

# Characters that decide the line marks, and some that decide the blocks, more often than arbitrary text has them.
MARKDOWN = st.text(st.sampled_from(" \t\n\r\u3000\x00a中#>-*`1.$|[]()_~\\<"), max_size=200) | st.text(max_size=200)


def fast(md: MarkdownIt) -> MarkdownIt:
    assert isinstance(md.block, FastParserBlock)
    return md


def slow(md: MarkdownIt) -> MarkdownIt:
    """*md* parsing blocks with markdown-it's own ``ParserBlock`` and ``StateBlock``, under the same rules."""
    block = ParserBlock()
    block.ruler = md.block.ruler
    md.block = block
    return md


PARSERS = [
    (fast(new_markdown_parser(html=True)), slow(new_markdown_parser(html=True))),
    (fast(pasted_markdown_parser()), slow(pasted_markdown_parser.__wrapped__())),
]


def assert_same_state(src: str) -> None:
    md, env, tokens = PARSERS[0][0], {}, []
    assert vars(FastStateBlock(src, md, env, tokens)) == vars(StateBlock(src, md, env, tokens))


def assert_same_output(src: str) -> None:
    for new, old in PARSERS:
        new_env, old_env = {}, {}
        assert new.parse(src, new_env) == old.parse(src, old_env)
        assert new_env == old_env
        assert new.render(src) == old.render(src)


@pytest.mark.parametrize("src", SOURCES)
def test_same_state(src):
    assert_same_state(src)


def test_same_state_on_what_reaches_the_block_parser():
    """markdown-it normalises the source before its block parser sees it: CRLF and CR become LF, NUL U+FFFD."""
    for src in SOURCES:
        state = StateCore(src, PARSERS[0][0], {})
        normalize(state)
        assert_same_state(state.src)


@pytest.mark.parametrize("path", sorted(CONTENT.glob("*.md")), ids=lambda path: path.name)
def test_same_state_and_output_on_the_seed_notes(path):
    src = path.read_text(encoding="utf-8")
    assert_same_state(src)
    assert_same_output(src)


@pytest.mark.parametrize("src", SOURCES)
def test_same_output(src):
    assert_same_output(src)


@settings(max_examples=500, deadline=None)
@given(MARKDOWN)
def test_same_state_on_any_text(src):
    assert_same_state(src)


@settings(max_examples=200, deadline=None)
@given(MARKDOWN)
def test_same_output_on_any_text(src):
    assert_same_output(src)
