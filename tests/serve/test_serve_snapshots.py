"""What ``serve`` has published stays as it was: a snapshot still being drawn from, the last good site after a
failed rebuild; and its build cache on disk stays the size of one site however often the user saves."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CONTENT, build_as_a_user, make_project
from tests.serve.conftest import seed_copy
from tests.serve.helpers import fetch
from zhsite.serve.inject import inject_reload_script
from zhsite.serve.routes import EVENTS

LINKING = "p/1.html"  # links to article 2, which is not archived at first: a link to zhihu.com, local once it is


def column(title: str, *ids: int) -> str:
    articles = [{"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "published": f"2020-01-0{i}",
                 "content": f'<p>正文{i} <a href="https://zhuanlan.zhihu.com/p/2">见第二篇</a></p>'} for i in ids]
    return json.dumps({"title": title, "article": articles}, ensure_ascii=False)


def linking_project(root: Path) -> Path:
    return make_project(root, {"one.json": column("一", 1)})


def archive_article_2(project: Path) -> None:
    """Article 1's file is not touched, but its rewritten body changes: its link to article 2 becomes local."""
    (project / "content" / "two.json").write_text(column("二", 2), encoding="utf-8")


def test_a_snapshot_still_served_keeps_its_pages_while_a_rebuild_gives_its_articles_other_bodies(serve, tmp_path, log):
    project = linking_project(tmp_path)
    server = serve(project)
    first = server.app.published.state.site.files
    before = first.planned.renderer.render(LINKING)  # drawn, but not kept: the snapshot draws it again below
    assert b"zhuanlan.zhihu.com/p/2" in before
    archive_article_2(project)
    assert server.wait_for_builds(2, timeout=120), log
    assert b"zhuanlan.zhihu.com/p/2" not in fetch(server.url, "/" + LINKING)[2], "the new site links locally"
    assert first[LINKING] == before, "the old snapshot, drawn after the rebuild, shows what it showed"


def test_a_failed_rebuild_leaves_the_last_good_pages_byte_identical(serve, tmp_path, log):
    project = linking_project(tmp_path)
    server = serve(project)
    state = server.app.published.state
    expected = inject_reload_script(state.site.files.planned.renderer.render(LINKING), "/" + EVENTS, state.site.id)
    (project / "templates").mkdir()
    (project / "templates" / "index.html").write_text("{% if %}", encoding="utf-8")  # fails after the rewrite stage
    archive_article_2(project)
    assert server.wait_for_builds(2, timeout=120), log
    assert "build failed; still serving the last good site" in log
    status, _, body = fetch(server.url, "/" + LINKING)  # first drawn now, from the last good site
    assert status == 200
    assert body == expected


def cache_size(project: Path) -> int:
    return sum(p.stat().st_size for p in (project / ".zhsite-cache").iterdir() if p.is_file())


def test_saving_a_note_again_and_again_under_serve_keeps_the_cache_within_twice_a_fresh_builds(serve, tmp_path, log):
    fresh = seed_copy(tmp_path / "fresh")
    assert build_as_a_user(fresh).returncode == 0
    project = seed_copy(tmp_path / "served")
    note = project / "content" / "cv-lecture-notes.md"
    text = (CONTENT / "cv-lecture-notes.md").read_text(encoding="utf-8")
    server = serve(project)
    for save in range(1, 13):
        note.write_text(text + f"\n\n第{save}次保存：{'新的一段。' * 200}\n", encoding="utf-8")
        assert server.wait_for_builds(save + 1, timeout=120), log
        server.wait_for_search()  # each save's new search index parts stored
    assert fetch(server.url, "/search.html")[0] == 200
    grown = cache_size(project)
    assert grown <= 2 * cache_size(fresh), (grown, cache_size(fresh))


def test_saves_under_serve_leave_the_last_good_copies_to_the_next_build(serve, project, log):
    """serve's rebuilds read only what changed, and drop what they stored and stopped using: never the build's last good reads."""
    server = serve(project)
    note = project / "content" / "cv-lecture-notes.md"
    column = project / "content" / "shallow-learning-column.json"
    for save in (1, 2):
        note.write_text(note.read_text(encoding="utf-8") + f"\n\n第{save}次保存。\n", encoding="utf-8")
        assert server.wait_for_builds(save + 1, timeout=120), log
    column.write_text(column.read_text(encoding="utf-8").replace("浅度学习", "浅度学习（服务时改过）", 1), encoding="utf-8")
    assert server.wait_for_builds(4, timeout=120), log
    server.stop()
    column.write_bytes(column.read_bytes()[:1000])  # then cut off by a sync gone wrong
    built = build_as_a_user(project)
    assert built.returncode == 1
    assert "content/shallow-learning-column.json: error: pages kept from the last good copy" in built.stderr
    assert "第2次保存" in (project / "site" / "notes" / "cv-lecture-notes.html").read_text(encoding="utf-8")
    # the copy kept is the one saved under serve, not the older one the first build read
    assert "浅度学习（服务时改过）" in (project / "site" / "index.html").read_text(encoding="utf-8")
