"""Zhihu's newer and rendered-page markup, on hand-written snippets of each documented form."""
from __future__ import annotations

import lxml.html

from tests.rewrite.conftest import run, run_all
from zhsite.rewrite.cleanup import drop_shopping_cards, unwrap_layout_wrappers
from zhsite.rewrite.code import highlight_code
from zhsite.rewrite.images import rewrite_lazy_images
from zhsite.rewrite.links import link_mentions, redirect_target, rewrite_link_cards, unlink_entity_words
from zhsite.rewrite.math import rewrite_equations
from zhsite.rewrite.references import rewrite_references
from zhsite.rewrite.tables import mark_header_rows


def html(root) -> str:
    return lxml.html.tostring(root, encoding="unicode")


MATHJAX = (
    '<span class="ztext-math" data-eeimg="1" data-tex="A(X,t)"><span></span><span>'
    '<span class="MathJax_SVG"><svg><text>A(X,t)</text></svg></span><script type="math/tex">A(X,t)</script></span></span>'
)


def test_ztext_math_becomes_one_formula_without_the_mathjax_copy():
    root, _ = run(f"<p>令 {MATHJAX} 为</p>", rewrite_equations)
    [math] = root.iter("math")
    assert math.get("display") == "inline"
    assert math.find(".//annotation").text == "A(X,t)"
    assert "MathJax" not in html(root) and "<svg" not in html(root)


def test_ztext_math_display_by_trailing_break_or_eeimg_2_and_survives_sanitising():
    root, _ = run_all('<span class="ztext-math" data-tex="x^2\\\\">x</span><span class="ztext-math" data-eeimg="2" data-tex="y">y</span>')
    assert [m.get("display") for m in root.iter("math")] == ["block", "block"]


def test_references_become_footnotes_with_a_list_at_the_end():
    snippet = (
        '<p>见<sup data-text="Attention Is All You Need" data-url="https://arxiv.org/abs/1706.03762" '
        'data-draft-type="reference" data-numero="1">[1]</sup>与<sup data-text="ResNet" data-url="" '
        'data-draft-type="reference" data-numero="2">[2]</sup>，再见<sup data-text="Attention Is All You Need" '
        'data-url="https://arxiv.org/abs/1706.03762" data-draft-type="reference" data-numero="1">[1]</sup></p>'
        '<ol class="ReferenceList"><li id="ref_1">rendered copy</li></ol>'
    )
    root, _ = run_all(snippet)
    refs = root.findall(".//sup/a")
    assert [a.get("href") for a in refs] == ["#fn1", "#fn2", "#fn1"]
    assert [a.get("id") for a in refs] == ["fnref1", "fnref2", None]
    items = root.findall(".//section[@class='footnotes']//li")
    assert [li.get("id") for li in items] == ["fn1", "fn2"]
    assert items[0].find(".//a").get("href") == "https://arxiv.org/abs/1706.03762"
    assert "ResNet" in items[1].text_content()
    assert "rendered copy" not in root.text_content()


def test_reference_behind_a_redirect_shows_its_target():
    root, _ = run('<sup data-text="t" data-url="https://link.zhihu.com/?target=https%3A//a.org/x" data-draft-type="reference" data-numero="1">[1]</sup>', rewrite_references)
    assert root.find(".//li//a").get("href") == "https://a.org/x"


def test_entity_words_are_plain_text():
    root, _ = run('<p>看过<a class="RichContent-EntityWord css-b7erz1" href="https://zhida.zhihu.com/search?q=x&amp;zhida_source=entity">《断背山》<svg><path d="M0"/></svg></a>吗</p>', unlink_entity_words)
    assert html(root) == "<div><p>看过《断背山》吗</p></div>"


def test_video_box_becomes_a_card_with_its_poster():
    snippet = (
        '<a class="video-box" href="https://link.zhihu.com/?target=https%3A//www.zhihu.com/video/123" '
        'data-poster="https://pic1.zhimg.com/v2-poster.jpg" data-lens-id="123"><img class="thumbnail" src="https://pic1.zhimg.com/v2-poster.jpg">'
        '<span class="content"><span class="title">训练演示</span><span class="url">https://www.zhihu.com/video/123</span></span></a>'
    )
    root, _ = run_all(snippet)
    [card] = root.findall(".//a")
    assert card.get("class") == "link-card video-card"
    assert card.get("href") == "https://www.zhihu.com/video/123"
    assert card.find(".//span[@class='link-card-title']").text == "训练演示"
    assert card.find(".//img").get("src") == "https://pic1.zhimg.com/v2-poster.jpg"


def test_rendered_link_card_takes_its_title_element():
    snippet = '<a class="LinkCard new" href="https://github.com/x/y" data-text="x/y"><span class="LinkCard-contents"><span class="LinkCard-title">x/y: a repo</span><span class="LinkCard-desc">github.com</span></span></a>'
    root, _ = run(snippet, rewrite_link_cards)
    assert root.find(".//span[@class='link-card-title']").text == "x/y: a repo"


def test_shopping_cards_are_dropped():
    root, _ = run('<p>a</p><a data-draft-type="mcn-link-card" data-mcn-id="77"></a><p>b</p>', drop_shopping_cards)
    assert html(root) == "<div><p>a</p><p>b</p></div>"


def test_mentions_link_the_profile_on_zhihu():
    root, _ = run('<a class="member_mention" data-hash="abc" href="/people/abc" data-hovercard="p$b$abc">@甲</a><a class="member_mention" data-hash="def">@乙</a>', link_mentions)
    assert [a.get("href") for a in root.iter("a")] == ["https://www.zhihu.com/people/abc", "https://www.zhihu.com/people/def"]


def test_first_row_of_header_cells_becomes_thead():
    root, _ = run_all('<table data-draft-type="table"><tbody><tr><th>模型</th><th>mAP</th></tr><tr><td>YOLO</td><td>63.4</td></tr></tbody></table>')
    assert [th.text for th in root.findall(".//thead/tr/th")] == ["模型", "mAP"]
    assert [td.text for td in root.findall(".//tbody/tr/td")] == ["YOLO", "63.4"]
    assert root.find("table").get("tabindex") == "0"  # a wide table scrolls in place: keyboard users reach it


def test_table_without_header_cells_is_left_alone():
    root, _ = run("<table><tr><td>a</td></tr></table>", mark_header_rows)
    assert root.find(".//thead") is None


def test_pre_highlighted_code_is_highlighted_again_the_same_way():
    plain, _ = run('<pre><code class="language-python">import os</code></pre>', highlight_code)
    pre_split, _ = run('<pre><code class="language-python"><span class="kn">import</span> <span class="nn">os</span></code></pre>', highlight_code)
    assert html(plain) == html(pre_split)


def test_zero_width_spaces_and_layout_wrappers_are_removed():
    root, _ = run_all('<div class="css-1od93p9"><div class="RichText ztext"><p data-pid="a1">知\u200b乎</p></div></div>')
    assert lxml.html.tostring(root, encoding="unicode") == "<div><p>知乎</p></div>"


def test_layout_unwrapping_keeps_other_divs():
    root, _ = run('<div class="RichText ztext"><div class="highlight"><pre>x</pre></div></div>', unwrap_layout_wrappers)
    assert html(root) == '<div><div class="highlight"><pre>x</pre></div></div>'


def test_ztext_gif_is_shown_as_the_gif():
    snippet = '<figure><img src="data:image/svg+xml;utf8,&lt;svg&gt;&lt;/svg&gt;" data-thumbnail="https://pic1.zhimg.com/v2-g_b.jpg" class="ztext-gif" data-actualsrc="https://pic1.zhimg.com/v2-g_b.gif" data-rawwidth="200" data-rawheight="100"></figure>'
    root, _ = run(snippet, rewrite_lazy_images)
    assert root.find(".//img").get("src") == "https://pic1.zhimg.com/v2-g_b.gif"


def test_unencoded_redirect_target_keeps_its_whole_query():
    assert redirect_target("https://link.zhihu.com/?target=http://a/?x=1&y=2") == "http://a/?x=1&y=2"
    assert redirect_target("//link.zhihu.com/?target=http://mp.weixin.qq.com/s?__biz=M&mid=2") == "http://mp.weixin.qq.com/s?__biz=M&mid=2"
