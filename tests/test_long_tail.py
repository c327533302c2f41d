"""Archives nobody here wrote (issue #27): formulas, pictures and emphasis as their exporters write them, built with the CLI."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import site_built_as_a_user
from tests.images.server import png

# An exporter that left the equation URL's `&` unencoded; the alt holds the TeX whole.
MATRIX = r"\begin{array}{cc}1&0\\0&1\end{array}"
EQUATION_IMG = (f'<img eeimg="1" src="https://www.zhihu.com/equation?tex={MATRIX}" '
                f'alt="{MATRIX.replace("&", "&amp;")}">')

NOTE = f"""---
title: 多体笔记
---

正文第一段，矩阵 {EQUATION_IMG} 在此。

<img src="https://pic1.zhimg.com/v2-abc_b.jpg" width=50%>
$$
E = mc^2
$$

**定义（TFD）：**TFD 是一个定义。

坏公式在第 14 行 $\\nosuchcommand x$ 这里。

坏图在第 16 行 <img eeimg="1" src="https://www.zhihu.com/equation?tex=%5Cnosuchcommand+y"> 这里。
"""


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def notes_site(tmp_path_factory):
    return site_built_as_a_user(tmp_path_factory.mktemp("long-tail"), {"notes/many-body.md": NOTE})


def test_an_equation_url_cut_at_an_unencoded_ampersand_is_typeset_whole(notes_site):
    site, _ = notes_site
    body = page(site, "notes/many-body.html").select_one(".entry-body")
    tex = [a.get_text() for a in body.select("math annotation")]
    assert MATRIX in tex
    matrix = next(m for m in body.select("math") if m.annotation.get_text() == MATRIX)
    assert len(matrix.select("mtr")) == 2 and len(matrix.select("mtd")) == 4


def test_display_math_right_after_an_html_line_is_typeset(notes_site):
    site, _ = notes_site
    body = page(site, "notes/many-body.html").select_one(".entry-body")
    assert "E = mc^2" in [m.annotation.get_text() for m in body.select('math[display="block"]')]
    assert "$$" not in body.get_text()


def test_emphasis_next_to_full_width_punctuation_is_bold(notes_site):
    site, _ = notes_site
    body = page(site, "notes/many-body.html").select_one(".entry-body")
    assert "定义（TFD）：" in [strong.get_text() for strong in body.select("strong")]
    assert "**" not in body.get_text()


def test_a_formula_that_cannot_be_typeset_is_warned_about_at_its_line_naming_the_file_once(notes_site):
    _, result = notes_site
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if "formula could not be typeset" in line]
    assert len(lines) == 1, lines
    assert lines[0].endswith("(2×): content/notes/many-body.md:14, content/notes/many-body.md:16"), lines


def test_a_picture_has_no_tex_or_mathml_text_for_alt(notes_site):
    site, _ = notes_site
    img = page(site, "notes/many-body.html").select_one(".entry-body img")
    assert img is not None
    assert "mc" not in img["alt"] and "\\" not in img["alt"]


def answer(number: int) -> str:
    """One answer as an exporter writes it (front matter with the answer's URL): the archive of one person's answers."""
    return (f"---\ntitle: 问题{number}是什么？\nurl: https://www.zhihu.com/question/{100 + number}/answer/{200 + number}\n"
            f"author: 答主\ncreated: 2024-{1 + number // 28:02d}-{number % 28 + 1:02d}\n---\n\n回答正文 {number}。\n")


@pytest.fixture(scope="module")
def answers_site(tmp_path_factory):
    site, result = site_built_as_a_user(tmp_path_factory.mktemp("answers"), {f"answers/{n}.md": answer(n) for n in range(35)})
    assert result.returncode == 0, result.stderr
    return site


def test_an_answers_only_archive_has_a_home_page_of_questions_with_their_answers(answers_site):
    home = page(answers_site, "index.html")
    assert [h2.get_text() for h2 in home.select("main h2")] == ["问题与回答"], "no 专栏 or 笔记 heading without pages"
    items = home.select("#questions .item")
    assert len(items) == 30, "the rest are a click away"
    assert items[0].select_one(".item-title").get_text() == "问题34是什么？", "the most recently answered first"
    assert items[0].select_one(".item-meta a")["href"] == "answers/234.html"
    assert home.select_one('#questions a[href="questions/index.html"]').get_text() == "全部 35 个问题 →"
    assert home.select_one(".stats").get_text() == "35 个问题 · 35 个回答"
    everything = page(answers_site, "questions/index.html")
    assert len(everything.select(".item")) == 35


def test_the_navigation_names_what_the_archive_holds(answers_site):
    nav = [a.get_text() for a in page(answers_site, "answers/203.html").select(".site-nav a")]
    assert nav == ["问题", "话题", "作者"]


def test_an_answer_page_shows_its_question_title_once(answers_site):
    header = page(answers_site, "answers/203.html").select_one(".entry-header")
    assert header.get_text().count("问题3是什么？") == 1
    assert header.select_one(".kicker a").get_text() == "问题"
    assert header.select_one(".kicker a")["href"] == "../questions/question-103.html"


def test_a_notes_only_archive_has_no_columns_or_questions(notes_site):
    site, _ = notes_site
    home = page(site, "index.html")
    assert [a.get_text() for a in home.select(".site-nav a")] == ["笔记", "话题", "作者"]
    assert [h2.get_text() for h2 in home.select("main h2")] == ["学习笔记"]
    assert not (site / "questions").exists()


PICTURES_NOTE = """# 图

![流程](/Users/someone/Documents/Many-Body/include/diagram.png)

![流程图](flow1.pdf)

![推导](derivation.pdf)

![证明](proof.pdf)

<img src="./small.png" width=50%>

<img src="//zhstatic.zhihu.com/assets/zhihu/ztext/whitedot.jpg" data-original="//pic1.zhimg.com/v2-ab_r.jpg">
"""


@pytest.fixture(scope="module")
def pictures_site(tmp_path_factory):
    files = {"notes/Many-Body/include/diagram.png": png(20, 10, (200, 0, 0)), "notes/图.md": PICTURES_NOTE,
             "notes/flow1.pdf": b"%PDF-1.4\n%stand-in\n", "notes/flow1.jpg": jpeg(), "notes/derivation.pdf": b"%PDF-1.4\n%only\n",
             "notes/proof.pdf": b"%PDF-1.4\n%another\n", "notes/small.png": png(40, 20, (0, 0, 200))}
    site, result = site_built_as_a_user(tmp_path_factory.mktemp("pictures"), files)
    return site, result, page(site, "notes/图.html").select_one(".entry-body")


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0" + bytes(60)


def test_an_absolute_path_is_the_file_under_content_with_its_longest_tail(pictures_site):
    site, result, body = pictures_site
    img = body.find("img", alt="流程")
    assert img is not None and img["src"].startswith("../images/")
    assert (site / "notes" / img["src"]).resolve().read_bytes() == png(20, 10, (200, 0, 0))
    assert "/Users/" not in str(body) and "absolute path" not in result.stderr


def test_a_pdf_figure_shows_the_picture_beside_it_else_links_the_pdf(pictures_site):
    site, _, body = pictures_site
    shown = body.find("img", alt="流程图")
    assert (site / "notes" / shown["src"]).resolve().read_bytes() == jpeg()
    links = {a.get_text(): (site / "notes" / a["href"]).resolve() for a in body.select("a.pdf-figure")}
    assert list(links) == ["推导（PDF）", "证明（PDF）"] and all(path.suffix == ".pdf" for path in links.values())
    # each PDF its own file: named by its bytes, two were once one name, the second over the first
    assert [path.read_bytes() for path in links.values()] == [b"%PDF-1.4\n%only\n", b"%PDF-1.4\n%another\n"]
    assert not body.select(".image-unavailable")


def test_a_width_the_author_gave_is_kept(pictures_site):
    _, _, body = pictures_site
    small = next(img for img in body.find_all("img") if img.get("width"))
    assert small["width"] == "50%"


def test_a_lazy_loading_placeholder_gives_way_to_the_real_picture(pictures_site):
    _, _, body = pictures_site
    srcs = [img["src"] for img in body.find_all("img")]
    assert "https://pic1.zhimg.com/v2-ab_r.jpg" in srcs
    assert not any("whitedot" in src or src.startswith("//") for src in srcs)


def test_a_questions_page_lists_its_answers_with_their_opening_lines(answers_site):
    question = page(answers_site, "index.html").select_one("#questions .item-title")["href"]
    answers = page(answers_site, question).select(".item-list .item")
    assert answers and answers[0].select_one(".item-excerpt").get_text() == "回答正文 34。"
    assert "0 赞同" not in answers[0].get_text() and "0 评论" not in answers[0].get_text()
