"""Items whose names slug alike each get a page of their own: no collision errors, nothing listed without a page."""
from __future__ import annotations

import json

import pytest

from tests.conftest import site_built_as_a_user
from zhsite.slug import distinct_slugs

FILES = {
    "a.json": json.dumps({"id": 1, "title": "一", "content": "<p>x</p>", "topics": ["LGBTQ"], "column": {"id": "c"}}, ensure_ascii=False),
    "b.json": json.dumps({"id": 2, "title": "二", "content": "<p>y</p>", "topics": ["LGBTQ+"], "column": {"id": "c"}}, ensure_ascii=False),
    "one/笔记.md": "# 第一份笔记\n\n正文",
    "two/笔记.md": "# 第二份笔记\n\n正文",
    "index.md": "# 名为 index 的笔记\n\n正文",
    # Two exporters' folders, each with a column.json and no Zhihu address: two columns, titled apart.
    "ml/column.json": json.dumps({"title": "机器学习", "article": [{"url": "https://zhuanlan.zhihu.com/p/31", "title": "ml", "content": "<p>m</p>"}]}, ensure_ascii=False),
    "cv/column.json": json.dumps({"title": "计算机视觉", "article": [{"url": "https://zhuanlan.zhihu.com/p/32", "title": "cv", "content": "<p>c</p>"}]}, ensure_ascii=False),
    # The same column split over two files: one column.
    "part1/split.json": json.dumps({"title": "分成两份", "article": [{"url": "https://zhuanlan.zhihu.com/p/41", "title": "上", "content": "<p>1</p>"}]}, ensure_ascii=False),
    "part2/split.json": json.dumps({"title": "分成两份", "article": [{"url": "https://zhuanlan.zhihu.com/p/42", "title": "下", "content": "<p>2</p>"}]}, ensure_ascii=False),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return site_built_as_a_user(tmp_path_factory.mktemp("paths"), FILES)


def test_topics_that_slug_alike_get_their_own_pages(built):
    site, result = built
    assert result.returncode == 0 and "error" not in result.stderr, result.stderr
    plus = "topics/lgbtq-" + distinct_slugs([("LGBTQ", "LGBTQ"), ("LGBTQ+", "LGBTQ+")])[1].split("-")[1] + ".html"
    assert "<h1>LGBTQ</h1>" in (site / "topics/lgbtq.html").read_text(encoding="utf-8")
    assert "<h1>LGBTQ+</h1>" in (site / plus).read_text(encoding="utf-8")
    assert f'href="../{plus}"' in (site / "p/2.html").read_text(encoding="utf-8")


def test_notes_that_slug_alike_and_an_index_note_each_keep_a_page_listed_once(built):
    site, _ = built
    notes = sorted(p.name for p in (site / "notes").glob("*.html"))
    assert len(notes) == 4 and "index.html" in notes  # the list of notes, and three notes
    listing = (site / "notes/index.html").read_text(encoding="utf-8")
    for title in ("第一份笔记", "第二份笔记", "名为 index 的笔记"):
        assert listing.count(title) == 1
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('href="notes/') - home.count('href="notes/index.html"') == 3


def test_distinct_slugs_are_stable_whatever_the_order():
    items = [("LGBTQ+", "LGBTQ+"), ("LGBTQ", "LGBTQ"), ("lgbtq", "lgbtq")]
    first = distinct_slugs(items)
    assert first[1] == "lgbtq" and len(set(first)) == 3
    assert distinct_slugs(items[::-1]) == first[::-1]
    assert distinct_slugs([("index", "x")], reserved={"index"})[0].startswith("index-")


def test_columns_that_slug_alike_keep_a_page_each_and_a_split_column_stays_one(built):
    site, result = built
    assert result.returncode == 0 and "error" not in result.stderr, result.stderr
    pages = {p.name: p.read_text(encoding="utf-8") for p in (site / "columns").glob("*.html")}
    titled = {name for name, html in pages.items() if "<h1>机器学习</h1>" in html or "<h1>计算机视觉</h1>" in html}
    assert len(titled) == 2 and "column.html" in titled
    split = [html for html in pages.values() if "<h1>分成两份</h1>" in html]
    assert len(split) == 1 and "../p/41.html" in split[0] and "../p/42.html" in split[0]
