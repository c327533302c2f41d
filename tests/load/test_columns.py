"""The column-dump reader on the real seeds and on the variants users have."""
from __future__ import annotations

import json

from tests.conftest import CAPTAIN, SHALLOW
from zhsite.load.columns import read_column
from zhsite.problems import Problem


def read(data, name: str):
    """The column a dump file holds, and the problems met (a reader gives a Loaded: zhsite/load/loaded.py)."""
    loaded = read_column(data, name)
    [column] = loaded.columns
    return column, loaded.problems


def load(path):
    return read(json.loads(path.read_text(encoding="utf-8")), path.name)


def test_seed_column_metadata():
    column, problems = load(SHALLOW)
    assert problems == []
    assert column.title == "浅度学习"
    assert column.slug == "shallow-learning"
    assert column.url == "https://zhuanlan.zhihu.com/shallow-learning"
    assert column.followers == 33
    assert len(column.articles) == 4


def test_seed_articles_newest_first_with_authors_topics_and_comments():
    column, _ = load(CAPTAIN)
    ids = [int(a.id) for a in column.articles]
    assert len(ids) == 47 and ids == sorted(ids, reverse=True)
    article = next(a for a in column.articles if a.id == "88830653")
    assert article.title == "Anchor Free第四篇CenterNet: Keypoint Triplets"
    assert article.author.name == "船长"
    assert article.author.id == "89f0b9e35e459846140118beaf57d1d8"
    assert [t.name for t in article.topics] == ["机器学习", "深度学习（Deep Learning）", "目标检测"]
    assert article.topics[2].id == "19596960"
    assert article.url == "https://zhuanlan.zhihu.com/p/88830653"


def test_threaded_comments_keep_replies_and_reply_to():
    column, _ = load(SHALLOW)
    threads = [c for a in column.articles for c in a.comments if c.replies]
    reply = threads[0].replies[0]
    assert reply.reply_to == threads[0].author.name
    assert reply.author.name
    assert all(isinstance(c.likes, int) for c in threads)


def test_missing_keys_get_defaults_and_unknown_keys_are_ignored():
    data = {"article": [{"url": "https://zhuanlan.zhihu.com/p/123", "content": "<p>x</p>", "extra": {"a": 1}}], "junk": 1}
    column, problems = read(data, "my-dump.json")
    assert problems == []
    assert column.title == "my-dump" and column.slug == "my-dump"
    article = column.articles[0]
    assert article.id == "123"
    assert article.title  # never empty: a page needs an <h1>
    assert article.author.name == "知乎用户"
    assert article.upvotes == 0 and article.topics == [] and article.comments == []


def test_one_bad_article_is_reported_and_skipped_not_the_column_and_null_content_is_kept():
    data = {
        "title": "t",
        "article": [
            {"url": "https://zhuanlan.zhihu.com/p/1", "title": "good", "content": "<p>ok</p>"},
            "not an object",
            {"url": "https://zhuanlan.zhihu.com/p/3", "title": "null content", "content": None},
            {"title": "no id", "content": "<p/>"},
            {"url": "https://zhuanlan.zhihu.com/p/5", "title": "list content", "content": ["<p/>"]},
        ],
    }
    column, problems = read(data, "c.json")
    # A null content keeps the article (title, comments, link to Zhihu) with a warning.
    assert sorted(a.title for a in column.articles) == ["good", "null content"]
    assert [(p.file, p.where, p.severity) for p in problems] == [
        ("c.json", "article[1]", "error"),
        ("c.json", "article[2] (id 3)", "warning"),
        ("c.json", "article[3]", "error"),
        ("c.json", "article[4] (id 5)", "error"),
    ]
    assert all(isinstance(p, Problem) for p in problems)


def test_anonymous_commenter_has_no_profile():
    data = {"article": [{"url": "/p/5", "content": "", "comments": [{"userName": "知乎用户", "userLink": "https://www.zhihu.com/people/0", "content": "hi"}]}]}
    column, _ = read(data, "c.json")
    author = column.articles[0].comments[0].author
    assert author.name == "知乎用户" and author.id == "" and author.url == ""


def test_a_comment_archived_twice_is_shown_once_with_the_replies_of_both():
    # The seed's 83220498 holds H丶w's "真心可以" twice: once alone, once with 船长's reply.
    column, _ = load(CAPTAIN)
    article = next(a for a in column.articles if a.id == "83220498")
    same = [c for c in article.comments if c.content == "真心可以"]
    assert len(same) == 1
    assert [r.content for r in same[0].replies] == ["<p>哈哈，喜欢的话，欢迎Star</p>"]
    assert len(article.comments) == 3


def test_a_dump_with_times_keeps_them_in_seconds_milliseconds_or_text_and_tells_one_it_cannot_read():
    """The seed crawler writes no dates; a dump that has them (the API's names, a JavaScript exporter's milliseconds,
    text in Zhihu's time) keeps them, and a time that is none is a warning, not a page silently undated."""
    articles = [
        {"id": 1, "title": "秒", "content": "<p>x</p>", "created": 1577836800, "updated": "1577923200"},
        {"id": 2, "title": "毫秒", "content": "<p>x</p>", "created": 1700000000000, "updatedTime": 1700000000123},
        {"id": 3, "title": "文字", "content": "<p>x</p>", "created_time": "2023-11-14 22:13:20"},
        {"id": 4, "title": "未知", "content": "<p>x</p>", "created": 0, "updated": ""},
        {"id": 5, "title": "读不懂", "content": "<p>x</p>", "created": "昨天 12:30", "updated": -5},
    ]
    column, problems = read({"title": "有日期", "article": articles}, "dated.json")
    dates = {a.id: (a.published, a.updated) for a in column.articles}
    assert dates == {
        "1": ("2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z"),
        "2": ("2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z"),
        "3": ("2023-11-14T14:13:20Z", ""),
        "4": ("", ""),
        "5": ("", ""),
    }
    assert [a.id for a in column.articles][:3] == ["2", "3", "1"], "newest first, by the times read"
    assert problems == [
        Problem("dated.json", "article[4] (id 5)", "time not read", "created = '昨天 12:30': neither a unix time nor a date", severity="warning"),
        Problem("dated.json", "article[4] (id 5)", "time not read", "updated = '-5': neither a unix time nor a date", severity="warning"),
    ]
