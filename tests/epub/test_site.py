"""``epub = true``: each column's e-book built into the site by ``zhsite build`` and linked from the column's page."""
from __future__ import annotations

import json

import lxml.html

from tests.conftest import build_as_a_user, make_project
from tests.epub.conftest import Book, epubcheck
from zhsite.build import build

ARTICLES = [{"url": "https://zhuanlan.zhihu.com/p/401", "title": "有图", "userName": "作者",
             "content": '<p><img src="https://img.example.org/figure.png" width="8" height="6"></p>'}]


def test_books_in_the_site_with_their_pictures_though_the_site_keeps_them_remote(tmp_path, image_server):
    project = make_project(tmp_path, {"col.json": json.dumps({"title": "书", "url": "https://zhuanlan.zhihu.com/shu", "article": ARTICLES})},
                           "epub = true\n" + image_server.config(mode="remote"))
    run = build_as_a_user(project)
    assert run.returncode == 0, run.stderr
    page = lxml.html.parse(str(project / "site" / "columns" / "shu.html"))
    assert page.xpath("//a[@download]/@href") == ["../epub/shu.epub"]
    assert lxml.html.parse(str(project / "site" / "p" / "401.html")).xpath("//img/@src")[0].startswith("https://img.example.org/")
    book = Book(project / "site" / "epub" / "shu.epub")
    src = book.page("p/401.xhtml").find(".//{http://www.w3.org/1999/xhtml}img").get("src")
    assert src.startswith("../images/") and book.zip.read(f"EPUB/{src.removeprefix('../')}").startswith(b"\x89PNG")
    epubcheck(project / "site" / "epub" / "shu.epub")


def test_a_picture_the_books_lack_is_said_as_theirs(tmp_path):
    articles = [{**ARTICLES[0], "content": '<p><img src="https://img.example.org/figure.png"></p>'}]
    project = make_project(tmp_path, {"col.json": json.dumps({"title": "书", "url": "https://zhuanlan.zhihu.com/shu", "article": articles})},
                           'epub = true\n[images]\nmode = "remote"\noffline = true\n')  # the books' pictures: from the cache only
    run = build_as_a_user(project)
    assert run.returncode == 0, run.stderr
    assert "warning: image not saved" not in run.stderr, "the site's pages show the picture from the web"
    assert "warning: e-book image not saved, shown as a placeholder" in run.stderr


def test_off_by_default(tmp_path):
    project = make_project(tmp_path, {"col.json": json.dumps({"title": "书", "url": "https://zhuanlan.zhihu.com/shu", "article": ARTICLES})})
    assert build_as_a_user(project, "--offline").returncode == 0
    assert not (project / "site" / "epub").exists()
    assert "epub" not in (project / "site" / "columns" / "shu.html").read_text(encoding="utf-8")


def test_the_built_site_keeps_its_own_bodies(tmp_path, image_server):
    """The books' second rewrite (local pictures) fills the same post objects; the build's result still holds the site's."""
    project = make_project(tmp_path, {"col.json": json.dumps({"title": "书", "article": ARTICLES})}, "epub = true\n" + image_server.config(mode="remote"))
    result = build(project)
    assert result.errors == [] and (project / "site" / "epub" / "col.epub").is_file()
    assert 'src="https://img.example.org/figure.png"' in result.site.articles[0].body.html
