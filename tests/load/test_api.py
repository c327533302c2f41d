"""Zhihu API v4 shapes, their camelCase copies and folders of one-article files.

Fixtures are hand-written from the documented field names, small enough to read.
"""
from __future__ import annotations

import json
import re

from tests.conftest import build_as_a_user, make_project
from zhsite.build import build
from zhsite.load import load_content

API_ARTICLE = {
    "id": 101,
    "type": "article",
    "title": "注意力机制",
    "content": "<p>正文</p>",
    "excerpt": "摘要",
    "created": 1578021840,  # 2020-01-03T03:24:00Z
    "updated": 1578108240,  # 2020-01-04T03:24:00Z
    "voteup_count": 12,
    "comment_count": 1,
    "author": {"name": "作者甲", "url_token": "jia", "avatar_url": "https://pic1.zhimg.com/a.jpg", "headline": "h"},
    "topics": [{"id": "19596960", "name": "目标检测"}],
    "column": {"id": "deep-notes", "title": "深度笔记"},
    "image_url": "https://pic1.zhimg.com/v2-title.jpg",
    "comments": {
        "data": [
            {
                "content": "好文",
                "author": {"member": {"name": "读者乙", "url_token": "yi"}},
                "vote_count": 3,
                "created_time": 1578025440,
                "child_comments": [{"content": "同意", "author": {"name": "读者丙"}, "like_count": 1, "reply_to_author": {"member": {"name": "读者乙"}}}],
            }
        ],
        "paging": {"is_end": True},
    },
}
API_ANSWER = {
    "id": 101,  # same number as the article: answers live elsewhere
    "type": "answer",
    "question": {"id": 555, "title": "如何学习深度学习？"},
    "content": "<p>回答正文</p>",
    "voteup_count": 7,
    "created_time": 1577836800,
    "updated_time": 1577923200,
    "author": {"name": "答主", "url": "https://api.zhihu.com/people/abc123"},
}
CAMEL_ARTICLE = {
    "id": "202",
    "title": "驼峰导出",
    "content": "<p>x</p>",
    "rawHtml": "<html><body><script>RAW_HTML_MARKER</script></body></html>",
    "voteupCount": 5,
    "commentCount": 0,
    "createdTime": "2020-01-03 03:24",
    "updatedTime": "2020-01-05 10:00",
    "topics": ["机器学习", "深度学习"],
    "author": {"name": "作者丁", "url": "/people/ding"},
}


def load(tmp_path, files):
    return load_content(make_project(tmp_path, files) / "content")


def test_api_article_fields_become_the_model(tmp_path):
    loaded = load(tmp_path, {"a.json": json.dumps(API_ARTICLE)})
    assert loaded.problems == []
    [column] = loaded.columns
    assert (column.slug, column.title, column.url) == ("deep-notes", "深度笔记", "https://zhuanlan.zhihu.com/deep-notes")
    [article] = column.articles
    assert (article.id, article.title, article.upvotes, article.path) == ("101", "注意力机制", 12, "p/101.html")
    assert article.url == "https://zhuanlan.zhihu.com/p/101"
    assert (article.published, article.updated) == ("2020-01-03T03:24:00Z", "2020-01-04T03:24:00Z")
    assert (article.author.name, article.author.id, article.author.url) == ("作者甲", "jia", "https://www.zhihu.com/people/jia")
    assert [(t.name, t.id) for t in article.topics] == [("目标检测", "19596960")]
    assert article.image == "https://pic1.zhimg.com/v2-title.jpg"
    [comment] = article.comments
    assert (comment.author.name, comment.likes, comment.date) == ("读者乙", 3, "2020-01-03T04:24:00Z")
    [reply] = comment.replies
    assert (reply.author.name, reply.likes, reply.reply_to) == ("读者丙", 1, "读者乙")


def test_api_answer_groups_under_its_question_with_its_own_path(tmp_path):
    loaded = load(tmp_path, {"answers.json": json.dumps({"data": [API_ANSWER], "paging": {"is_end": True}})})
    assert loaded.problems == []
    [question] = loaded.columns
    assert (question.kind, question.slug, question.title) == ("question", "555", "如何学习深度学习？")
    [answer] = question.articles
    assert (answer.kind, answer.path, answer.title) == ("answer", "answers/101.html", "如何学习深度学习？")
    assert answer.url == "https://www.zhihu.com/question/555/answer/101"
    assert answer.author.id == "abc123" and answer.published == "2020-01-01T00:00:00Z"


def test_api_times_in_milliseconds_are_read_and_one_that_is_no_time_is_told(tmp_path):
    """A JavaScript exporter writes ``Date.now()``'s milliseconds; a time that is none is a warning at its post."""
    posts = [API_ARTICLE | {"id": 102, "created": 1578021840000, "updated": "1578108240000"},
             API_ARTICLE | {"id": 103, "created": "上周", "updated": 0}]
    loaded = load(tmp_path, {"a.json": json.dumps(posts, ensure_ascii=False)})
    dates = {a.id: (a.published, a.updated) for a in loaded.columns[0].articles}
    assert dates == {"102": ("2020-01-03T03:24:00Z", "2020-01-04T03:24:00Z"), "103": ("", "")}
    assert [(p.file, p.where, p.kind, p.detail, p.severity) for p in loaded.problems] == [
        ("content/a.json", "data[1] (id 103)", "time not read", "created = '上周': neither a unix time nor a date", "warning")]


def test_camel_case_export_and_raw_html_ignored(tmp_path):
    loaded = load(tmp_path, {"camel.json": json.dumps(CAMEL_ARTICLE)})
    [article] = loaded.columns[0].articles
    assert article.upvotes == 5
    # Exporters print Zhihu's clock (UTC+8) without a zone.
    assert (article.published, article.updated) == ("2020-01-02T19:24:00Z", "2020-01-05T02:00:00Z")
    assert [t.name for t in article.topics] == ["机器学习", "深度学习"]
    assert (article.author.id, article.author.url) == ("ding", "https://www.zhihu.com/people/ding")
    assert "RAW_HTML_MARKER" not in article.content


def test_paging_wrapper_without_column_is_named_by_the_file_and_sorted_newest_first(tmp_path):
    old = {**CAMEL_ARTICLE, "id": 1, "createdTime": "2019-01-01 00:00"}
    new = {**CAMEL_ARTICLE, "id": 2, "createdTime": "2021-01-01 00:00"}
    loaded = load(tmp_path, {"my-export.json": json.dumps({"data": [old, new], "paging": {}})})
    [column] = loaded.columns
    assert (column.slug, column.title) == ("my-export", "my-export")
    assert [a.id for a in column.articles] == ["2", "1"]


def test_folder_of_one_article_files_is_one_column(tmp_path):
    files = {f"我的专栏/{i}.json": json.dumps({**CAMEL_ARTICLE, "id": i, "title": f"第{i}篇"}) for i in (1, 2, 3)}
    files["named/a.json"] = json.dumps({**API_ARTICLE, "id": 7})
    files["named/b.json"] = json.dumps({**API_ARTICLE, "id": 8})
    loaded = load(tmp_path, files)
    assert loaded.problems == []
    by_slug = {c.slug: c for c in loaded.columns}
    assert sorted(by_slug) == ["deep-notes", "我的专栏"]
    assert by_slug["我的专栏"].title == "我的专栏"
    assert len(by_slug["我的专栏"].articles) == 3
    assert [a.id for a in by_slug["deep-notes"].articles] == ["8", "7"]


def test_bad_posts_are_reported_by_place_and_the_rest_loads(tmp_path):
    data = {"data": [API_ARTICLE, "text", {"title": "no id", "content": "<p/>"}, {"id": 9, "title": "t", "content": None}]}
    loaded = load(tmp_path, {"bad.json": json.dumps(data)})
    assert [a.id for c in loaded.columns for a in c.articles] == ["101"]
    assert [(p.file, p.where) for p in loaded.problems] == [
        ("content/bad.json", "data[1]"),
        ("content/bad.json", "data[2]"),
        ("content/bad.json", "data[3] (id 9)"),
    ]


def test_unknown_shape_names_keys_and_the_build_says_once_what_is_supported(tmp_path):
    files = {f"odd{i}.json": json.dumps({"data": [{"content": "a comment", "author": {"name": "x"}}], "paging": {}}) for i in range(2)}
    loaded = load(tmp_path, {**files, "good.json": json.dumps(API_ARTICLE)})
    assert [p.message for p in loaded.problems] == ["unknown archive shape: found data, paging"] * 2
    result = build_as_a_user(tmp_path)
    lines = result.stderr.splitlines()
    assert lines[0] == "error: unknown archive shape (2×): content/odd0.json, content/odd1.json"
    assert lines[1].startswith("  supported archive shapes: column dump; API v4 answer; crawler's answer; API v4 pin (想法); API v4 video (视频); API v4 article; list or paging wrapper")
    assert sum("supported" in line for line in lines) == 1


def test_every_shape_builds_into_pages_feeds_and_sitemap(tmp_path):
    files = {
        "article.json": json.dumps(API_ARTICLE),
        "answers.json": json.dumps({"data": [API_ANSWER]}),
        "camel/one.json": json.dumps(CAMEL_ARTICLE),
    }
    result = build(make_project(tmp_path, files, 'base_url = "https://example.org/"\n'), tmp_path / "site")
    assert result.errors == []
    site = tmp_path / "site"
    article = (site / "p/101.html").read_text(encoding="utf-8")
    assert '<time datetime="2020-01-03T03:24:00Z">2020-01-03</time>' in article and "好文" in article
    answer = (site / "answers/101.html").read_text(encoding="utf-8")
    assert "回答正文" in answer and "知乎原回答" in answer
    question = (site / "questions/555.html").read_text(encoding="utf-8")
    assert "1 个回答" in question and "answers/101.html" in question
    camel = (site / "p/202.html").read_text(encoding="utf-8")
    assert "RAW_HTML_MARKER" not in camel
    # Written in Zhihu's clock (UTC+8), kept in UTC, shown as the day Zhihu showed.
    assert '<time datetime="2020-01-02T19:24:00Z">2020-01-03</time>' in camel
    assert '编辑于 <time datetime="2020-01-05T02:00:00Z">2020-01-05</time>' in camel
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<published>2020-01-03T03:24:00Z</published>" in feed
    assert re.search(r"<generator>", feed) and "<updated>2020-01-05T02:00:00Z</updated>\n  <generator>" in feed
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "p/101.html</loc><lastmod>2020-01-04T03:24:00Z</lastmod>" in sitemap
    # Deterministic: a second build is byte-identical.
    again = build(tmp_path, tmp_path / "site2")
    assert again.errors == []
    for path in site.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "site2" / path.relative_to(site)).read_bytes(), path
