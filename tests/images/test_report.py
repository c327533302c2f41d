"""The missing-images report: real builds against the real image server, the lines a user reads."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import make_project
from zhsite.build import build
from zhsite.images.report import missing_report


def column(*contents: str) -> str:
    articles = [{"url": f"https://zhuanlan.zhihu.com/p/{100 + i}", "title": f"文章 {i}", "content": c} for i, c in enumerate(contents)]
    return json.dumps({"title": "图片", "url": "https://zhuanlan.zhihu.com/pictures", "article": articles}, ensure_ascii=False)


def img(name: str) -> str:
    return f'<p><img src="https://img.example.org/{name}"></p>'


def test_every_article_lists_the_pictures_it_lacks(tmp_path, image_server):
    files = {
        "col.json": column(img("missing.png") + img("fine.png"), img("missing.png") + img("broken.png"), img("fine.png")),
        "note.md": "# 笔记\n\n![图](https://img.example.org/missing-in-note.png)\n",
    }
    project = make_project(tmp_path / "project", files, image_server.config(retries=1))
    result = build(project, tmp_path / "site")
    assert missing_report(result.images.missing) == [  # by file, then article id
        "content/col.json:article 100: 1 image missing",
        "  https://img.example.org/missing.png: HTTP 404",
        "content/col.json:article 101: 2 images missing",
        "  https://img.example.org/missing.png: HTTP 404",  # one picture, listed under both articles
        "  https://img.example.org/broken.png: HTTP 500, after 2 attempts",
        "content/note.md: 1 image missing",
        "  https://img.example.org/missing-in-note.png: HTTP 404",
        "3 images missing, in 3 of the articles and notes",
    ]


def test_offline_says_where_it_looked(tmp_path, image_server):
    project = make_project(tmp_path / "project", {"col.json": column(img("fine.png"))}, image_server.config(offline=True))
    result = build(project, tmp_path / "site")
    assert missing_report(result.images.missing) == [
        "content/col.json:article 100: 1 image missing",
        "  https://img.example.org/fine.png: offline: not in the image folders or the cache",
        "1 image missing, in 1 of the articles and notes",
    ]


def test_nothing_missing_is_one_line(tmp_path, image_server):
    project = make_project(tmp_path / "project", {"col.json": column(img("fine.png"))}, image_server.config())
    result = build(project, tmp_path / "site")
    assert missing_report(result.images.missing) == ["no images missing"]


def test_zhsite_images_checks_the_pictures_beside_notes_as_a_build_does(tmp_path):
    """`zhsite images` runs the build's own front stages (zhsite/build.py gather), not a copy of them that skipped these."""
    project = make_project(tmp_path, {"笔记.md": "# 笔记\n\n![结构图](图/结构.png)\n"})
    done = subprocess.run([sys.executable, "-m", "zhsite", "images", "--offline"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "content/笔记.md: warning: image file not found, left out: content/图/结构.png" in done.stderr


def test_a_missing_picture_of_an_html_note_is_named_by_its_path_not_its_url(tmp_path):
    # An HTML note's picture path is a URL (%E5%9B%BE for 图): the warning names the file a user would look for.
    project = make_project(tmp_path, {"导出/笔记.html": '<h1>笔记</h1>\n<p><img src="图/结构.png"></p>\n'})
    done = subprocess.run([sys.executable, "-m", "zhsite", "images", "--offline"], cwd=project, capture_output=True, text=True)
    assert "content/导出/笔记.html: warning: image file not found, left out: content/导出/图/结构.png" in done.stderr
