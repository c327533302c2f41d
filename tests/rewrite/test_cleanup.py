"""Spacing hacks dropped, zero-width spaces and control characters removed, stickers read as their text."""
from __future__ import annotations

import pytest

from tests.rewrite.conftest import run, run_all, seed_comment, seed_snippet
from zhsite.load.fields import UNSHOWN
from zhsite.rewrite.cleanup import (
    drop_empty_paragraphs,
    drop_unshown_characters,
    text_for_stickers,
)

# 60692852: an equation image (\lambda_{coord}).
EQUATION = seed_snippet("60692852", r'<img src="https://www\.zhihu\.com/equation\?tex=%5Clambda_%7Bcoord%7D"[^>]*>')


def test_real_empty_paragraph_between_figure_and_text_is_dropped():
    # 60692852: <figure …>…</figure><p class="ztext-empty-paragraph"><br/></p><p><b>boudingbox 置信度loss</b>…
    empty = '<p class="ztext-empty-paragraph"><br/></p>'
    snippet = seed_snippet("60692852", rf"<figure[^>]*>(?:(?!<figure).)*?</figure>{empty}<p>.*?</p>")
    root, _ = run(snippet, drop_empty_paragraphs)
    (p,) = root.findall("p")
    assert p.text_content().startswith("boudingbox 置信度loss")
    assert root.find("figure") is not None


@pytest.mark.parametrize(
    "empty",
    ['<p class="ztext-empty-paragraph"><br/></p>', "<p><br></p>", "<p><br><br/></p>", "<p></p>", "<p> \n</p>",
     "<p>\u200b</p>", "<p><br>\ufeff</p>"],
)
def test_empty_paragraphs_are_dropped(empty):
    root, _ = run(f"<p>一</p>{empty}<p>二</p>", drop_unshown_characters, drop_empty_paragraphs)
    assert [p.text for p in root.findall("p")] == ["一", "二"]


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ('<p><img src="https://pic1.zhimg.com/v2-2fa9d0b279b62fa77229de1a30ca0028_b.jpg"/></p>', "img"),
        ('<p><br/><img src="https://pic1.zhimg.com/v2-2fa9d0b279b62fa77229de1a30ca0028_b.jpg"/></p>', "img"),
        (f"<p>{EQUATION}</p>", "math"),
        (f"<p> {EQUATION} </p>", "math"),
        ("<p><math><mi>x</mi></math></p>", "math"),
    ],
)
def test_paragraph_with_only_an_image_or_formula_is_kept(html, kept):
    root, _ = run(html, drop_unshown_characters, drop_empty_paragraphs)
    assert len(root.findall("p")) == 1
    # After the whole rewrite the paragraph shows the image, or the formula as MathML.
    page, _ = run_all(html)
    (p,) = page.findall("p")
    assert p.find(f".//{kept}") is not None


def test_zero_width_spaces_are_removed_from_text_and_tails():
    root, _ = run(
        "<p>零\u200b宽<b>空\u200c格\u200d</b>\u2060之\ufeff后</p>\u200b<p>x</p>", drop_unshown_characters
    )
    text = root.text_content()
    assert text == "零宽空格之后x"
    assert not set(map(ord, text)) & set(UNSHOWN)
    assert root.findtext("p/b") == "空格"


def test_control_characters_are_removed_but_tabs_and_line_ends_kept():
    root, _ = run("<p>退\x08格\x1b[0m与\x07铃</p><pre><code>a\tb\nc\x0bd</code></pre>", drop_unshown_characters)
    assert root.findtext("p") == "退格[0m与铃"
    assert root.findtext("pre/code") == "a\tb\ncd"


def test_a_nul_in_a_post_is_dropped_never_shown_as_a_replacement_character():
    root, _ = run_all("<p>空\x00字符</p>")
    assert root.findtext("p") == "空字符"


def test_real_comment_sticker_reads_as_its_text():
    # A comment on 84063165: "…请问这篇文章您那有源码吗？" then the [思考] sticker.
    comment = seed_comment("84063165", "comment_sticker")
    root, _ = run(comment, text_for_stickers)
    assert root.find(".//a") is None
    assert "[思考]" in root.text_content()
    assert root.text_content().startswith("船长您好")


def test_sticker_text_stays_in_place_and_other_links_stay():
    root, _ = run_all(
        '<p>好<a class="comment_sticker" href="https://pic4.zhimg.com/v2-b789.gif" data-width="">[赞]</a>文'
        '<a href="https://example.com/">链接</a></p>'
    )
    assert root.find("p").text_content() == "好[赞]文链接"
    assert [a.get("href") for a in root.iter("a")] == ["https://example.com/"]
