"""Side files every real export folder has are counted once and skipped: not errors, not notes.

The fixtures are the first bytes of each kind of file, written here.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import make_project, site_built_as_a_user, zip_of
from zhsite.load import load_content

ARTICLE = {"id": 7, "title": "留下的文章", "content": "<p>正文</p>", "column": {"id": "keep", "title": "留下"}}
SIDE_FILES = {
    "article.json": json.dumps(ARTICLE, ensure_ascii=False),
    "images/v2-abc_1440w.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
    "images/cover.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "images/anim.txt": b"GIF89a\x01\x00\x01\x00",  # the bytes decide, not the name
    "papers/paper.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    "backup.zip": zip_of({"code/train.py": "import torch\n", "code/README.md": "# 代码\n", "code/data.py": "import numpy\n"}),
    "debug/initial.html": "<!DOCTYPE html>\n<html><head><title>知乎</title></head><body>x</body></html>",
    "saved/page.mhtml": "From: <Saved by Blink>\nSnapshot-Content-Location: https://zhuanlan.zhihu.com/p/7\nMIME-Version: 1.0\nContent-Type: multipart/related;\n",
    "crawler/crawl.py": "import os\n\nprint(os.getcwd())\n",
    "crawler/config.yml": "cookie: ''\nsleep: 3\n",
    "site/page.mdx": "# Title\n\n<Component />\n",
    "unknown.bin": b"\x00\x01\x02\x03binary",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return site_built_as_a_user(tmp_path_factory.mktemp("side"), SIDE_FILES)


def test_side_files_are_counted_in_one_line_and_the_build_succeeds(built):
    _, result = built
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "skipped 3 code and config files, 1 MHTML pages, 1 PDFs, 1 ZIP files, 1 other binary files, 1 page snapshots"
    )
    assert lines[1].startswith("built ") and len(lines) == 2


def test_side_files_become_no_pages(built):
    site, _ = built
    assert (site / "p" / "7.html").is_file()
    assert not (site / "notes").exists() or list((site / "notes").glob("*.html")) == [site / "notes" / "index.html"]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "import os" not in home and "Saved by Blink" not in home and "notes/initial" not in home


def test_a_crawlers_cookies_logs_index_table_licence_and_shortcuts_are_counted_never_published(tmp_path):
    netscape = "# Netscape HTTP Cookie File\nzhihu.com\tTRUE\t/\tFALSE\t0\tz_c0\tSECRET-TOKEN\n"
    project = make_project(tmp_path, {
        "cookies.txt": "z_c0=SECRET-TOKEN; d_c0=abc", "session.txt": netscape, "cookies.json": '[{"name": "z_c0", "value": "SECRET-TOKEN"}]',
        "crawl.log": "2024-01-01 12:00:01 INFO fetched https://zhuanlan.zhihu.com/p/1\n", "index.csv": "id,title\n1,第一篇\n",
        "好文章.url": "[InternetShortcut]\r\nURL=https://zhuanlan.zhihu.com/p/123\r\n", "LICENSE": "MIT License\n\nCopyright (c) 2023\n",
        "requirements.txt": "requests==2.31\n", "cookie-理解.md": "# Cookie 是什么\n\n浏览器保存的小段数据。\n",
    })
    loaded = load_content(project / "content")
    assert loaded.problems == []
    assert [n.title for n in loaded.notes] == ["Cookie 是什么"], "a note about cookies is a note"
    assert dict(loaded.skipped) == {"cookie files": 3, "logs": 1, "tables": 1, "link shortcuts": 1, "licences": 1, "code and config files": 1}


def test_an_obsidian_vaults_canvas_and_excalidraw_drawing_are_counted_not_pages(tmp_path):
    canvas = '{\n\t"nodes":[{"id":"a1","type":"text","text":"# 注意力","x":0,"y":0,"width":250,"height":60}],\n\t"edges":[]\n}\n'
    drawing = ("---\nexcalidraw-plugin: parsed\ntags: [excalidraw]\n---\n==⚠  Switch to EXCALIDRAW VIEW in the MORE OPTIONS menu "
               "of this document. ⚠==\n\n# Text Elements\n注意力 ^abc123\n\n%%\n# Drawing\n```json\n{\"type\":\"excalidraw\"}\n```\n%%\n")
    site, result = site_built_as_a_user(tmp_path, {"思维导图.canvas": canvas, "笔记/草图.excalidraw.md": drawing,
                                                   "笔记/Transformer.md": "# Transformer\n\n自注意力。\n"})
    assert result.returncode == 0, result.stderr
    assert "skipped 1 Excalidraw drawings, 1 Obsidian canvases" in result.stderr
    assert sorted(p.name for p in (site / "notes").glob("*.html")) == ["index.html", "transformer.html"]
