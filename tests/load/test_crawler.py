"""A crawler's data folder, laid out as such crawlers write it: one file per answer, the question's meta.json,
author profiles, its own crawl state and debug snapshots.

Fixtures are written here from the documented field names.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import site_built_as_a_user


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


CRAWL = {
    "crawl/questions/555/meta.json": as_json({
        "title": "如何学习深度学习？", "detail": "<p>题目的<b>补充说明</b></p>",
        "topics": [{"id": "19813032", "name": "深度学习"}], "followerCount": 120, "answerCount": 64,
    }),
    "crawl/questions/555/answers/901.json": as_json({
        "id": 901, "questionId": 555, "content": "<p>第一个回答</p>", "createdTime": 1577836800, "voteupCount": 3,
        "commentCount": 64, "author": {"name": "答主甲", "urlToken": "jia"},
        "topComments": [{"content": "置顶的评论", "author": {"name": "读者"}, "likeCount": 5}],
    }),
    "crawl/questions/555/answers/902.json": as_json({
        "id": 902, "questionId": "555", "content": "<p>第二个回答</p>", "createdTime": 1577923200,
        "author": {"name": "答主乙", "url": "https://www.zhihu.com/people/yi"},
        "hotComment": {"content": "最热的评论", "author": {"name": "读者乙"}},
    }),
    "crawl/questions/777/answers/903.json": as_json({
        "id": 903, "questionId": 777, "question": {"title": "没有 meta 的问题"}, "content": "<p>第三个回答</p>",
        "author": {"name": "答主甲", "urlToken": "jia"},
    }),
    "crawl/authors/jia.json": as_json({
        "id": "jia", "name": "答主甲", "headline": "机器学习研究者", "avatarUrl": "https://pic1.zhimg.com/jia.jpg",
        "url": "https://www.zhihu.com/people/jia",
    }),
    "crawl/authors/nobody.json": as_json({"id": "nobody", "name": "路人", "headline": "", "avatarUrl": "https://pic1.zhimg.com/x.jpg"}),
    "crawl/topics/19550517.json": as_json({"id": "19550517", "name": "LGBTQ", "cursor": "abc", "answerIds": [901]}),
    "crawl/debug/api-responses.json": as_json([{"url": "https://www.zhihu.com/api/v4/questions/555/feeds?cursor=1", "status": 200, "data": {"session": {"id": "1"}}}]),
    "crawl/debug/initial.html": "<!doctype html><html><body><div id=root></div></body></html>",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return site_built_as_a_user(tmp_path_factory.mktemp("crawler"), CRAWL)


def page(site, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_the_crawl_builds_without_problems_and_counts_what_it_skipped(built):
    _, result = built
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "skipped 2 crawl state files, 1 page snapshots",
        result.stderr.splitlines()[1],
    ]
    assert "(0 columns, 0 articles, 2 questions, 3 answers, 0 notes)" in result.stderr


def test_a_question_page_shows_its_detail_counts_topics_and_every_archived_answer(built):
    site, _ = built
    html = page(site, "questions/555.html")
    assert "<h1>如何学习深度学习？</h1>" in html
    assert "题目的<b>补充说明</b>" in html
    assert "64 个回答，存档 2 个 · 120 关注" in html
    assert 'href="../topics/19813032.html"' in html
    assert 'href="../answers/901.html">答主甲 的回答</a>' in html and 'href="../answers/902.html">答主乙 的回答</a>' in html
    assert 'href="https://www.zhihu.com/question/555"' in html
    home = page(site, "index.html")
    assert 'href="questions/555.html"' in home
    assert "2 个问题 · 3 个回答</p>" in home


def test_a_crawler_answer_takes_its_question_title_and_topics_and_its_top_comments(built):
    site, _ = built
    first = page(site, "answers/901.html")
    assert "<h1>如何学习深度学习？</h1>" in first
    assert 'href="../questions/555.html"' in first
    assert 'href="../topics/19813032.html"' in first
    assert "<span>64 评论</span>" in first  # Zhihu's count, though only the top comment was archived
    assert "置顶的评论" in first and "知乎上共 64 条评论，存档了其中 1 条" in first
    assert 'href="https://www.zhihu.com/question/555/answer/901"' in first
    assert "最热的评论" in page(site, "answers/902.html")
    assert "<h1>没有 meta 的问题</h1>" in page(site, "answers/903.html")


def test_author_profiles_fill_in_the_author_pages(built):
    site, _ = built
    html = page(site, "authors/jia.html")
    assert "机器学习研究者" in html and 'src="https://pic1.zhimg.com/jia.jpg"' in html
    assert not (site / "authors" / "nobody.html").exists()  # a profile alone is not an author with posts
