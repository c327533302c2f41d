"""Archives in the shapes real exporters and crawlers leave (issue #27), each built with the CLI as a user builds it.

Every fixture is written here from the format's field names and layout, never
copied from an archive.  Each case checks the page a reader gets: whether it
is an article, an answer or a note, its title, date, author and Zhihu link,
a lead picture kept in the body, and no markup shown as text; and that the
build says at most a few grouped lines.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import site_built_as_a_user
from tests.load.test_exports import png

# The lines a build prints besides problems: the count of problems and what was built.
SUMMARY_LINES = 2


@dataclass(frozen=True)
class Seen:
    """What a reader sees on one page."""

    kind: str  # "article", "answer" or "note", by where the page is
    title: str
    day: str  # the date shown, "" for none
    author: str
    link: str  # the 知乎原文 / 知乎原回答 link
    pictures: int  # in the body
    body: str  # the body's text


def seen(site: Path, page: str) -> Seen:
    html = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    meta = html.select_one(".entry-meta")
    time = meta.time if meta is not None else None
    author = meta.select_one(".author") if meta is not None else None
    link = meta.select_one("a.source-link") if meta is not None else None
    body = html.select_one(".entry-body")
    kind = {"p": "article", "answers": "answer", "notes": "note"}[page.split("/", 1)[0]]
    return Seen(kind, html.h1.get_text(strip=True), time.get_text(strip=True)[:10] if time else "",
                author.get_text(strip=True) if author else "", link["href"] if link else "",
                len(body.find_all("img")), body.get_text())


def built(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[Path, list[str]]:
    """The site of *files*, and the build's problem lines (each kind grouped on one line)."""
    site, run = site_built_as_a_user(tmp_path, files)
    assert run.returncode == 0, run.stderr
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert len(lines) <= SUMMARY_LINES + 3, lines
    return site, lines[:-SUMMARY_LINES]


def assert_no_tags_as_text(page: Seen) -> None:
    for tag in ("<p>", "</p>", "<h1>", "<meta", "<div", "**Link:**", "---"):
        assert tag not in page.body, tag


def utf8_note(cut_at: int) -> bytes:
    """A 1.3 KB note whose character at *cut_at* lost its last byte, as a scraper cut it."""
    data = ("# 截断的笔记\n\n" + "这是一段正文。" * 60).encode("utf-8")
    start = data.index("正".encode(), cut_at)
    return data[:start + 2] + data[start + 3:]


def test_a_note_with_one_truncated_character_is_kept_with_a_warning(tmp_path):
    site, problems = built(tmp_path, {"截断.md": utf8_note(700), "整齐.md": "# 整齐\n\n正文\n"})
    page = seen(site, "notes/截断.html")
    assert (page.kind, page.title) == ("note", "截断的笔记")
    assert page.body.count("\ufffd") == 1 and page.body.count("这是一段正文。") == 59
    [warning] = problems
    assert warning.startswith("content/截断.md:byte 7") and ": warning: undecodable bytes replaced with U+FFFD: 1 place in text read as UTF-8" in warning


def test_a_gbk_note_with_a_stray_byte_is_kept_and_a_mostly_undecodable_file_is_an_error(tmp_path):
    gbk = ("# 旧笔记\n\n" + "用旧工具写的。" * 40).encode("gb18030")
    files = {"旧.txt": gbk[:200] + gbk[200:201] + gbk[202:], "乱码.txt": bytes(range(0x80, 0x100)) * 4}
    site, run = site_built_as_a_user(tmp_path, files)
    assert run.returncode == 1
    assert "content/乱码.txt: error: cannot decode: neither UTF-8 nor GB18030" in run.stdout + run.stderr
    assert seen(site, "notes/旧.html").title == "旧笔记"


def test_crawler_markdown_keeps_its_lead_picture_and_is_titled_by_its_first_line(tmp_path):
    """A crawler's ``<page>/<n>.md``: only the post's body, no front matter, often opening with a picture."""
    files = {
        "某专栏/0.md": "![](0.png)\n\n第一句话就是标题\n\n正文第二段。\n",
        "某专栏/0.png": png(1),
        "某专栏/1.md": "\u200b\n\n![](https://pic1.zhimg.com/v2-x.jpg)\n图下的第一行\n\n正文。\n",
        "某专栏/2.md": "![](0.png)\n",
        "某专栏/3.md": "## \u200b\n\n真正的第一行\n",
        "某专栏/4.md": "---\ntitle: \"\\u200b\"\n---\n\n# 正文里的标题\n",
    }
    site, problems = built(tmp_path, files)
    assert problems == [] or all("image" in line for line in problems), problems
    first = seen(site, "notes/0.html")
    assert (first.kind, first.title, first.pictures) == ("note", "第一句话就是标题", 1)
    assert "第一句话就是标题" not in first.body and "正文第二段" in first.body
    second = seen(site, "notes/1.html")
    assert (second.title, second.pictures) == ("图下的第一行", 1)
    only_picture = seen(site, "notes/2.html")
    assert (only_picture.title, only_picture.pictures) == ("某专栏 2", 1)
    assert seen(site, "notes/3.html").title == "真正的第一行"
    assert seen(site, "notes/4.html").title == "正文里的标题"


def test_a_plain_text_note_is_titled_by_its_first_visible_line(tmp_path):
    site, _ = built(tmp_path, {"页/7.txt": "\u200b\u200b\n\n看得见的标题\n\n正文。\n", "页/8.txt": "\u200b\n"})
    assert seen(site, "notes/7.html").title == "看得见的标题"
    assert seen(site, "notes/8.html").title == "页 8"


HEXO = "title: 第一篇{n}\ndate: 2016-07-15 10:24:00\ncategories: 知乎\ndescription: 从知乎搬来\n---\n\n{body}"


def test_hexo_front_matter_without_its_opening_fence_titles_and_dates_the_note(tmp_path):
    files = {
        "hexo/plain.md": HEXO.format(n="甲", body="只有一段文字。\n"),
        "hexo/markdown.md": HEXO.format(n="乙", body="![](a.png)\n\n## 小节\n\n- 一\n- 二\n"),
        "hexo/a.png": png(2),
        "hexo/not-front-matter.md": "一行字: 不是键\n---\n\n正文\n",
    }
    site, problems = built(tmp_path, files)
    assert problems == []
    for name, title, pictures in (("plain", "第一篇甲", 0), ("markdown", "第一篇乙", 1)):
        page = seen(site, f"notes/{name}.html")
        assert (page.kind, page.title, page.day, page.pictures) == ("note", title, "2016-07-15", pictures)
        assert "categories" not in page.body and "从知乎搬来" not in page.body
        assert_no_tags_as_text(page)
    assert seen(site, "notes/not-front-matter.html").title == "一行字: 不是键"


def test_a_jekyll_post_without_a_date_takes_its_file_names(tmp_path):
    site, _ = built(tmp_path, {"_posts/2016-07-15-迁移.md": "# 迁移\n\n正文。\n"})
    assert seen(site, "notes/2016-07-15-迁移.html").day == "2016-07-15"


@pytest.mark.parametrize("header", [
    "**Link:** [https://zhuanlan.zhihu.com/p/3301]",
    " **Link:** [https://zhuanlan.zhihu.com/p/3301]",
    " **Author:** [张三](https://www.zhihu.com/people/zhangsan)\n\n **Link:** [https://zhuanlan.zhihu.com/p/3301]",
    "**Link:** https://zhuanlan.zhihu.com/p/3301",
], ids=["link only", "indented", "both indented", "bare URL"])
def test_a_zhihu_download_file_with_any_of_its_header_lines_is_the_article(tmp_path, header):
    files = {"导出/2023-03-04-标题.md": f"# 注意力\n\n{header}\n\n![](pic.png)\n\n正文。\n", "导出/pic.png": png(3)}
    site, problems = built(tmp_path, files)
    assert problems == []
    page = seen(site, "p/3301.html")
    assert (page.kind, page.title, page.day, page.link, page.pictures) == (
        "article", "注意力", "2023-03-04", "https://zhuanlan.zhihu.com/p/3301", 1)
    assert page.author == ("张三" if "Author" in header else "知乎用户")
    assert_no_tags_as_text(page)


REFERRER = '<meta name="referrer" content="no-referrer" />\n'


def exported_answer(answer_id: int, title: str, extra: str = "") -> str:
    """An exporter's one-answer HTML file: the referrer line, the title, the answer's HTML, then its label lines."""
    return (f"{REFERRER}<h1>{title}</h1>\n<p>第一段回答。</p><figure><img src=\"pic.png\"></figure>\n<p>第二段。</p>\n"
            f"Author: 张三\nLink: https://www.zhihu.com/question/77/answer/{answer_id}\nTime: 2021-03-04 05:06:07\nUpvotes: 89\n{extra}")


def test_an_exporters_html_answer_is_the_answer_not_tag_soup(tmp_path):
    files = {f"回答/{n}.html": exported_answer(n, f"问题{n}？") for n in range(1, 6)}
    files["回答/pic.png"] = png(4)
    files["回答/文章.html"] = (f"{REFERRER}<h1><a href=\"https://zhuanlan.zhihu.com/p/88\">一篇文章</a></h1>\n<p>文章正文。</p>\n"
                             "Time: 1600000000\nUpvotes: 3\n")
    site, problems = built(tmp_path, files)
    assert problems == []
    for n in range(1, 6):
        page = seen(site, f"answers/{n}.html")
        assert (page.kind, page.title, page.day, page.author, page.link, page.pictures) == (
            "answer", f"问题{n}？", "2021-03-04", "张三", f"https://www.zhihu.com/question/77/answer/{n}", 1)
        assert "Upvotes" not in page.body and "Time:" not in page.body and "第二段" in page.body
        assert_no_tags_as_text(page)
    article = seen(site, "p/88.html")
    assert (article.kind, article.title, article.day, article.link) == ("article", "一篇文章", "2020-09-13", "https://zhuanlan.zhihu.com/p/88")


def test_html_without_a_zhihu_link_is_a_note_rendered_from_its_html(tmp_path):
    files = {
        "html/笔记.html": f"{REFERRER}<h1>自己的笔记</h1>\n<p>一段<b>粗体</b>。</p>\nTime: 2021-05-06\n",
        "html/无标题.htm": "<div><p>\u200b</p><p>第一行</p><p>第二行</p></div>\n",
        "html/markdown.md": f"{REFERRER}\n## 小节\n\n<p>Markdown 里的 HTML</p>\n",
        "html/referrer.md": f"{REFERRER}\n![](pic.png)\n\n第一行正文\n\n第二段\n",
        "html/pic.png": png(5),
    }
    site, problems = built(tmp_path, files)
    assert problems == []
    note = seen(site, "notes/笔记.html")
    assert (note.kind, note.title, note.day) == ("note", "自己的笔记", "2021-05-06")
    assert "一段粗体。" in note.body
    assert_no_tags_as_text(note)
    assert seen(site, "notes/无标题.html").title == "第一行"
    markdown = seen(site, "notes/markdown.html")
    assert markdown.title == "小节" and "Markdown 里的 HTML" in markdown.body
    assert_no_tags_as_text(markdown)
    under_meta = seen(site, "notes/referrer.html")
    assert (under_meta.title, under_meta.pictures) == ("第一行正文", 1)
    assert_no_tags_as_text(under_meta)


def saved_article(post_id: str, initial: dict | None) -> str:
    """A saved article page whose visible part has no date and no column: Zhihu's state JSON has them."""
    state = f'<script id="js-initialData" type="text/json">{json.dumps(initial, ensure_ascii=False)}</script>' if initial else ""
    return f"""<!DOCTYPE html>
<!-- saved from url=(0034)https://zhuanlan.zhihu.com/p/{post_id} -->
<html><head><meta charset="utf-8"><title>保存的文章 - 知乎</title></head><body>
<article class="Post-Main"><h1 class="Post-Title">保存的文章</h1>
<div class="AuthorInfo"><meta itemprop="name" content="王五"><meta itemprop="url" content="https://www.zhihu.com/people/wangwu"></div>
<div class="RichText ztext Post-RichText"><p>正文。</p></div></article>{state}</body></html>"""


def test_a_saved_article_page_takes_date_column_and_followers_from_its_initial_data(tmp_path):
    entities = {"articles": {"61": {"id": 61, "created": 1600000000, "updated": 1700000000, "column": "c_61"}},
                "columns": {"c_61": {"id": "c_61", "title": "状态里的专栏", "followers": 321}}}
    files = {"p/61.html": saved_article("61", {"initialState": {"entities": entities}}), "p/62.html": saved_article("62", None)}
    site, problems = built(tmp_path, files)
    assert problems == []
    page = seen(site, "p/61.html")
    assert (page.kind, page.title, page.day, page.author, page.link) == (
        "article", "保存的文章", "2020-09-13", "王五", "https://zhuanlan.zhihu.com/p/61")
    column = BeautifulSoup((site / "columns" / "c_61.html").read_text(encoding="utf-8"), "html.parser")
    assert column.h1.get_text(strip=True) == "状态里的专栏" and "321 关注" in column.get_text()
    undated = BeautifulSoup((site / "p" / "62.html").read_text(encoding="utf-8"), "html.parser")
    assert undated.select_one(".kicker a").get_text() == "王五的知乎文章", "a folder (p/) is never a column"
