"""Zhihu pins (想法), as the API sends them (``/api/v4/members/<id>/pins``): each a page of the site, none lost.

The fixtures follow the fields of the API's pin records (the ones export tools
such as stablog type out): ``content`` blocks, ``content_html``,
``excerpt_title``, ``origin_pin`` for a repin, ``tags``, ``created``.
"""
from __future__ import annotations

import json

from bs4 import BeautifulSoup

from tests.conftest import make_project, site_built_as_a_user
from tests.epub.conftest import Book, epub, epubcheck
from zhsite.load import load_content

AUTHOR = {"name": "丧心病狂", "url_token": "bingo", "url": "/people/dd2a620fbc04bf35f833006745a46e84"}
PICTURE = "https://pic2.zhimg.com/50/v2-e42ce349576557e5a739d2621d518679_qhd.jpg"


def pin(pin_id: str, **fields) -> dict:
    return {"id": pin_id, "type": "pin", "url": f"/pins/{pin_id}", "author": AUTHOR, "created": 1554523087, "updated": 1554523087,
            "comment_count": 22, "reaction_count": 61, "tags": [], **fields}


PINS = {
    "data": [
        pin("1097830077735231488", excerpt_title="哈尔滨沙赞基本没人看……这可是假期啊",
            content=[{"type": "text", "content": "哈尔滨沙赞基本没人看……这可是假期啊", "own_text": "哈尔滨沙赞基本没人看……这可是假期啊", "fold_type": "raw"},
                     {"type": "image", "url": PICTURE, "width": 4096, "height": 3072, "is_gif": False}]),
        pin("1141627123784638464", excerpt_title="转一记，假如我中奖了的话…", tags=["#读论文#"],
            content=[{"type": "text", "content": "转一记，假如我中奖了的话"}],
            content_html="<div>转一记，假如我中奖了的话</div>",
            origin_pin=pin("1141499842592423936", author={"name": "机构号", "url_token": "st"}, excerpt_title="官宣…",
                           content=[{"type": "text", "content": "官宣：机构号三年啦"}], content_html="<div>官宣：机构号三年啦</div>")),
        pin("1200000000000000000", content=[{"type": "link", "url": "https://arxiv.org/abs/1706.03762", "title": "Attention Is All You Need"}]),
    ],
    "paging": {"is_end": True, "next": "https://www.zhihu.com/api/v4/members/bingo/pins?offset=20"},
}


def test_a_page_of_pins_is_read_as_pins_of_their_authors_column(tmp_path):
    loaded = load_content(make_project(tmp_path, {"pins.json": json.dumps(PINS, ensure_ascii=False)}) / "content")
    assert loaded.problems == []
    [column] = loaded.columns
    assert (column.slug, column.title, column.url) == ("pins-bingo", "丧心病狂的想法", "https://www.zhihu.com/people/bingo/pins")
    by_id = {article.id: article for article in column.articles}
    first, repin, link = (by_id[pin_id] for pin_id in ("1097830077735231488", "1141627123784638464", "1200000000000000000"))
    assert [a.kind for a in column.articles] == ["pin"] * 3
    assert first.title == "哈尔滨沙赞基本没人看……这可是假期啊" and first.url == "https://www.zhihu.com/pin/1097830077735231488"
    assert first.path == "pins/1097830077735231488.html" and first.archive_key == "pin/1097830077735231488"
    assert (first.published, first.upvotes, first.comments_on_zhihu, first.author.name) == ("2019-04-06T03:58:07Z", 61, 22, "丧心病狂")
    assert f'<img src="{PICTURE}" width="4096" height="3072">' in first.content
    assert [t.name for t in repin.topics] == ["读论文"]
    assert repin.content.startswith("<div>转一记，假如我中奖了的话</div><blockquote>")
    assert '<a href="https://www.zhihu.com/pin/1141499842592423936">机构号的想法</a>' in repin.content and "官宣：机构号三年啦" in repin.content
    assert link.title == "Attention Is All You Need"  # no excerpt: the opening of its text
    assert '<a href="https://arxiv.org/abs/1706.03762">Attention Is All You Need</a>' in link.content


def test_one_pin_file_and_a_pin_of_pictures_only(tmp_path):
    only_pictures = pin("1300000000000000000", content=[{"type": "image", "url": PICTURE}])
    loaded = load_content(make_project(tmp_path, {"one.json": json.dumps(only_pictures)}) / "content")
    assert loaded.problems == [] and [a.title for c in loaded.columns for a in c.articles] == ["想法 1300000000000000000"]


def test_pins_built_as_a_user_are_pages_a_reader_finds(tmp_path):
    column = {"title": "专栏", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "一",
                                            "content": '<p>见<a href="https://www.zhihu.com/pin/1097830077735231488">那条想法</a>。</p>'}]}
    site, done = site_built_as_a_user(tmp_path, {"pins.json": json.dumps(PINS, ensure_ascii=False), "col.json": json.dumps(column, ensure_ascii=False)})
    assert done.returncode == 0, done.stderr
    assert "(2 columns, 1 articles, 3 pins, 0 notes)" in done.stderr
    page = BeautifulSoup((site / "pins" / "1097830077735231488.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("h1").get_text(strip=True) == "哈尔滨沙赞基本没人看……这可是假期啊"
    source = page.select_one("a.source-link")
    assert (source.get_text(), source["href"]) == ("知乎原想法", "https://www.zhihu.com/pin/1097830077735231488")
    assert page.select(".entry-body img")
    assert [a.get_text(" ", strip=True) for a in page.select("nav.pager a")][0].startswith(("上一条", "下一条"))
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one(".stats").get_text(" ", strip=True) == "1 个专栏 · 1 篇文章 · 3 条想法"  # the pins' column is no 专栏
    assert [card.select_one(".item-meta").get_text(" ", strip=True) for card in home.select("#columns .card")] == ["1 篇文章", "3 条想法"]
    article = BeautifulSoup((site / "p" / "1.html").read_text(encoding="utf-8"), "html.parser")
    assert article.find("a", string="那条想法")["href"] == "../pins/1097830077735231488.html"  # a link to an archived pin stays in the site
    repin = BeautifulSoup((site / "pins" / "1141627123784638464.html").read_text(encoding="utf-8"), "html.parser")
    assert "官宣：机构号三年啦" in repin.select_one(".entry-body blockquote").get_text()


def test_an_authors_pins_are_an_e_book_that_counts_them_as_pins(tmp_path):
    project = make_project(tmp_path, {"pins.json": json.dumps(PINS, ensure_ascii=False)})
    done = epub(project, "-o", str(tmp_path / "books"), "--offline")
    assert done.returncode == 0, done.stderr
    book_path = tmp_path / "books" / "pins-bingo.epub"
    epubcheck(book_path)
    book = Book(book_path)
    title_page = "".join(book.page("title.xhtml").itertext())
    assert "共 3 条" in title_page and "知乎上的想法" in title_page
    assert len(book.chapters()) == 3
    assert "知乎原想法" in "".join(book.page(book.chapters()[0]).itertext())


def test_a_pin_block_with_nothing_to_show_is_said_on_the_page_not_dropped(tmp_path):
    blocks = [{"type": "text", "content": "看这个视频"}, {"type": "video", "video_info": {"duration": 30}}, {"type": "poll", "id": 1}]
    loaded = load_content(make_project(tmp_path, {"p.json": json.dumps(pin("1400000000000000000", content=blocks), ensure_ascii=False)}) / "content")
    [article] = loaded.columns[0].articles
    assert article.content == "<p>看这个视频</p><p>［视频，未存档］</p><p>［其他内容，未存档］</p>"
