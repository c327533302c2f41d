"""A picture or a video of gigabytes beside a note: sniffed and hashed a chunk at a time, and a picture copied whole (issue #32).

The files are sparse (``truncate``): they take no disk until the site's copy
is written.  What they cost in memory is measured by bench/memory.py, not here.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tests.conftest import build_as_a_user, make_project

SIZE = 300 * 2**20  # far more than is ever read at once
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def sparse(path: Path, head: bytes, tail: bytes) -> Path:
    """A file of SIZE bytes: *head*, a hole, *tail*."""
    path.write_bytes(head)
    os.truncate(path, SIZE - len(tail))
    with path.open("ab") as file:
        file.write(tail)
    return path


def streamed_sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def note_page(site: Path) -> str:
    [page] = [p for p in (site / "notes").glob("*.html") if p.name != "index.html"]
    return page.read_text(encoding="utf-8")


def test_a_huge_picture_beside_a_note_is_copied_whole(tmp_path):
    project = make_project(tmp_path, {"笔记.md": "# 大图\n\n![大图](big.png)\n"})
    source = sparse(project / "content" / "big.png", PNG, b"the end")
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    [copy] = (project / "site" / "images").glob("*.png")
    assert copy.stat().st_size == SIZE
    assert streamed_sha256(copy) == streamed_sha256(source)
    assert f'src="../images/{copy.name}"' in note_page(project / "site")


def test_a_huge_video_beside_a_note_is_skipped_as_a_video_and_left_out_of_the_page(tmp_path):
    project = make_project(tmp_path, {"笔记.md": "# 视频\n\n![视频](video.mp4)\n\n正文\n"})
    sparse(project / "content" / "video.mp4", MP4, b"the end")
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert "skipped 1 videos" in result.stderr
    assert "content/笔记.md: warning: not an image file, left out: content/video.mp4" in result.stderr
    assert "正文" in note_page(project / "site")
