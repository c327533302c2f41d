"""API v4 dumps saved page by page, captured responses, ``{meta, items}`` wrappers and feed items.

The column comes from the paging URLs or the items' ``column``, never from a
page file's name. Fixtures are written here from the documented field names.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import make_project, site_built_as_a_user
from zhsite.load import load_content

NEXT = "https://www.zhihu.com/api/v4/columns/deep-notes/items?limit=10&offset={}"
COLUMN = {"id": "deep-notes", "title": "深度笔记"}


def article(i: int, **fields) -> dict:
    return {"id": i, "type": "article", "title": f"第{i}篇", "content": f"<p>正文{i}</p>", "created": 1578021840 + i, **fields}


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


FILES = {
    "metadata/page1.json": as_json({"data": [article(1, column=COLUMN), article(2)], "paging": {"is_end": False, "next": NEXT.format(10)}}),
    "metadata/page2.json": as_json({"data": [article(3)], "paging": {"is_end": True, "previous": NEXT.format(0)}}),
    # A bare list repeating items of page 1 (article 2 names no column, and this page no paging URL).
    "metadata/page3.json": as_json([article(1, column=COLUMN), article(2), article(4, column=COLUMN, comment_count=64)]),
    "export/items.json": as_json({"meta": {"exported": "2024-01-01"}, "items": [article(5, column=COLUMN)]}),
    "export/feed.json": as_json({"data": [{"type": "feed", "verb": "MEMBER_VOTEUP_ARTICLE", "target": article(6, column=COLUMN)}], "paging": {}}),
    "export/captured.json": as_json([{
        "url": "https://www.zhihu.com/api/v4/questions/555/feeds?cursor=abc",
        "data": {"data": [{"type": "answer", "target": {"id": 801, "type": "answer", "question": {"id": 555, "title": "问题五五五"}, "content": "<p>捕获的回答</p>"}}], "paging": {}},
    }]),
    "export/answers.json": as_json([{"id": 802, "title": "", "url": "https://api.zhihu.com/answers/802", "content": "<p>标题为空的回答</p>"}]),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return site_built_as_a_user(tmp_path_factory.mktemp("pages"), FILES)


def test_page_files_make_one_column_named_by_their_paging_urls(tmp_path):
    loaded = load_content(make_project(tmp_path, FILES) / "content")
    assert loaded.problems == []
    columns = {c.path: sorted(a.id for a in c.articles) for c in loaded.columns}
    assert columns["columns/deep-notes.html"] == ["1", "1", "2", "3", "4", "5", "6"]
    assert not any("page" in path for path in columns)


def test_repeated_items_are_one_page_quietly_in_the_column_that_names_them(built):
    site, result = built
    assert result.returncode == 0 and "warning" not in result.stderr and "error" not in result.stderr
    assert [p.name for p in (site / "columns").glob("*.html")] == ["deep-notes.html"]
    assert (site / "columns/deep-notes.html").read_text(encoding="utf-8").count('href="../p/1.html"') == 1


def test_captured_responses_feed_items_and_titleless_answers_are_answers(built):
    site, result = built
    assert result.returncode == 0, result.stderr
    assert "捕获的回答" in (site / "answers/801.html").read_text(encoding="utf-8")
    assert 'href="../questions/555.html"' in (site / "answers/801.html").read_text(encoding="utf-8")
    assert "标题为空的回答" in (site / "answers/802.html").read_text(encoding="utf-8")
    assert not (site / "p/802.html").exists() and not (site / "columns/answers.html").exists()


def test_zhihu_comment_count_is_shown_when_the_comments_were_not_archived(built):
    site, _ = built
    assert "<span>64 评论</span>" in (site / "p/4.html").read_text(encoding="utf-8")
    assert "评论</span>" not in (site / "p/5.html").read_text(encoding="utf-8")  # none archived, none counted: no "0 评论"


def test_a_page_of_a_collections_items_reads_each_post_it_holds(tmp_path):
    """收藏夹 (``/api/v4/collections/<id>/items``): each item holds its post under ``content``, beside when it was saved."""
    answer = {"id": 901, "type": "answer", "question": {"id": 556, "title": "收藏的问题"}, "content": "<p>收藏的回答</p>", "author": {"name": "甲"}}
    page = {"data": [{"created": "2021-03-01T10:00:00+08:00", "content": answer},
                     {"created": "2021-03-02T10:00:00+08:00", "content": article(7, column=COLUMN)},
                     {"created": "2021-03-03T10:00:00+08:00", "content": {"id": "8", "type": "pin", "content_html": "<div>收藏的想法</div>",
                                                                          "author": {"name": "乙", "url_token": "yi"}}}],
            "paging": {"is_end": True, "next": "https://www.zhihu.com/api/v4/collections/42/items?offset=20"}}
    loaded = load_content(make_project(tmp_path, {"favlist.json": as_json(page)}) / "content")
    assert loaded.problems == []
    assert sorted((c.title, [(a.kind, a.id) for a in c.articles]) for c in loaded.columns) == [
        ("乙的想法", [("pin", "8")]), ("收藏的问题", [("answer", "901")]), ("深度笔记", [("article", "7")])]
