"""``zhsite serve`` shows backlinks and serves the link previews, and a rebuild after a link goes drops its backlink."""
from __future__ import annotations

import json

from bs4 import BeautifulSoup

from tests.conftest import make_project
from tests.linked import B_OPENS, COLUMN, FROM_A, column, files
from tests.serve.conftest import running
from tests.serve.helpers import fetch


def backlink_sources(server, path: str) -> list[str]:
    status, _, body = fetch(server.url, path)
    assert status == 200
    return [a.get_text() for a in BeautifulSoup(body.decode("utf-8"), "html.parser").select("section.backlinks a.backlink-source")]


def test_served_backlinks_follow_an_edit(tmp_path):
    project = make_project(tmp_path, files())
    with running(project) as server:
        assert backlink_sources(server, "/p/102.html") == ["文章丙", "文章甲", "读书笔记"]
        assert FROM_A in fetch(server.url, "/p/102.html")[2].decode("utf-8")
        status, headers, preview = fetch(server.url, "/previews/0.js")
        assert status == 200 and "javascript" in headers["Content-Type"]
        assert "文章乙" in preview.decode("utf-8")

        (project / "content" / COLUMN).write_text(column(a_links_b=False), encoding="utf-8")
        assert server.wait_for_builds(2, timeout=120)
        assert backlink_sources(server, "/p/102.html") == ["文章丙", "读书笔记"]


def related_titles(server, path: str) -> list[str]:
    status, _, body = fetch(server.url, path)
    assert status == 200
    return [a.get_text() for a in BeautifulSoup(body.decode("utf-8"), "html.parser").select("nav.related a")]


def test_a_renamed_article_is_renamed_where_other_pages_show_it(tmp_path):
    """The backlinks and related pages are kept from save to save while the links and topics are the same:
    a new title still shows under 被引用 and 相关 on the pages linked, and in the link previews."""
    project = make_project(tmp_path, files())
    with running(project) as server:
        assert "文章甲" in backlink_sources(server, "/p/102.html") and "文章甲" in related_titles(server, "/p/102.html")
        renamed = column().replace('"文章甲"', '"文章甲（修订）"')
        (project / "content" / COLUMN).write_text(renamed, encoding="utf-8")
        assert server.wait_for_builds(2, timeout=120)
        assert backlink_sources(server, "/p/102.html") == ["文章丙", "文章甲（修订）", "读书笔记"]
        assert "文章甲（修订）" in related_titles(server, "/p/102.html")
        preview = fetch(server.url, "/previews/0.js")[2].decode("utf-8")
        assert '"t":"文章甲（修订）"' in preview and '"t":"文章甲"' not in preview


def test_an_edited_opening_is_the_new_preview(tmp_path):
    """A save that changes an article's first lines, not its links: its preview says the new ones."""
    project = make_project(tmp_path, files())
    with running(project) as server:
        assert B_OPENS in fetch(server.url, "/previews/0.js")[2].decode("utf-8")
        (project / "content" / COLUMN).write_text(column().replace(B_OPENS, "乙的新开头。"), encoding="utf-8")
        assert server.wait_for_builds(2, timeout=120)
        preview = fetch(server.url, "/previews/0.js")[2].decode("utf-8")
        assert "乙的新开头。" in preview and B_OPENS not in preview
        assert backlink_sources(server, "/p/102.html") == ["文章丙", "文章甲", "读书笔记"]


def test_a_post_saved_in_another_file_makes_an_unchanged_posts_link_to_it_local(tmp_path):
    """serve keeps an unchanged item's rewrite from save to save only while what it looked up is the same: a post
    it links to, archived by the save, makes its link go to that post's page."""
    def one(number: int, content: str) -> str:
        return json.dumps({"title": f"专栏{number}", "article": [
            {"url": f"https://zhuanlan.zhihu.com/p/{number}", "title": f"文章{number}", "content": content}]}, ensure_ascii=False)

    project = make_project(tmp_path, {"a.json": one(1, '<p>见<a href="https://zhuanlan.zhihu.com/p/2">另一篇</a>。</p>')})

    def link(server) -> str:
        body = BeautifulSoup(fetch(server.url, "/p/1.html")[2].decode("utf-8"), "html.parser")
        return next(a["href"] for a in body.select(".entry-body a") if a.get_text() == "另一篇")
    with running(project) as server:
        assert link(server) == "https://zhuanlan.zhihu.com/p/2"
        (project / "content" / "b.json").write_text(one(2, "<p>第二篇。</p>"), encoding="utf-8")
        assert server.wait_for_builds(2, timeout=120)
        assert link(server) == "2.html"
