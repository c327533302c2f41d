"""A corpus of broken archives in one project: each gets its exact message, and the rest still builds.

The table in docs/broken-input.md lists the same cases; keep the two in step.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import site_built_as_a_user


def column(title: str, *articles: dict) -> str:
    return json.dumps({"title": title, "article": list(articles)}, ensure_ascii=False)


def article(article_id: int, title: str | None = "一篇", content: str | None = "<p>正文</p>", **more) -> dict:
    return {"url": f"https://zhuanlan.zhihu.com/p/{article_id}", "title": title, "content": content, **more}


def nested(depth: int) -> dict:
    comment = {"userName": f"第{depth}层", "content": f"<p>回复第{depth}层</p>"}
    if depth < 50:
        comment["childComments"] = [nested(depth + 1)]
    return comment


CORPUS = {
    "good.json": column("好专栏", article(1)),
    "truncated.json": '{"title": "x", "article": [{"url": ',
    "wrong-shape.json": '{"data": 3, "paging": {}}',
    "null-fields.json": column("空字段", article(2, title=None, content=None), article(3)),
    "duplicate.json": column("重复", article(1, "同一篇的另一份")),
    "empty.md": "",
    "binary.txt": b"\x80\x81\x82\x83\x84\x85\x86\x87\x00\x00\x00\rIHDR",
    "picture.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # a picture is no archive: not a problem
    "gbk.txt": "国标编码的笔记\n\n正文".encode("gb18030"),
    "bom.md": b"\xef\xbb\xbf# \xe5\xb8\xa6 BOM \xe7\x9a\x84\xe7\xac\x94\xe8\xae\xb0\n\ntext\n",
    "five-megabytes.json": column("大", article(5, "五兆", "<p>" + "长文" * 900_000 + "</p>")),
    "deep-comments.json": column("深", article(6, "五十层评论", comments=[nested(1)])),
    "no-articles.json": column("无文章"),
}

EXPECTED_LINES = [
    "content/duplicate.json:article 1: warning: archived with different text: all 2 versions kept, the older from content/good.json",
    "content/truncated.json:1:36: error: not valid JSON: Expecting value",
    "content/wrong-shape.json: error: unknown archive shape: found data, paging",
    "  supported archive shapes: column dump; ",
    "content/null-fields.json:article[0] (id 2): warning: content is missing (null); the page has the title, comments and source link only",
    "content/empty.md: warning: empty file",
    "content/five-megabytes.json:article 5: warning: page too long to search whole: only the first ",  # 1,800,000 characters
    "2 error(s), 4 warning(s)",
    "skipped 1 other binary files",  # binary.txt: binary bytes, whatever its name
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return site_built_as_a_user(tmp_path_factory.mktemp("broken"), CORPUS)


def test_each_broken_file_gets_its_line_and_the_build_fails(built):
    _, result = built
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for expected in EXPECTED_LINES:
        assert any(line.startswith(expected) for line in lines), expected
    assert len(lines) == len(EXPECTED_LINES) + 1  # and the closing "built … pages" line


@pytest.mark.parametrize(
    ("page", "text"),
    [
        ("p/1.html", "同一篇的另一份"),  # kept where first seen: duplicate.json sorts first
        ("p/2.html", "无标题文章 2"),  # null title and content: still a page, with its link to Zhihu
        ("p/3.html", "一篇"),
        ("p/5.html", "五兆"),
        ("p/6.html", "回复第50层"),
        ("notes/gbk.html", "国标编码的笔记"),
        ("notes/bom.html", "带 BOM 的笔记"),
        ("columns/no-articles.html", "无文章"),
    ],
)
def test_everything_else_is_built(built, page, text):
    site, _ = built
    assert text in (site / page).read_text(encoding="utf-8")


def test_fifty_nested_replies_stay_nested(built):
    site, _ = built
    html = (site / "p" / "6.html").read_text(encoding="utf-8")
    assert html.count('class="comment-list') >= 50
