"""Markdown pasted into Zhihu (the 船长黑板报 column) reads as Markdown; ordinary text is left alone."""
from __future__ import annotations

import json

import pytest

from tests.conftest import CAPTAIN
from tests.rewrite.conftest import run, run_all, seed_snippet
from zhsite.rewrite.pasted_markdown import render_pasted_markdown

EMPTY = '<p class="ztext-empty-paragraph"><br/></p>'


def texts(root, tag):
    return [" ".join(e.text_content().split()) for e in root.iter(tag)]


def test_headings_bold_and_auto_linked_links_of_a_real_article():
    # 81682950 "优化余弦距离的计算": "# optimizing …", "## 引言", "[余弦距离](<a href=link.zhihu.com…>…</a>)".
    html = seed_snippet("81682950", r"<p># optimizing.*?<p>## 实验平台：</p>")
    root, _ = run_all(html)
    assert texts(root, "h2") == ["optimizing cosine distance searching in a million feature-set"]
    assert texts(root, "h3") == ["引言", "实验平台："]
    (link,) = [a for a in root.iter("a") if a.text_content() == "余弦距离"]
    assert link.get("href") == "https://en.wikipedia.org/wiki/Cosine_similarity"
    assert texts(root, "strong") == ["欢迎探讨，本文持续维护。"]
    assert "**" not in root.text_content() and "](" not in root.text_content()


def test_nested_lists_over_paragraphs():
    # The same article's 实验平台: "+ 操作系统…", then "  1. CPU…", "    2. Memory…" as a sub-list.
    html = seed_snippet("81682950", r"<p>## 实验平台：</p>.*?<p>    3. GPU N/A</p>")
    root, _ = run(f"<p># optimizing</p>{html}", render_pasted_markdown)
    (outer,) = root.findall("ul")
    assert [li.text_content().split("：")[0].strip() for li in outer.findall("li")] == ["操作系统", "编译器", "硬件配置"]
    inner = outer.find(".//ol")
    assert texts(inner, "li") == ["CPU Intel(R) Core(TM) i7-7700 CPU @ 3.60GHz", "Memory 8G DDR2", "GPU N/A"]


def test_fence_over_paragraphs_is_one_code_block_keeping_its_lines():
    # 82739507 "CNN模型计算量估计": a fence of two lines, one with **bold** that stays literal in code.
    html = seed_snippet("82739507", r"<p>```</p>.*?<p>```</p>")
    root, _ = run_all(f"<p>## 计算量</p>{html}")
    (code,) = root.findall(".//pre/code")
    assert code.text_content().rstrip("\n").split("\n") == [
        "不过这里要说明一下，用MACC来估算模型的计算量只能**大致地**估算一下模型的速度。模型最终的的速度，不仅仅是和计算量多少有",
        "关系，还和诸如**内存带宽**、优化程度、CPU流水线、Cache之类的因素也有很大关系。",
    ]
    assert "```" not in root.text_content()


def test_fence_language_is_kept_and_highlighted():
    html = f"<p>## 代码</p><p>```python</p><p>import os</p>{EMPTY}<p>print(1 &lt; 2)</p><p>```</p><p>后文</p>"
    root, _ = run_all(html)
    code = root.find(".//pre/code")
    assert code.get("class") == "language-python"
    assert code.findtext("span[@class='kn']") == "import"
    assert code.text_content().rstrip("\n") == "import os\n\nprint(1 < 2)"
    assert texts(root, "p") == ["后文"]


def test_escapes_and_quote_lines():
    # 82739507: "w[0]\*x[0]"; 81683709: prototxt pasted as ">layer {" lines with **bold** inside.
    escaped = seed_snippet("82739507", r"<p>为什么要用乘加数.*?</p>")
    quoted = seed_snippet("81683709", r"<p>&gt;layer \{</p>.*?<p>&gt;\}</p>")
    root, _ = run_all(f"<p>## 例子</p><p>## 层</p>{escaped}{quoted}")
    assert "w[0]*x[0] + w[1]*x[1]" in root.text_content()
    assert "\\*" not in root.text_content()
    (quote,) = root.findall("blockquote")
    assert quote.text_content().strip().startswith("layer {")
    assert "pad: 1" in texts(quote, "strong")


def test_bold_beside_chinese_punctuation():
    # 82033960-style text: CommonMark alone leaves "**“…”**" and "）**的" as literal asterisks.
    root, _ = run_all("<p>## 小结</p><p>### 一</p><p>全称应该是**“对数几率线性回归函数”**。分为**基于样本（Example based）的和生成式（Generative）**的。</p>")
    assert texts(root, "strong") == ["“对数几率线性回归函数”", "基于样本（Example based）的和生成式（Generative）"]


def test_zhihu_elements_inside_markdown_are_kept_as_they_are():
    html = ('<p>## 标题</p><p>## 二</p><p>见<b>加粗</b>和 **星号** 与公式 '
            '<img eeimg="1" src="//www.zhihu.com/equation?tex=a%2Ab%2Ac" alt="a*b*c"/> 以及 1 &lt; 2</p>')
    root, _ = run(html, render_pasted_markdown)
    (p,) = root.findall("p")
    assert p.findtext("b") == "加粗"
    assert p.findtext("strong") == "星号"
    assert p.find("img").get("alt") == "a*b*c"
    assert p.text_content().endswith("以及 1 < 2")


def test_a_single_markdown_paragraph_in_an_ordinary_post():
    root, _ = run("<p>普通的一段。</p><p>模型**文件的体积**很大</p>", render_pasted_markdown)
    assert texts(root, "strong") == ["文件的体积"]
    assert texts(root, "p") == ["普通的一段。", "模型文件的体积很大"]


@pytest.mark.parametrize(
    "html",
    [
        "<p>5 * 3 = 15，a*b 也是乘法</p>",  # a stray asterisk
        "<p>注意** 这里</p>",
        "<p>1. 第一步</p><p>#1 排名</p>",  # no heading, no fence: a numbered paragraph stays a paragraph
        '<p>公式 <img eeimg="1" src="//www.zhihu.com/equation?tex=%5Cmathbf%7Bx%7D%2A%2Ay%2A%2A" alt="x**y**"/></p>',
        "<blockquote><p>## 引用里的井号</p></blockquote>",  # real HTML structure
        "<ul><li>**列表项**</li></ul>",
        # dl-hotpot-faq.txt: a shell script with backticks and ${NET}…$ is neither code spans nor a formula.
        "<p>LOG=logs/${NET}.txt.`date +'%Y-%m-%d'`LOG=logs/${NET}.log</p>",
    ],
)
def test_near_misses_do_not_change(html):
    before, _ = run(html)
    after, _ = run(html, render_pasted_markdown)
    assert after.text_content() == before.text_content()
    assert [e.tag for e in after.iter()] == [e.tag for e in before.iter()]


def test_every_captain_article_reads_without_literal_markdown_and_most_have_contents():
    articles = json.loads(CAPTAIN.read_text(encoding="utf-8"))["article"]
    with_contents = 0
    for article in articles:
        root, ctx = run_all(article["content"])
        for code in root.xpath(".//pre | .//code | .//td"):  # code as written; star ratings in tables
            code.drop_tree()
        text = root.text_content()
        for literal in ("**", "```", "](", "\\*", "\n## ", "\n### "):
            assert literal not in text, (article["title"], literal)
        with_contents += len(ctx.toc) >= 2
    assert len(articles) == 47
    assert with_contents >= 40


def test_a_picture_from_the_authors_repository_says_it_was_not_saved():
    # 82739255: "…平方和![](images/Selection_356.png)，其中lamda…": the file is in the author's GitHub repository only.
    html = seed_snippet("82739255", r"<p>L2正则化，在训练时.*?</p>")
    root, _ = run_all(f"<p>## L2</p><p>## 正则化</p>{html}")
    assert root.find(".//img") is None
    (box,) = root.find_class("image-unavailable")
    assert box.text_content() == "图片未能保存"
    assert "![](" not in root.text_content()


def test_links_the_author_mistyped():
    # 82448302: "１．[VJ算法]((<a …face-rec.org…>…</a>))"; 83220498: "[Perceptual GAN]()".
    doubled = seed_snippet("82448302", r"<p>１．\[VJ算法\].*?</p>")
    empty = seed_snippet("83220498", r"<p>\[Perceptual GAN\]\(\).*?</p>")
    root, _ = run_all(f"<p>## 历史</p><p>## 后来</p>{doubled}{empty}")
    hrefs = {a.text_content(): a.get("href") for a in root.iter("a")}
    assert hrefs == {"VJ算法": "http://www.face-rec.org/algorithms/Boosting-Ensemble/16981346.pdf"}
    assert "１．VJ算法" in root.text_content()
    assert "Perceptual GAN使用了GAN" in root.text_content()


def test_a_script_in_a_text_note_is_not_taken_for_headings():
    html = "<p># !/usr/bin/python<br/># -*- coding:utf-8 -*-<br/>from numpy import *<br/>x = a*b*c</p>"
    before, _ = run(html)
    after, _ = run(html, render_pasted_markdown)
    assert after.text_content() == before.text_content()
    assert after.find(".//h1") is None


def test_one_heading_like_line_does_not_make_a_post_markdown():
    # dl-hotpot-faq.txt pastes a script on one line: "# !/usr/bin/python# -*- coding…".
    html = "<p># !/usr/bin/python# -*- coding:utf-8 -*-from PIL import Image</p><p>第一行<br/>第二行</p><p>1. 第一步</p>"
    before, _ = run(html)
    after, _ = run(html, render_pasted_markdown)
    assert [e.tag for e in after.iter()] == [e.tag for e in before.iter()]


def test_line_breaks_inside_a_pasted_paragraph_stay():
    root, _ = run("<p>## 一</p><p>## 二</p><p>第一行<br/>第二行</p>", render_pasted_markdown)
    (p,) = root.findall("p")
    assert [p.text, p[0].tag, p[0].tail.strip()] == ["第一行", "br", "第二行"]
