"""An export put in content/ as the ZIP file it was downloaded as (GitHub's "Download ZIP", an exporter's packed
output): its posts are not read, and the build says so, with how many and what to do (zhsite/load/packed.py).
A zip that came with the posts (a post's code) stays a side file, counted; a zip that cannot be opened is told.
A post file compressed as crawlers write their output (``answers.jsonl.gz``) is read as the file it holds.
The zips are made here, in the shapes those tools write: a top folder, posts as HTML and Markdown, pictures."""
from __future__ import annotations

import gzip
import io
import json

import pytest

from tests.conftest import build_as_a_user, make_project, zip_of
from zhsite.load import packed

ARTICLE = {"id": 7, "title": "留下的文章", "content": "<p>正文</p>", "column": {"id": "keep", "title": "留下"}}
EXPORT = {
    "zhihu-archive-main/README.md": "# 我的知乎备份\n",
    "zhihu-archive-main/answers/20230101-为什么要学习机器学习.md": "# 为什么要学习机器学习\n\n因为……\n",
    "zhihu-archive-main/articles/卷积神经网络入门.html": "<!DOCTYPE html><html><body><h1>卷积</h1></body></html>",
    "zhihu-archive-main/articles/images/v2-abc.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
    "__MACOSX/zhihu-archive-main/._README.md": b"\x00\x05\x16\x07",
}
CODE = {"resnet/README.md": "# ResNet 代码\n", "resnet/train.py": "import torch\n", "resnet/model.py": "import torch.nn\n",
        "resnet/data.py": "import numpy\n"}


def test_an_export_left_packed_beside_other_posts_is_a_warning_naming_it_and_the_rest_builds(tmp_path):
    project = make_project(tmp_path, {"article.json": json.dumps(ARTICLE, ensure_ascii=False), "下载/zhihu-archive-main.zip": zip_of(EXPORT)})
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert ("content/下载/zhihu-archive-main.zip: warning: packed archive, not read: it holds 3 files zhsite reads as posts "
            "(zhihu-archive-main/README.md, zhihu-archive-main/answers/20230101-为什么要学习机器学习.md, zhihu-archive-main/articles/"
            "卷积神经网络入门.html): if they are your archive, unpack it into the content folder and build again") in result.stderr
    assert "ZIP files" not in result.stderr, "told once, not counted as a side file too"
    assert (project / "site" / "p" / "7.html").is_file()


def test_a_content_folder_holding_nothing_but_packed_exports_builds_nothing_and_keeps_the_site(tmp_path):
    """All the user has is in zips (the folder replaced by its download): the build says why in one line, exit
    status 2, and the site built before stays as it was, rather than become a site without a post."""
    project = make_project(tmp_path, {"article.json": json.dumps(ARTICLE, ensure_ascii=False)})
    assert build_as_a_user(project).returncode == 0
    before = (project / "site" / "p" / "7.html").read_bytes()
    (project / "content" / "article.json").unlink()
    (project / "content" / "zhihu-archive-main.zip").write_bytes(zip_of(EXPORT))
    (project / "content" / "更早的备份.zip").write_bytes(zip_of(EXPORT))
    result = build_as_a_user(project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "content/zhihu-archive-main.zip: error: packed archive, not read: it holds 3 files zhsite reads as posts (zhihu-"
        "archive-main/README.md, zhihu-archive-main/answers/20230101-为什么要学习机器学习.md, zhihu-archive-main/articles/"
        "卷积神经网络入门.html): if they are your archive, unpack it into the content folder and build again; 1 more "
        "packed archives; nothing built, the site left as it was"]
    assert (project / "site" / "p" / "7.html").read_bytes() == before


@pytest.mark.parametrize("into", ["", "zhihu-archive-main/"], ids=["unzip", "Windows' Extract All"])
def test_an_export_unpacked_beside_its_zip_is_read_and_the_zip_kept_is_a_side_file(tmp_path, into):
    unpacked = {f"{into}{name}": text for name, text in EXPORT.items() if not name.startswith("__MACOSX")}
    project = make_project(tmp_path, {"zhihu-archive-main.zip": zip_of(EXPORT), **unpacked})
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith("skipped 1 ZIP files") and "packed archive" not in result.stderr
    assert "为什么要学习机器学习" in (project / "site" / "notes" / "index.html").read_text(encoding="utf-8")


def test_a_zip_that_came_with_a_post_is_a_side_file_counted(tmp_path):
    project = make_project(tmp_path, {"article.json": json.dumps(ARTICLE, ensure_ascii=False), "resnet.zip": zip_of(CODE)})
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == "skipped 1 ZIP files"
    assert "warning" not in result.stderr


def test_names_from_chinese_windows_are_shown_as_written(tmp_path):
    """A zip made on Chinese Windows holds its names' GBK bytes, unmarked; they are shown as the folder's would be."""
    stand_in = "XXXXXXXX.md"  # as many bytes as 机器学习.md in GBK
    packed = zip_of({stand_in: "# 机器学习\n", "images/a.png": b"\x89PNG\r\n\x1a\n"})
    packed = packed.replace(stand_in.encode(), "机器学习.md".encode("gbk"))
    project = make_project(tmp_path, {"article.json": json.dumps(ARTICLE, ensure_ascii=False), "备份.zip": packed})
    result = build_as_a_user(project)
    assert "content/备份.zip: warning: packed archive, not read: it holds 1 files zhsite reads as posts (机器学习.md)" in result.stderr


def test_a_zip_cut_short_by_its_download_is_told(tmp_path):
    cut = zip_of(EXPORT)[:200]
    project = make_project(tmp_path, {"article.json": json.dumps(ARTICLE, ensure_ascii=False), "export.zip": cut})
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert ("content/export.zip: warning: ZIP file that cannot be opened: File is not a zip file; if it holds your archive, "
            "download it again and unpack it into the content folder") in result.stderr
    assert (project / "site" / "p" / "7.html").is_file()


def test_a_post_file_compressed_by_a_crawler_is_read_and_one_cut_short_is_an_error(tmp_path):
    """``answers.jsonl.gz`` is read as the file it holds; one cut short is an error naming it, the rest built; a
    compressed file of another kind (``data.tar.gz``) is a side file, counted."""
    answers = json.dumps(ARTICLE, ensure_ascii=False) + "\n" + json.dumps(ARTICLE | {"id": 8, "title": "第二篇"}, ensure_ascii=False)
    project = make_project(tmp_path, {"answers.jsonl.gz": gzip.compress(answers.encode("utf-8")),
                                      "cut.json.gz": gzip.compress(answers.encode("utf-8") * 50)[:60],
                                      "data.tar.gz": gzip.compress(b"data" * 100)})
    result = build_as_a_user(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("content/cut.json.gz: error: cannot read: compressed file cut short or damaged")
    assert "skipped 1 GZ files" in result.stderr.splitlines()
    assert (project / "site" / "p" / "7.html").is_file() and "第二篇" in (project / "site" / "p" / "8.html").read_text(encoding="utf-8")


def test_a_compressed_file_past_the_limit_is_not_read_whole(monkeypatch):
    """A compression bomb (a few kB that unpack to gigabytes) stops at the limit, said, never read into memory whole."""
    monkeypatch.setattr(packed, "UNCOMPRESSED_LIMIT", 1000)
    with pytest.raises(OSError, match="once uncompressed; not read"):
        packed.uncompressed(io.BytesIO(gzip.compress(b"\0" * 5000)))
    assert packed.uncompressed(io.BytesIO(gzip.compress(b"\0" * 1000))) == b"\0" * 1000
