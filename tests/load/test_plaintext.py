"""Plain-text notes: the blog-aggregator scrape seed and the conventions it follows."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from tests.conftest import CONTENT
from zhsite.load.plaintext import read_text_note

HOTPOT = CONTENT / "dl-hotpot-faq.txt"


def read(text: str):
    loaded = read_text_note(text, "content/note.txt")
    [note] = loaded.notes
    assert loaded.problems == []
    return note, BeautifulSoup(note.content, "html.parser")


def test_title_line_and_metadata_line_become_metadata_not_text():
    note, html = read(HOTPOT.read_text(encoding="utf-8"))
    assert note.title == "DL超级大火锅"
    assert (note.origin, note.date) == ("互联网", "2024-04-27T13:22")
    assert "第一财经知乎" not in html.get_text()
    assert "DL超级大火锅" not in html.get_text()


def test_every_hex_section_is_a_heading():
    source = HOTPOT.read_text(encoding="utf-8")
    _, html = read(source)
    sections = [h.get_text() for h in html.find_all("h2")]
    assert len(sections) == len(re.findall(r"^0x[0-9A-F]{2}\b", source, re.M)) == 95
    assert sections[:2] == ["0x00 文章来由", "0x01 卷积层学习卷积核?"]


def test_bare_urls_become_links_without_the_punctuation_after_them():
    _, html = read(HOTPOT.read_text(encoding="utf-8"))
    hrefs = [a["href"] for a in html.find_all("a")]
    assert "https://www.zhihu.com/question/39022858" in hrefs
    assert "https://groups.google.com/forum/#!topic/caffe-users/vLSHG1r1VUo" in hrefs
    assert not [h for h in hrefs if h[-1] in ".,:;"]
    _, html = read("标题\n\n见 https://en.wikipedia.org/wiki/Softmax_(function)。以及（https://a.cn/x）")
    assert [a["href"] for a in html.find_all("a")] == ["https://en.wikipedia.org/wiki/Softmax_(function)", "https://a.cn/x"]


def test_lost_images_are_visible_markers():
    source = HOTPOT.read_text(encoding="utf-8")
    _, html = read(source)
    assert len(html.select(".image-missing")) == source.count("这里写图片描述") == 41
    assert "这里写图片描述" not in html.get_text()


def test_paragraphs_keep_single_newlines_and_escape_markup():
    _, html = read("标题\n\n第一行\n第二行 <script>x</script>\n\n下一段")
    first, second = html.find_all("p")
    assert [str(c) for c in first.contents if c.name] == ["<br/>"]
    assert "<script>x</script>" in first.get_text() and html.script is None
    assert second.get_text() == "下一段"


def test_numbered_lines_alone_are_sub_headings_and_numbered_sentences_are_not():
    _, html = read("标题\n\n一、数据准备\n\n1. 下载数据集\n\n1、shuffle:在框架允许的前提下,每个epoch要shuffle一次;2、扩展数据集\n\n2.5 倍的提升。\n")
    assert [h.get_text() for h in html.find_all("h3")] == ["一、数据准备", "1. 下载数据集"]
    assert len(html.find_all("p")) == 2


def test_source_lines_in_the_body_stay_text():
    note, html = read("标题\n\n正文第一段\n\n正文第二段\n\n正文第三段\n\n作者:郑文勋\n来源:知乎 时间:2017/01/01\n")
    assert note.origin == "" and "来源:知乎" in html.get_text()
