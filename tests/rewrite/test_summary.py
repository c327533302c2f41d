"""What lists say of a body (its first sentences) and how long it takes to read."""
from __future__ import annotations

from tests.rewrite.conftest import context
from zhsite.render import READING_RATE, reading_minutes
from zhsite.rewrite import rewrite


def body(html: str):
    return rewrite(html, context())


def test_the_excerpt_is_the_first_sentences_without_bold_notices_or_markers_a_formula_said_as_zhihu_says_it():
    html = ("<p><b>船长黑板报所有文章和代码的最新版本均在</b></p><p><b>维护，知乎不做维护</b></p>"
            '<p>本文介绍一篇老文章<span class="ztext-math" data-tex="x^2">x^2</span>，文章提出了一种网络<sup>[1]</sup>。'
            "形状和U-Net很像。</p><p>第二段接着第一段，中间没有空格，一直写到这段摘要已经足够长了为止。</p><p>第三段不在摘要里。</p>")
    excerpt = body(html).excerpt
    assert excerpt == "本文介绍一篇老文章[公式]，文章提出了一种网络。形状和U-Net很像。第二段接着第一段，中间没有空格，一直写到这段摘要已经足够长了为止。"


def test_a_long_opening_is_cut_after_a_sentence_or_marked_cut():
    sentence = "这是一个很长的句子，用来说明摘要在句号处截断。"
    assert body(f"<p>{sentence * 10}</p>").excerpt == sentence * 5
    assert body(f"<p>{'没有句号的文字' * 40}</p>").excerpt.endswith("…")


def test_reading_length_counts_characters_and_words_and_minutes_round_at_the_documented_rate():
    length = body("<p>四个汉字 and three words</p>").length
    assert length == 4 + 2 * 3
    assert reading_minutes(READING_RATE * 6) == 6 and reading_minutes(10) == 1


def test_a_link_previews_first_lines_say_a_formula_as_zhihu_does_not_its_letters_and_tex():
    # A preview's lines are read from the sanitised body by pattern; the MathML's letters and its TeX annotation were text.
    lines = body("<p>更新规则是 <span class=\"math inline\">\\theta \\leftarrow \\theta - \\eta \\nabla L</span>。</p>").lead
    assert lines == "更新规则是 [公式]。"


def test_a_picture_that_could_not_be_saved_is_no_part_of_the_excerpt_or_the_reading_length():
    # The box standing for a lost picture says 图片未能保存：<alt>; a list showed that as the note's first line.
    with_box = body('<p>链式法则。<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" alt="计算图"></p>')
    without = body("<p>链式法则。</p>")
    assert with_box.excerpt == "链式法则。" == with_box.lead and with_box.length == without.length
