"""Whatever path a build takes, cold, with nothing changed or after an edit, its site is byte for byte what a cold
build of the same project gives; and every page showing what was edited changed.

Built as a user builds (``zhsite build`` in its own process, the project's build cache), on the small linked
archive (tests/linked.py): three articles that link each other and share topics, and a note.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests import linked
from tests.conftest import build_as_a_user, make_project, site_built_as_a_user
from tests.test_search import documents
from zhsite.build import build

A, B = "p/101.html", "p/102.html"  # 甲 links 乙


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def built_fresh(project: Path, tmp_path: Path) -> dict[str, bytes]:
    """The same project, copied without its site and build cache, built cold."""
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("site", ".zhsite-cache"))
    assert build_as_a_user(fresh).returncode == 0
    return snapshot(fresh / "site")


def edit_article(project: Path, number: int, **fields: str) -> None:
    path = project / "content" / linked.COLUMN
    column = json.loads(path.read_text(encoding="utf-8"))
    article = next(a for a in column["article"] if a["url"].endswith(f"/p/{number}"))
    article.update(fields)
    path.write_text(json.dumps(column, ensure_ascii=False), encoding="utf-8")


def showing(files: dict[str, bytes], text: str) -> set[str]:
    return {path for path, data in files.items() if text.encode() in data}


def part(page: bytes, opening: str, closing: str) -> str:
    """The part of *page* from *opening* to the next *closing* (the backlinks section, the related pages' list)."""
    html = page.decode("utf-8")
    start = html.index(opening)
    return html[start:html.index(closing, start)]


def built_twice(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """The linked archive built cold, then again with nothing changed: the same bytes, nothing drawn."""
    site, cold = site_built_as_a_user(tmp_path / "p", linked.files())
    assert cold.returncode == 0, cold.stderr
    first = snapshot(site)
    again = build_as_a_user(site.parent)
    assert again.returncode == 0 and "; 0 files drawn, the rest unchanged" in again.stderr
    assert again.stderr.splitlines()[-1] == cold.stderr.splitlines()[-1].replace(" into site", " into site; 0 files drawn, the rest unchanged since the last build")
    assert snapshot(site) == first
    return site.parent, first


def test_an_edited_body_changes_its_page_the_backlinks_feeds_previews_and_search_as_a_cold_build_does(tmp_path):
    project, before = built_twice(tmp_path)
    edit_article(project, 101, content='<p>开头一句。正如<a href="https://zhuanlan.zhihu.com/p/102">乙文</a>所说，池化很有用处极大。</p>')
    edited = build_as_a_user(project)
    assert edited.returncode == 0
    after = snapshot(project / "site")
    assert after == built_fresh(project, tmp_path)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert {A, B, "feed.xml"} <= changed, "the page, the backlinks on the page it links, the site's feed"
    assert "池化很有用处极大" in part(after[B], '<section class="backlinks"', "</section>"), "乙's backlinks quote the new sentence"
    assert any(path.startswith("search/") for path in changed), "the search index holds the new text"
    assert any(path.startswith("columns/") and path.endswith(".xml") for path in showing(after, "池化很有用处极大")), "the column's feed"
    again = build_as_a_user(project)
    assert "; 0 files drawn" in again.stderr and snapshot(project / "site") == after


def test_an_edited_title_changes_every_list_topic_related_page_and_preview_as_a_cold_build_does(tmp_path):
    project, before = built_twice(tmp_path)
    edit_article(project, 102, title="文章乙改了名")
    assert build_as_a_user(project).returncode == 0
    after = snapshot(project / "site")
    assert after == built_fresh(project, tmp_path)
    shown = showing(after, "文章乙改了名")
    assert {"index.html", B, "feed.xml"} <= shown, "the home page, its page, the feed"
    assert "文章乙改了名" in part(after[A], '<nav class="related"', "</nav>"), "甲 lists 乙 among its related pages"
    for kind in ("columns/", "topics/", "previews/"):
        assert any(path.startswith(kind) for path in shown), f"{kind}: the column index, the topic page, link previews"
    assert "文章乙改了名" in [doc["t"] for doc in documents(after)], "search (its text files are packed)"


def test_a_site_file_edited_or_removed_by_hand_is_made_again_though_nothing_else_changed(tmp_path):
    project, before = built_twice(tmp_path)
    (project / "site" / A).write_text("edited by hand", encoding="utf-8")
    (project / "site" / "feed.xml").unlink()
    assert build_as_a_user(project).returncode == 0
    assert snapshot(project / "site") == before


def build_and_say_whether_the_pipeline_ran(project: Path) -> tuple[subprocess.CompletedProcess, bool]:
    """``zhsite build`` in its own process, and whether it imported the pipeline (zhsite/build.py): a build with
    nothing to do does not (zhsite/unchanged.py), which is what makes it take a fraction of a second."""
    code = ("import sys\nfrom zhsite.cli import main\n"
            "try:\n    main(['build'])\nexcept SystemExit as exit:\n    code = exit.code\n"
            "print('pipeline' if 'zhsite.build' in sys.modules else 'nothing to do')\nsys.exit(code)")
    run = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True)
    return run, run.stdout.strip() == "pipeline"


def test_after_an_edited_build_the_next_build_has_nothing_to_do(tmp_path):
    """The site an edit's build leaves (pages linked from the previous site, some drawn) is stamped as it is on disk,
    so the next build knows it has nothing to do."""
    project, _ = built_twice(tmp_path)
    edit_article(project, 101, content="<p>改了一句。</p>")
    build(project)
    run, pipeline = build_and_say_whether_the_pipeline_ran(project)
    assert run.returncode == 0 and not pipeline, run.stderr


def pictures_project(root: Path, mirrors: str) -> Path:
    article = {"url": "https://zhuanlan.zhihu.com/p/100", "title": "图片", "userName": "作者",
               "content": '<figure><img src="https://pic1.zhimg.com/v2-00000000000000000000000000000001_b.jpg"/></figure>'}
    column = json.dumps({"title": "图片", "url": "https://zhuanlan.zhihu.com/pictures", "article": [article]}, ensure_ascii=False)
    return make_project(root, {"col.json": column}, f"[images]\nmirrors = {mirrors}\n")  # local pictures: the default


def test_with_local_pictures_a_build_that_had_them_all_is_nothing_to_do_next_time(tmp_path, image_server):
    project = pictures_project(tmp_path, image_server.mirrors_toml())
    first, ran = build_and_say_whether_the_pipeline_ran(project)
    assert first.returncode == 0 and ran and "1 downloaded" in first.stderr
    site = snapshot(project / "site")
    again, ran = build_and_say_whether_the_pipeline_ran(project)
    assert again.returncode == 0 and not ran, again.stderr
    assert again.stderr.splitlines()[:-1] == first.stderr.splitlines()[:-1], "what the last build said, the images line too"
    assert snapshot(project / "site") == site and image_server.total == 1


def test_with_local_pictures_a_build_that_missed_one_tries_the_network_again_next_time(tmp_path, image_server):
    project = pictures_project(tmp_path, image_server.mirrors_toml("hangup/"))  # no answer: the picture keeps its address
    first, _ = build_and_say_whether_the_pipeline_ran(project)
    assert first.returncode == 0 and "no answer from" in first.stderr
    asked = image_server.total
    again, ran = build_and_say_whether_the_pipeline_ran(project)
    assert again.returncode == 0 and ran and "no answer from" in again.stderr
    assert image_server.total > asked, "asked again: the network may be back"


def test_with_local_pictures_offline_a_build_that_missed_one_is_nothing_to_do_next_time(tmp_path, image_server):
    # offline = true: the cache and the folders only, no network to ask again; what was missing stays so until told.
    project = pictures_project(tmp_path, image_server.mirrors_toml("hangup/"))
    with (project / "zhsite.toml").open("a", encoding="utf-8") as config:
        config.write("offline = true\n")
    first, _ = build_and_say_whether_the_pipeline_ran(project)
    assert first.returncode == 0 and "1 failed" in first.stderr, first.stderr
    again, ran = build_and_say_whether_the_pipeline_ran(project)
    assert again.returncode == 0 and not ran and image_server.total == 0
