"""Formats and encodings are read from the bytes, never from the file name."""
from __future__ import annotations

import pytest

from tests.conftest import CONTENT
from zhsite.load.sniff import UndecodableError, decode, sniff


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("shallow-learning-column.json", "json"),
        ("captain-blackboard-column.json", "json"),
        ("cv-lecture-notes.md", "markdown"),
        ("deep-learning-notes.md", "markdown"),
        ("dl-hotpot-faq.txt", "text"),
    ],
)
def test_seed_formats_are_sniffed_from_content(name, kind):
    assert sniff(decode((CONTENT / name).read_bytes())) == kind


def test_bom_gb18030_and_crlf_decode_to_the_same_text():
    text = "DL超级大火锅\n\n0x00 文章来由\n"
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("gb18030")) == text
    assert decode(text.replace("\n", "\r\n").encode("utf-8")) == text


def test_binary_is_refused_with_a_reason():
    with pytest.raises(UndecodableError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("# 检测笔记\n\n交并比的定义。\n", "markdown"),
        ("标题\n\n# 这是一行 shell 注释\n正文\n", "text"),
        ("#!/bin/sh\necho hi\n", "text"),
    ],
)
def test_a_note_that_opens_with_a_heading_is_markdown(text, kind):
    assert sniff(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('<meta name="referrer" content="no-referrer" />\n<h1>标题</h1>\n<p>回答</p>\nTime: 2021-01-01\n', "html"),
        ("<div><p>存成 HTML 的笔记</p></div>", "html"),
        ('<meta name="referrer" content="no-referrer" />\n\n## 小节\n\n<p>正文</p>\n', "markdown"),
        ('<meta name="referrer" content="no-referrer" />\n\n正文，没有一个闭合的块\n', "markdown"),
        ('<p align="center"><img src="a.png"></p>\n\n[链接](https://a.cn)\n', "markdown"),
        ("<不是标签>\n正文\n", "text"),
    ],
)
def test_text_that_opens_with_an_element_is_html_or_markdown_never_plain_text(text, kind):
    assert sniff(text) == kind


# Inputs that took minutes while every pattern could rescan the rest of a line (or the rest of the
# file) from each start; now each is one pass (figures: bench/hostile.py, docs/speed.md).
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("笔记\n" + "[" * 200_000, "text"),
        ("笔记\n" + "[" * 200_000 + "[链接](https://a.cn)", "markdown"),
        ("笔记" + "\n" * 200_000 + "x", "text"),
        ("笔记" + "\n" * 200_000 + "| --- |", "markdown"),
        ("笔记" + "\n \t" * 100_000 + "x", "text"),
        ("笔记\n$x" + "\\1" * 100_000, "text"),
        ("笔记\n$x" + "\\1" * 100_000 + "\\alpha$\n# 标题\n- 一\n**粗**", "markdown"),
        ("<p>" + "</p" * 100_000, "markdown"),
        ("<div>" + "<p>" * 100_000 + "</p >", "html"),
    ],
)
def test_pathological_lines_are_sniffed_right(text, kind):
    assert sniff(text) == kind
