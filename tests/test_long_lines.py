"""A megabyte of one line made to be slow reads as it should (issue #32).

Each of these lines once made a pattern start again from every character:
the comment footer of an exporter's comments.md, the attributes of a saved
page's ``<meta>``, the test for pasted Markdown and search's Markdown links.
Their times are in bench/hostile.py and docs/speed.md, never asserted here.
"""
from __future__ import annotations

import json

from tests.conftest import site_built_as_a_user
from tests.rewrite.conftest import run_all
from zhsite.load.companions import read_comments_md
from zhsite.load.markdown import new_markdown_parser
from zhsite.load.savedpage import page_address
from zhsite.model import Body
from zhsite.pictures import MAX_PICTURES, past_the_limit
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


def test_a_run_of_text_past_ten_megabytes_loses_nothing_after_it(tmp_path):
    """libxml2 stops at a text node of more than 10 MB unless told otherwise, and the rest of the post went with it, silently."""
    long_run = "<p>" + "长" * 4_000_000 + "</p>"  # 12 MB of UTF-8, one text node
    article = {"url": "https://zhuanlan.zhihu.com/p/9", "title": "长文", "content": f"<p>开头</p>{long_run}<p>结尾的段落</p>"
               '<p><img src="https://pic1.zhimg.com/v2-0123456789abcdef0123456789abcdef_b.jpg"/></p>'}
    column = json.dumps({"title": "长", "url": "https://zhuanlan.zhihu.com/long", "article": [article]}, ensure_ascii=False)
    site, run = site_built_as_a_user(tmp_path, {"col.json": column})
    assert run.returncode == 0, run.stderr
    page = (site / "p" / "9.html").read_text(encoding="utf-8")
    assert page.count("长") >= 4_000_000 and "结尾的段落" in page and "v2-0123456789abcdef0123456789abcdef" in page
    assert "images: 1 pictures" in run.stderr, "the image phase saw the picture after the long run"
    assert paragraphs_of(Body.from_html(article["content"]))[-1] == "结尾的段落", "search reads past it"


def test_a_megabyte_of_unclosed_picture_tags_is_read_once():
    # Past the picture limit every <img> tag is read (zhsite/pictures.py); one left open ran its scan to the end of the text.
    for line in ('<img "' * 200_000, "<img '" * 200_000, "<img " * 200_000):
        assert past_the_limit(line) == (line, 0)
    many = '<img src="https://e.com/a.png" alt="a>b">' * (MAX_PICTURES + 2)
    assert past_the_limit(many)[1] == 2


def test_a_megabyte_line_of_picture_openings_with_spaces_stays_text():
    """``![a](x y`` again and again, never closed with a picture's suffix: each try scans to the next parenthesis."""
    line = "![图](截图 2021 " * (MB // 14)
    html = new_markdown_parser(html=True).render(line + ".png\n")
    assert "<img" not in html and html.count("![图](截图 2021") == MB // 14


def test_obsidian_and_callout_marks_on_a_megabyte_line_read_as_text():
    md = new_markdown_parser(html=True)
    assert "a" * 1000 in md.render("结尾 ^" + "a" * MB + "!")
    assert 'class="callout callout-note"' in md.render("> [!note]" + " " * MB + "标题")
    assert 'class="callout callout-tip"' in md.render("::: tip" + " " * MB + "标题\n内容\n:::")
    assert "<mark>" not in md.render("==a" + " ==" * (MB // 3))


def test_a_megabyte_line_of_marks_no_rule_takes_is_its_text():
    assert new_markdown_parser(html=True).render("a=" * (MB // 2)) == "<p>" + "a=" * (MB // 2) + "</p>\n"


def test_pending_text_cut_into_tokens_renders_as_one(monkeypatch):
    """Past _PENDING_LIMIT the text waiting to become a token is cut after a mark: links, breaks, emphasis and
    formulas across the cut render as with no cut."""
    import zhsite.load.markdown as markdown_module
    paragraph = ("中文=" * 400 + "见 https://example.com/a?b=c 与 *强调=* 和 $x=1$ 行尾两空格  \n下一行" + ":" * 900 + "**粗=体**") * 3
    cut = new_markdown_parser(html=True).render(paragraph)
    monkeypatch.setattr(markdown_module, "_PENDING_LIMIT", 10**12)
    assert cut == new_markdown_parser(html=True).render(paragraph)
    assert '<a href="https://example.com/a?b=c">' in cut and "<br" in cut and "<em>强调=</em>" in cut
