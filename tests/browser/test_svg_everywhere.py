"""Every way an SVG picture gets into the site, opened in Chromium: no script runs, whichever way it came.

One project holds an SVG full of script on each path a picture takes: a file
beside a note, a file a note links to, SVG bytes under a ``.png`` name beside a note, a picture a
browser saved in a page's ``<name>_files/``, a download (``[images] mode =
"local"`` through a real image server on 127.0.0.1), the same from the cache
in a second build, a ``dirs`` folder, and a Zhihu picture saved beside the
content by its ``v2-`` id.  Each is a different file, so each way leaves its
own picture.  The project is built with the CLI in both image modes and
served by ``zhsite serve``; every page and picture of each is opened with a
dialog hook.  An SVG that cannot be filtered is left out with a warning.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import http_served, watch_for_script
from tests.conftest import build_as_a_user, make_project
from tests.images.server import HOSTILE_SVG, ImageServer
from tests.test_odd_values import served_as_a_user

V2 = "v2-" + "5e" * 16


def hostile_svg(way: str) -> bytes:
    """:data:`HOSTILE_SVG`, with a mark of its own so each way's picture is a file of its own."""
    return HOSTILE_SVG.replace(b"</svg>", f"<desc>{way}</desc></svg>".encode())


SAVED_PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>带图的文章 - 知乎</title>
<link rel="canonical" href="https://zhuanlan.zhihu.com/p/2718281"></head>
<body><article class="Post-Main"><h1 class="Post-Title">带图的文章</h1>
<div class="RichText ztext Post-RichText"><p>保存的页面</p>
<figure><img src="./带图的文章 - 知乎_files/figure.svg" data-rawwidth="40" data-rawheight="30"></figure></div>
</article></body></html>
"""


def column() -> str:
    figures = "".join(f'<figure><img src="{url}" data-rawwidth="40" data-rawheight="30"></figure>' for url in (
        "https://img.example.org/downloaded.svg",  # the image server sends HOSTILE_SVG for any path with "svg"
        "https://pic1.zhimg.com/from-dirs.svg",
        f"https://pic1.zhimg.com/{V2}_r.svg",
    ))
    article = {"url": "https://zhuanlan.zhihu.com/p/1", "title": "远程图", "userName": "作者", "content": f"<p>正文</p>{figures}"}
    return json.dumps({"title": "图", "article": [article]}, ensure_ascii=False)


FILES = {
    "notes/note.md": "# 笔记\n\n![结构图](diagram.svg)\n\n![假装是 PNG](looks-like.png)\n\n![坏图](broken.svg)\n\n![大图](big.svg)\n\n"
                     "[结构图的文件](linked.svg)\n",
    "notes/diagram.svg": hostile_svg("beside a note"),
    "notes/linked.svg": hostile_svg("linked from a note"),
    "notes/looks-like.png": hostile_svg("svg bytes, png name"),
    "notes/broken.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>',  # not XML: cannot be filtered
    "notes/big.svg": b'<svg xmlns="http://www.w3.org/2000/svg">' + b" " * 3_000_000 + b"</svg>",  # over 2 MB: not read whole
    "saved/带图的文章 - 知乎.html": SAVED_PAGE,
    "saved/带图的文章 - 知乎_files/figure.svg": hostile_svg("saved page"),
    f"{V2}_1440w.svg": hostile_svg("zhihu picture beside the content"),
    "col.json": column(),
}
BESIDE = 4  # pictures copied in either image mode: the note's two, the saved page's, and the file the note links to


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    server = ImageServer().start()
    root = make_project(tmp_path_factory.mktemp("svg"), FILES, server.config(dirs=["pictures"]))
    (root / "pictures").mkdir()
    (root / "pictures" / "from-dirs.svg").write_bytes(hostile_svg("dirs"))
    yield root
    server.stop()


@pytest.fixture(scope="module")
def builds(project) -> dict[str, Path]:
    """The site of each build, by the way its pictures came: the remote mode, downloads, then the cache."""
    sites = {}
    for name, args in (("remote", ["--images", "remote"]), ("downloaded", []), ("cached", ["--offline"])):
        result = build_as_a_user(project, "-o", f"site-{name}", *args)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert "warning: SVG that cannot be filtered, left out (2×): content/notes/note.md" in result.stderr
        sites[name] = project / f"site-{name}"
    return sites


def pictures(site: Path) -> list[str]:
    """The SVG files of the site: pictures (``images/``) and files a note links to (``files/<hash>/``)."""
    return sorted(p.relative_to(site).as_posix() for p in [*(site / "images").glob("*.svg"), *(site / "files").glob("*/*.svg")])


def test_each_way_leaves_its_own_filtered_picture(builds):
    assert len(pictures(builds["remote"])) == BESIDE
    for name in ("downloaded", "cached"):
        assert len(pictures(builds[name])) == BESIDE + 3, name  # and the download, dirs and v2 id ones
    for site in builds.values():
        for picture in pictures(site):
            data = (site / picture).read_bytes()
            assert b"<svg" in data and b"script" not in data and b"onload" not in data and b"foreignObject" not in data


def run_vectors(browser, base: str, paths: list[str]) -> dict[str, list]:
    """Each path opened from *base*: what ran there (``window.__xss`` and dialogs), by path."""
    ran: dict[str, list] = {}
    context = browser.new_context()
    try:
        page = context.new_page()
        script_ran = watch_for_script(page)
        for path in paths:
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            if found := script_ran():
                ran[path] = found
    finally:
        context.close()
    return ran


PAGES = ["notes/note.html", "p/2718281.html", "p/1.html"]


@pytest.mark.parametrize("name", ["remote", "downloaded", "cached"])
def test_no_script_runs_in_any_built_site(browser, builds, name):
    site = builds[name]
    with http_served(site) as url:
        assert run_vectors(browser, url, [*PAGES, *pictures(site)]) == {}


def test_no_script_runs_under_serve(browser, project, builds):
    for args in (["--images", "remote"], ["--offline"]):
        site = builds["remote" if args[0] == "--images" else "cached"]
        with served_as_a_user(project, *args) as url:
            assert run_vectors(browser, url, [*PAGES, *pictures(site)]) == {}
