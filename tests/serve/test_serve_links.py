"""``zhsite serve`` shows backlinks and serves the link previews, and a rebuild after a link goes drops its backlink."""
from __future__ import annotations

from bs4 import BeautifulSoup

from tests.conftest import make_project
from tests.linked import COLUMN, FROM_A, column, files
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
