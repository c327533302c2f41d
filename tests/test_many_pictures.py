"""A post of more pictures than any real one (issue #32): past the first few thousand they are their addresses, said once.

Built as a user builds it; what the reader sees is every address still on the
page, the first pictures as pictures, and one warning naming the file, the post and the count;
a post that large is in the feeds as its excerpt.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import lxml.html
import pytest

from tests.conftest import build_as_a_user, make_project
from tests.epub.conftest import Book
from zhsite.pictures import MAX_PICTURES
from zhsite.render import FEED_BODY_MAX

EXTRA = 12
ADDRESSES = [f"https://pic1.zhimg.com/v2-{i:032x}_b.jpg" for i in range(MAX_PICTURES + EXTRA)]
# Zhihu's figure: a lazy-loading blank with the picture in data-actualsrc, and a <noscript> copy of it.
FIGURE = ('<figure><noscript><img src="{0}"></noscript>'
          '<img src="data:image/svg+xml;utf8,&lt;svg/&gt;" data-actualsrc="{0}"></figure>')
# A quarter of the limit in figures (two <img> each), the rest bare: the limit counts every <img> that shows a picture.
FIGURES = MAX_PICTURES // 4
CONTENT = ("<p>很多图。</p>" + "".join(FIGURE.format(url) for url in ADDRESSES[:FIGURES])
           + "".join(f"<img src='{url}'>" for url in ADDRESSES[FIGURES:-1])
           + f"<p><a href='https://example.org/page'>一张链接的图 <img src='{ADDRESSES[-1]}'></a></p><p>完。</p>")
COLUMN = json.dumps({"title": "图集", "url": "https://zhuanlan.zhihu.com/tuji", "article": [
    {"url": "https://zhuanlan.zhihu.com/p/7", "title": "万图", "userName": "作者", "content": CONTENT}]})
ATOM = "{http://www.w3.org/2005/Atom}"
LINKED = len(ADDRESSES) - (MAX_PICTURES - FIGURES)  # the figures' pictures took two places each within the limit


def in_order(text: str, addresses: list[str]) -> bool:
    """Whether every address is in *text*, each after the one before."""
    at = 0
    for address in addresses:
        at = text.find(address, at)
        if at < 0:
            return False
        at += len(address)
    return True


@pytest.mark.parametrize("images", ['[images]\nmode = "remote"\n', '[images]\nmode = "local"\noffline = true\n'])
def test_pictures_past_the_limit_are_their_addresses_in_text_with_one_warning(tmp_path, images):
    project = make_project(tmp_path, {"col.json": COLUMN}, images)
    run = build_as_a_user(project, "--verbose")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    said = [line for line in run.stderr.splitlines() if "too many pictures" in line]
    assert said == [f"content/col.json:article 7: warning: too many pictures: past the first {MAX_PICTURES:,} pictures of one text,"
                    f" {LINKED:,} are shown as their addresses, not as pictures"], run.stderr
    page = lxml.html.parse(str(project / "site" / "p" / "7.html"))
    text = page.xpath("//article")[0].text_content()
    assert in_order(text, ADDRESSES[-LINKED:]), "every picture past the limit is its address, in its place"
    assert sum(text.count(address) for address in ADDRESSES[-LINKED:]) == LINKED, "a figure's <noscript> copy is not said twice"
    linked_picture = page.xpath("//a[@href='https://example.org/page']")[0]
    assert " ".join(linked_picture.text_content().split()) == f"一张链接的图 {ADDRESSES[-1]}"
    shown = page.xpath("//article//img/@src | //article//a[@class='image-unavailable']/@href")
    assert len(shown) == len(ADDRESSES) - LINKED, "the first pictures are still pictures (or, offline, boxes)"
    assert shown == ADDRESSES[:-LINKED]
    if "local" in images:  # offline, the image phase could have none of the pictures it looked for: the links' it never looked for
        assert "image not saved" in run.stderr
        assert not any(address in run.stderr for address in ADDRESSES[-LINKED:])


def test_the_books_show_the_same_addresses(tmp_path):
    project = make_project(tmp_path, {"col.json": COLUMN}, 'epub = true\n[images]\nmode = "remote"\noffline = true\n')
    run = build_as_a_user(project)
    assert run.returncode == 0, run.stderr
    book = Book(project / "site" / "epub" / "tuji.epub")
    assert in_order("".join(book.page("p/7.xhtml").itertext()), ADDRESSES[-LINKED:])


def test_the_feeds_carry_a_huge_posts_excerpt_and_its_page_the_whole(tmp_path):
    many = [f"https://pic1.zhimg.com/v2-{i:032x}_b.jpg" for i in range(MAX_PICTURES + FEED_BODY_MAX // 100)]
    content = "<p>开头的一句话，列表和预览都用它。</p>" + "".join(f"<img src='{url}'>" for url in many)
    column = json.dumps({"title": "图集", "url": "https://zhuanlan.zhihu.com/tuji", "article": [
        {"url": "https://zhuanlan.zhihu.com/p/8", "title": "太多图", "userName": "作者", "content": content},
        {"url": "https://zhuanlan.zhihu.com/p/9", "title": "一张图", "userName": "作者", "content": f"<p>一张：<img src='{many[0]}'></p>"}]})
    project = make_project(tmp_path, {"col.json": column})
    run = build_as_a_user(project)
    assert run.returncode == 0, run.stderr
    assert (project / "site" / "p" / "8.html").stat().st_size > FEED_BODY_MAX
    page = lxml.html.parse(str(project / "site" / "p" / "8.html"))
    assert in_order(page.xpath("//article")[0].text_content(), many[MAX_PICTURES:])
    for feed in ("feed.xml", "columns/tuji.xml"):
        entries = {entry.findtext(f"{ATOM}title"): entry for entry in ET.parse(project / "site" / feed).getroot().iter(f"{ATOM}entry")}
        assert entries["太多图"].find(f"{ATOM}content") is None
        assert entries["太多图"].findtext(f"{ATOM}summary") == "开头的一句话，列表和预览都用它。"
        assert many[0] in entries["一张图"].findtext(f"{ATOM}content"), "a post of a normal size is in the feed whole"
