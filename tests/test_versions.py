"""Versions, not overwrites: a post archived with different text keeps every version (docs/archives.md, Versions).

Fixtures are hand-written from the documented field names: a column dump saved
on two days (its crawl date in the folder's name) and two API v4 article files
with different ``updated`` times.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import build_as_a_user, make_project, site_built_as_a_user
from tests.test_search import indexed_text


def dump(text: str) -> str:
    """A column dump of article 5 holding *text*, and article 6, which no crawl changed."""
    return json.dumps({"title": "专栏", "url": "https://zhuanlan.zhihu.com/c_1", "article": [
        {"url": "https://zhuanlan.zhihu.com/p/5", "title": "一篇", "content": text},
        {"url": "https://zhuanlan.zhihu.com/p/6", "title": "同样的一篇", "content": "<p>不变的正文。</p>"},
    ]}, ensure_ascii=False)


def api_article(updated: int, text: str) -> str:
    return json.dumps({"id": 101, "type": "article", "title": "注意力机制", "content": text, "created": 1578021840, "updated": updated,
                       "author": {"name": "作者甲", "url_token": "jia"}, "column": {"id": "deep-notes", "title": "深度笔记"}}, ensure_ascii=False)


FILES = {
    "2020-01-02/column.json": dump("<p>第一段话。</p><p>原来的说法很直接。</p>"),
    "2021-05-06/column.json": dump("<p>第一段话。</p><p>后来的说法很委婉。</p><p>新加的一段。</p>"),
    # Named so that the older is read last: the newer is told by its time, not by the order of reading.
    "api/a.json": api_article(1609459200, "<p>修改后的结论。</p>"),  # 2021-01-01T00:00:00Z
    "api/b.json": api_article(1578108240, "<p>最初的结论。</p>"),  # 2020-01-04T03:24:00Z
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    site, run = site_built_as_a_user(tmp_path_factory.mktemp("versions"), FILES)
    assert run.returncode == 0, run.stderr
    return site, run.stdout + run.stderr


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize(("page", "dates", "version"), [
    ("p/5.html", ["2020-01-02", "2021-05-06（最新）"], "5/v1.html"),
    ("p/101.html", ["2020-01-04", "2021-01-01（最新）"], "101/v1.html"),
])
def test_the_newest_is_the_page_and_names_every_version_by_its_date(built, page, dates, version):
    site, _ = built
    notice = soup(site / page).find(class_="notice-versions")
    assert notice.get_text().startswith("本文有 2 个存档版本")
    assert [item.get_text() for item in notice.find_all(["a", "strong"])] == dates
    assert notice.a["href"] == version and notice.strong["aria-current"] == "page"


def test_an_older_version_has_its_own_page_with_its_differences_from_the_newest_marked(built):
    site, _ = built
    page = soup(site / "p" / "5" / "v1.html")
    diff = page.find(class_="diff")
    assert [d.get_text() for d in diff.find_all("del")] == ["原", "直接"]
    assert [i.get_text().strip() for i in diff.find_all("ins")] == ["后", "委婉", "新加的一段。"]
    assert "原来的说法很直接。" in page.find(class_="version-full").get_text()
    assert page.find("a", string="最新版本")["href"] == "../5.html"
    api = soup(site / "p" / "101" / "v1.html").find(class_="diff")
    assert "最初" in [d.get_text() for d in api.find_all("del")] and "修改后" in [i.get_text() for i in api.find_all("ins")]


def test_the_warning_says_every_version_was_kept_and_identical_copies_say_nothing(built):
    site, printed = built
    assert "warning: archived with different text (2×)" in printed
    assert "kept the newer copy" not in printed and "article 6" not in printed
    assert (site / "p" / "6.html").is_file() and not (site / "p" / "6").exists()
    assert soup(site / "p" / "6.html").find(class_="notice-versions") is None


def test_search_feeds_and_sitemap_hold_the_newest_only(built):
    site, _ = built
    files = {path.relative_to(site).as_posix(): path.read_bytes() for path in (site / "search").iterdir()}
    text = indexed_text(files)
    assert "后来的说法很委婉" in text and "修改后的结论" in text
    assert "原来的说法很直接" not in text and "最初的结论" not in text
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "p/5.html" in sitemap and "/v1.html" not in sitemap
    feed = (site / "columns" / "c_1.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2 and "v1.html" not in feed


def test_a_picture_only_the_older_version_has_is_copied_with_local_images(tmp_path, image_server):
    project = make_project(tmp_path, {
        "2020-01-02/column.json": dump('<p>配图如下。</p><figure><img src="https://img.example.org/censored.png"></figure>'),
        "2021-05-06/column.json": dump("<p>配图如下。</p>"),
    }, image_server.config())
    run = build_as_a_user(project)
    assert run.returncode == 0, run.stderr
    older = soup(project / "site" / "p" / "5" / "v1.html").find(class_="version-full").img
    assert not older["src"].startswith("http") and (project / "site" / "p" / "5" / older["src"]).resolve().is_file()
    assert image_server.requests == {"/ex/censored.png": 1}


def test_copies_of_one_text_whose_counts_differ_are_one_version_the_newer(tmp_path):
    older, newer = json.loads(api_article(1578108240, "<p>同一段话。</p>")), json.loads(api_article(1609459200, "<p>同一段话。</p>"))
    site, run = site_built_as_a_user(tmp_path, {"a.json": json.dumps(dict(older, voteup_count=3)), "b.json": json.dumps(dict(newer, voteup_count=9))})
    assert run.returncode == 0, run.stderr
    assert "content/a.json:article 101: warning: archived twice, differently: kept the newer copy, from content/b.json" in run.stdout + run.stderr
    assert "archived with different text" not in run.stdout + run.stderr
    page = soup(site / "p" / "101.html")
    assert "9 赞同" in page.find(class_="entry-meta").get_text() and page.find(class_="notice-versions") is None
    assert not (site / "p" / "101").exists()
