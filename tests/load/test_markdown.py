"""Markdown notes: titles, the opening outline, math, code and front matter, on the real seeds."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from linkify_it import LinkifyIt

from tests.conftest import CONTENT, site_built_as_a_user
from zhsite.load.markdown import new_markdown_parser, read_markdown

LECTURE = CONTENT / "cv-lecture-notes.md"
DEEP = CONTENT / "deep-learning-notes.md"


def read(text: str, slug: str = "note"):
    """The note a Markdown file becomes (or the post, for text an exporter wrote), as the loader reads it."""
    loaded = read_markdown(text, f"content/{slug}.md")
    note, problems = (loaded.notes or [a for c in loaded.columns for a in c.articles])[0], loaded.problems
    return note, BeautifulSoup(note.content, "html.parser"), problems


def test_lecture_that_opens_with_an_empty_heading_gets_its_first_real_heading_as_title():
    note, html, problems = read(LECTURE.read_text(encoding="utf-8"), "cv-lecture-notes")
    assert note.title == "图像识别+定位"
    # The heading is deep in the text, so it stays there as a section too.
    assert [h.get_text() for h in html.find_all(["h3", "h4"])][:2] == ["图像识别+定位", "思路1：视作回归问题"]
    assert problems == []


def test_lecture_keeps_its_remote_images_and_red_annotations():
    _, html, _ = read(LECTURE.read_text(encoding="utf-8"))
    assert len(html.find_all("img")) == 11
    assert html.img["src"].startswith("http://pacdb2bfr.bkt.clouddn.com/")
    red = html.find(string="交并准则是什么？").parent
    assert red.name == "span" and red["style"] == "color:red;"


def test_opening_outline_becomes_a_linked_list_and_its_recurrences_sections():
    note, html, _ = read(DEEP.read_text(encoding="utf-8"))
    assert note.title == "深度学习笔记"
    outline = html.find("ul", class_="note-toc")
    assert html.find().name == "ul", "the outline comes first, the repeated title is gone"
    entries = [(a.get_text(), a["href"]) for a in outline.find_all("a")]
    assert [text for text, _ in entries] == ["mIOU", "1. Batch Normalization", "2. GAN", "ResNet50", "VAE", "KL散度", "1*1 卷积", "NIN", "RCNN"]
    for text, href in entries:
        section = html.find(id=href.removeprefix("#"))
        assert section.name == "h2"
        assert section.get_text().replace(" ", "") == text.replace(" ", "")
    assert "深度学习笔记" not in html.get_text()


def test_short_opening_lines_that_do_not_recur_stay_paragraphs():
    _, html, _ = read("购物清单\n\n苹果\n\n香蕉\n\n牛奶\n\n今天去了超市，买了很多东西。\n")
    assert html.find("ul") is None
    assert [p.get_text() for p in html.find_all("p")] == ["苹果", "香蕉", "牛奶", "今天去了超市，买了很多东西。"]


@pytest.mark.parametrize(
    ("text", "title", "first_block"),
    [
        ("---\ntitle: 前言里的标题\n---\n# 正文标题\n\n正文", "前言里的标题", "h1"),
        ("---\ntitle: 同一个标题\n---\n# 同一个标题\n\n正文", "同一个标题", "p"),
        ("# 正文标题\n\n正文", "正文标题", "p"),
        ("##\n\n# 真标题\n\n正文", "真标题", "p"),
        ("第一行就是标题\n\n正文", "第一行就是标题", "p"),
        ("第一行\n接着第二行\n\n正文", "第一行", "p"),
        ("```\ncode only\n```\n", "note", "pre"),
    ],
)
def test_title_rules(text, title, first_block):
    note, html, _ = read(text)
    assert note.title == title
    assert html.find().name == first_block


def test_math_is_left_for_the_rewrite_stage_with_display_blocks_marked():
    note, html, _ = read(DEEP.read_text(encoding="utf-8"))
    blocks = html.select("div.math.block")
    inline = html.select("span.math.inline")
    assert len(blocks) == 8 and len(inline) >= 24
    aligned = next(b for b in blocks if "aligned" in b.get_text())
    assert aligned.get_text().strip().startswith(r"\begin{aligned}")
    assert "$" not in "".join(p.get_text() for p in html.find_all("p"))


def test_underscores_inside_math_are_not_emphasis():
    _, html, _ = read("标题\n\n" r"均值 $\mu_{\mathcal{B}} = x_1 + x_2$ 和 *强调*")
    assert html.select_one("span.math").get_text() == r"\mu_{\mathcal{B}} = x_1 + x_2"
    assert [e.get_text() for e in html.find_all("em")] == ["强调"]


def test_fenced_code_keeps_its_language():
    _, html, _ = read(DEEP.read_text(encoding="utf-8"))
    codes = html.select("pre > code")
    assert len(codes) == DEEP.read_text(encoding="utf-8").count("```") // 2
    _, html, _ = read("```python\nprint('你好')\n```")
    assert html.select_one("pre > code")["class"] == ["language-python"]


def test_tables_strikethrough_footnotes_and_task_lists():
    text = "标题\n\n| 模型 | 精度 |\n| --- | --- |\n| ResNet | 76% |\n\n~~旧结论~~ 新结论[^1]\n\n- [x] 读论文\n- [ ] 复现\n\n[^1]: 见原文。\n"
    _, html, _ = read(text)
    assert [td.get_text() for td in html.find_all("td")] == ["ResNet", "76%"]
    assert html.find("s").get_text() == "旧结论"
    assert "见原文。" in html.select_one(".footnotes").get_text()
    assert [box.has_attr("checked") for box in html.find_all("input")] == [True, False]


def test_bare_urls_with_a_scheme_are_linked_and_file_names_are_not():
    _, html, _ = read("标题\n\n代码见 https://github.com/BVLC/caffe 和 train.py 两处")
    assert [a["href"] for a in html.find_all("a")] == ["https://github.com/BVLC/caffe"]


def test_front_matter_yaml_and_toml():
    yaml_note, _, _ = read("---\ntitle: YOLO 笔记\ndate: 2018-08-11\ntags: [目标检测, YOLO]\nsummary: 单阶段检测\n---\n正文\n")
    assert (yaml_note.title, yaml_note.date, [t.name for t in yaml_note.tags], yaml_note.summary) == (
        "YOLO 笔记", "2018-08-11", ["目标检测", "YOLO"], "单阶段检测")
    toml_note, _, _ = read('+++\ntitle = "GAN"\ndate = 2019-03-02T10:30:00\ntags = "生成模型, GAN"\n+++\n正文\n')
    assert (toml_note.title, toml_note.date, [t.name for t in toml_note.tags]) == ("GAN", "2019-03-02T10:30", ["生成模型", "GAN"])


def test_a_note_dated_only_by_when_it_was_created_is_dated_so():
    # Joplin's "Markdown + Front Matter" export and many Obsidian templates write created:, not date:.
    joplin, _, _ = read("---\ntitle: 梯度\nupdated: 2024-02-01 08:00:00Z\ncreated: 2024-01-05 10:00:00Z\ntags:\n  - 优化\n---\n正文\n")
    assert (joplin.date, [t.name for t in joplin.tags]) == ("2024-01-05T10:00", ["优化"])
    both, _, _ = read("---\ndate: 2023-03-03\ncreated: 2024-01-05\n---\n正文\n")
    assert both.date == "2023-03-03", "date: wins where both are written"


def test_broken_front_matter_is_an_error_with_its_line_and_the_note_still_builds():
    note, html, problems = read("---\ntitle: ok\ntags: [a, b\n---\n# 标题\n\n正文\n", "broken")
    assert [(p.file, p.severity) for p in problems] == [("content/broken.md", "error")]
    assert problems[0].where.split(":")[0] in {"3", "4"}
    assert note.title == "标题" and html.p.get_text() == "正文"


# Pieces that make or hide a bare link: schemes, escapes and entities that spell them, host names, Markdown around them.
LINK_PIECES = ["http:", "HTTPS:", "ftp:", "mailto:", "//", "/", ":", "&#58;", "&#47;", "&colon;", "&amp;", "\\", "@", "a@b.org",
               "example.com", "www.", "localhost", "ht", "tp", " ", "\n", "中文", "。", "*", "_", "`", "[", "](", ")", "<", ">", "~~"]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(LINK_PIECES), max_size=14).map("".join), st.booleans())
def test_bare_links_are_found_as_linkify_it_finds_them(text, html):
    # SchemeLinks only narrows linkify-it's pretest; the links found must be the same.
    stock = new_markdown_parser(html)
    stock.linkify = LinkifyIt(options={"fuzzy_link": False, "fuzzy_email": False})
    assert new_markdown_parser(html).render(text) == stock.render(text)


@pytest.mark.parametrize(("text", "typeset"), [
    ('<img src="a.png" width=50%>\n$$\nx^2\n$$\n', True),  # Typora: the formula right under an HTML line
    ("<div>\n$$\nx^2\n$$\n</div>\n", True),
    ("<!--\n$$\nx^2\n$$\n-->\n", False),  # a comment's, or code's, $$ stays theirs
    ("<pre>\n$$\nx^2\n$$\n</pre>\n", False),
])
def test_display_math_after_an_html_line(text, typeset):
    _, html, _ = read(f"---\ntitle: t\n---\n{text}")
    math = html.select("div.math.block")
    assert [(m.get_text(strip=True), m.get("data-line")) for m in math] == ([("x^2", "5")] if typeset else [])


def test_a_star_between_digits_is_a_product_never_emphasis():
    _, soup, _ = read("# 卷积\n\n由于3*3卷积或者5*5卷积在几百个filter上很耗时，*这里*仍是强调。\n")
    text = soup.find("p")
    assert "3*3卷积或者5*5卷积" in text.get_text()
    assert [em.get_text() for em in text.find_all("em")] == ["这里"]


@pytest.mark.parametrize("front, draft", [("---\ndraft: true\n---", True), ("+++\ndraft = true\n+++", True), ("---\npublished: false\n---", True),
                                          ("---\npublish: false\n---", True), ("---\ndraft: false\n---", False), ("---\npublished: true\n---", False),
                                          ("---\ndraft: 'no'\n---", False)])
def test_a_note_marked_draft_gets_no_page_and_is_counted(front, draft):
    loaded = read_markdown(f"{front}\n\n# 标题\n\n正文\n", "content/a.md")
    assert (loaded.notes == [], dict(loaded.skipped)) == ((True, {"notes marked draft": 1}) if draft else (False, {}))


def test_a_title_summary_or_tag_that_is_no_text_is_a_warning_never_pythons_spelling_of_it():
    front = "---\ntitle: [a, b]\nsummary: {zh: 摘要}\ntags: [[嵌套], 2024, true, 深度学习]\n---\n\n# 真正的标题\n\n正文\n"
    loaded = read_markdown(front, "content/a.md")
    [note] = loaded.notes
    assert note.title == "真正的标题" and [t.name for t in note.tags] == ["2024", "深度学习"]
    assert [(p.where, p.kind, p.detail, p.severity) for p in loaded.problems] == [
        ("2", "not text", "title [a, b]; ignored", "warning"), ("3", "not text", "summary {zh: 摘要}; ignored", "warning"),
        ("4", "not text", "tags [嵌套]; ignored", "warning"), ("4", "not text", "tags true; ignored", "warning")]


def test_a_picture_whose_path_holds_spaces_is_shown_as_typora_shows_it():
    md = new_markdown_parser(html=True)
    html = md.render("![截图 说明](images/截图 2021-03-05.png) 和 ![b](a b/c d.JPG)\n\n![不是图](not a picture.txt)\n\n![普通](x.png)\n")
    page = BeautifulSoup(html, "html.parser")
    assert [(img["src"], img["alt"]) for img in page.find_all("img")] == [
        ("images/%E6%88%AA%E5%9B%BE%202021-03-05.png", "截图 说明"), ("a%20b/c%20d.JPG", "b"), ("x.png", "普通")]
    assert "![不是图](not a picture.txt)" in page.get_text()


def test_a_textbundle_is_the_note_its_folder_names(tmp_path):
    """Bear, Ulysses and iA Writer export a note as <note>.textbundle/ with text.md, info.json and assets/: every note
    was notes/text.html (text-2, text-3 …) and each info.json a side file of a crawler's."""
    picture = b"\x89PNG\r\n\x1a\n" + bytes(40)
    bundle = {"卷积.textbundle/text.md": "# 卷积神经网络\n\n正文 ![](assets/conv.png)\n\n#机器学习\n",
              "卷积.textbundle/assets/conv.png": picture,
              "卷积.textbundle/info.json": '{"version": 2, "type": "net.daringfireball.markdown", "creatorIdentifier": "net.shinyfrog.bear"}',
              "池化.textbundle/text.markdown": "池化层\n\n正文\n", "池化.textbundle/info.json": '{"version": 2}'}
    site, result = site_built_as_a_user(tmp_path, bundle)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (site / "notes").glob("*.html")) == ["index.html", "卷积.html", "池化.html"]
    assert "skipped 2 TextBundle info files" in result.stderr and "crawl state" not in result.stderr
    shown = (site / "notes" / "卷积.html").read_text(encoding="utf-8")
    assert "<h1>卷积神经网络" in shown and '<img src="../images/' in shown and ">机器学习</a>" in shown
