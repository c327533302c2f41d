"""A megabyte of one line made to be slow reads as it should (issue #32).

Each of these lines once made a pattern start again from every character:
the comment footer of an exporter's comments.md, the attributes of a saved
page's ``<meta>``, the test for pasted Markdown and search's Markdown links.
Their times are in bench/hostile.py and docs/speed.md, never asserted here.
"""
from __future__ import annotations

from tests.rewrite.conftest import run_all
from zhsite.load.companions import read_comments_md
from zhsite.load.savedpage import page_address
from zhsite.model import Body
from zhsite.search.documents import paragraphs_of

MB = 1_000_000


def test_a_comment_footer_after_a_megabyte_of_spaces_or_digits():
    [spaced] = read_comments_md("### 读者甲\n\n写得真好\n\n2022-03-06 12:00" + " " * MB + "5 赞\n", "comments.md")
    assert (spaced.likes, spaced.date) == (5, "2022-03-06T04:00:00Z")
    [digits] = read_comments_md("### 读者甲\n\n" + "1" * MB + "\n", "comments.md")
    assert (digits.likes, digits.date) == (0, "")
    assert "1" * 1000 in digits.content


def test_a_saved_page_whose_meta_holds_a_megabyte_word_still_gives_its_address():
    page = ('<html><head><meta ' + "a" * MB + '>'
            '<link rel="canonical" href="https://zhuanlan.zhihu.com/p/123"></head><body></body></html>')
    assert page_address(page) == "https://zhuanlan.zhihu.com/p/123"


def test_a_paragraph_of_a_megabyte_of_brackets_stays_text():
    root, _ = run_all("<p>" + "[" * MB + "](不是链接)</p>")
    [p] = root.iter("p")
    assert p.text_content() == "[" * MB + "](不是链接)"


def test_search_reads_a_megabyte_of_brackets_and_keeps_a_link_text():
    [line] = paragraphs_of(Body.from_html("<p>" + "[" * MB + "[链接](https://a.cn)</p>"))
    assert line == "[" * MB + "链接"
