"""Backlinks, wikilinks and link previews as a user's builds make them: the CLI on a real project, twice where a rebuild matters."""
from __future__ import annotations

from bs4 import BeautifulSoup

from tests.conftest import build_as_a_user, make_project
from tests.linked import COLUMN, FROM_A, FROM_C, NOTE, UNRESOLVED_LINE, column, files


def backlinks(site, path: str) -> dict[str, list[str]]:
    """The 被引用 list of the page at *path*: each linking page's title and the sentences shown under it."""
    section = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser").select_one("section.backlinks")
    if section is None:
        return {}
    return {li.select_one("a.backlink-source").get_text(): [q.get_text(strip=True) for q in li.select(".backlink-context")]
            for li in section.select("li")}


def test_removing_a_link_removes_its_backlink_in_the_next_build(tmp_path):
    project = make_project(tmp_path, files())
    first = build_as_a_user(project)
    assert first.returncode == 0, first.stdout + first.stderr
    assert backlinks(project / "site", "p/102.html")["文章甲"] == [FROM_A]

    (project / "content" / COLUMN).write_text(column(a_links_b=False), encoding="utf-8")
    second = build_as_a_user(project)
    assert second.returncode == 0, second.stdout + second.stderr
    shown = backlinks(project / "site", "p/102.html")
    assert "文章甲" not in shown  # the page was drawn again, though its own text and the site's titles are the same
    assert shown["文章丙"] == [FROM_C]


def test_an_unresolved_wikilink_is_a_warning_with_file_and_line(tmp_path):
    result = build_as_a_user(make_project(tmp_path, files()), "--verbose")
    assert result.returncode == 0
    assert f"content/{NOTE}:{UNRESOLVED_LINE}" in result.stderr
    assert "unresolved wikilink: [[不存在的页]]" in result.stderr
    assert "代码里的" not in result.stderr  # brackets in code are code


def test_previews_false_writes_no_previews(tmp_path):
    project = make_project(tmp_path, files(), config="previews = false\n")
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    assert not (site / "previews").exists()
    assert "previews.js" not in (site / "p/101.html").read_text(encoding="utf-8")
    assert backlinks(site, "p/102.html")["文章甲"] == [FROM_A]  # backlinks stay: they are the page's own HTML


def test_a_wikilink_resolves_once_the_page_it_names_is_archived(tmp_path):
    project = make_project(tmp_path, {NOTE: "# 笔记\n\n见[[后来的文章]]。\n"})
    first = build_as_a_user(project)
    assert f"content/{NOTE}:3: warning: unresolved wikilink: [[后来的文章]] names no article, answer or note of this site" in first.stderr

    later = '{"title": "专栏", "article": [{"url": "https://zhuanlan.zhihu.com/p/7", "title": "后来的文章", "content": "<p>正文</p>"}]}'
    (project / "content" / "later.json").write_text(later, encoding="utf-8")
    second = build_as_a_user(project)  # the note's rewrite is cached: it is redone, as the title it looked up is now there
    assert "wikilink" not in second.stderr
    note = BeautifulSoup((project / "site" / "notes" / "读书笔记.html").read_text(encoding="utf-8"), "html.parser")
    assert note.select_one(".entry-body a")["href"] == "../p/7.html"
    assert backlinks(project / "site", "p/7.html") == {"笔记": ["见后来的文章。"]}


def test_a_pages_preview_file_is_the_one_the_browsers_script_looks_in():
    # The build sorts each page into a previews/<n>.js by a hash the reader's script computes again: the very loop of
    # themes/default/static/previews.js, run by Node, on paths of ASCII, Chinese and a character beyond the BMP.
    import json
    import re
    import subprocess
    from pathlib import Path

    from zhsite.render.links import preview_shard
    script = (Path(__file__).parent.parent / "themes" / "default" / "static" / "previews.js").read_text(encoding="utf-8")
    file_of = re.search(r"function fileOf\(path\) \{.*?\n  \}", script, re.S).group(0)
    paths = ["p/10000001.html", "notes/注意力机制.html", "notes/𝑥-与-y.html", "answers/2/1.html"]
    for count in (1, 7, 64):
        node = f"var FILES = {count};\n{file_of}\nconsole.log(JSON.stringify({json.dumps(paths)}.map(fileOf)));"
        found = json.loads(subprocess.run(["node", "-e", node], capture_output=True, text=True, check=True).stdout)
        assert [preview_shard(path, count) for path in paths] == found
        assert count == 1 or len(set(found)) > 1
