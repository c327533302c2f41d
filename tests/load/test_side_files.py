"""Side files every real export folder has are counted once and skipped: not errors, not notes.

The fixtures are the first bytes of each kind of file, written here.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import site_built_as_a_user

ARTICLE = {"id": 7, "title": "留下的文章", "content": "<p>正文</p>", "column": {"id": "keep", "title": "留下"}}
SIDE_FILES = {
    "article.json": json.dumps(ARTICLE, ensure_ascii=False),
    "images/v2-abc_1440w.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
    "images/cover.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "images/anim.txt": b"GIF89a\x01\x00\x01\x00",  # the bytes decide, not the name
    "papers/paper.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    "backup.zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
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
