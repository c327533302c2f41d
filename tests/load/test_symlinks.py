"""Symbolic links in content/ are followed only within the project: a link to /etc/passwd is never published."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import make_project


def zhsite(*args, cwd):
    return subprocess.run([sys.executable, "-m", "zhsite", *args], cwd=cwd, capture_output=True, text=True)


def site_text(site):
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.html"))


def test_links_out_of_the_project_are_skipped_with_a_warning_and_links_within_it_are_followed(tmp_path):
    project = make_project(tmp_path / "blog", {"own.md": "# 自己的笔记\n\n正文\n"})
    (project / "drafts").mkdir()
    (project / "drafts" / "shared.md").write_text("# 共享的笔记\n\n在项目里\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text("# 机密\n\nTOP-SECRET-LINE\n", encoding="utf-8")
    os.symlink("/etc/passwd", project / "content" / "x.txt")
    os.symlink(outside / "secret.md", project / "content" / "secret.md")
    os.symlink(outside, project / "content" / "linked-folder")
    os.symlink("../drafts/shared.md", project / "content" / "shared.md")

    result = zhsite("build", "--strict", cwd=project)
    text = site_text(project / "site")
    assert "root:x:0" not in text and "TOP-SECRET-LINE" not in text
    assert "共享的笔记" in text and "自己的笔记" in text
    assert "content/x.txt: warning: symbolic link outside the project, skipped: it leads to /etc/passwd" in result.stderr
    assert f"content/secret.md: warning: symbolic link outside the project, skipped: it leads to {outside / 'secret.md'}" in result.stderr
    assert (f"content/linked-folder: warning: symbolic link to a folder, skipped: it leads to {outside} "
            "(put the folder itself in the content folder)") in result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, "a warning under --strict"
    relaxed = zhsite("build", cwd=project)
    assert relaxed.returncode == 0
    assert "warning: symbolic link outside the project" in relaxed.stderr


def test_a_content_folder_that_is_itself_a_link_is_read_as_usual(tmp_path):
    """Its notes, and the pictures beside them: the content folder is inside the project wherever it really is."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    files = {"note.md": "# 链接来的笔记\n\n正文\n\n![图](assets/figure.png)\n", "assets/figure.png": png}
    archives = make_project(tmp_path / "archives", files) / "content"
    project = tmp_path / "blog"
    project.mkdir()
    os.symlink(archives, project / "content")
    result = zhsite("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "链接来的笔记" in site_text(project / "site")
    assert "not found" not in result.stderr
    assert [p.read_bytes() for p in (project / "site" / "images").iterdir()] == [png]


def test_broken_links_and_links_in_a_loop_are_skipped_with_a_warning_each_and_the_rest_builds(tmp_path):
    project = make_project(tmp_path / "blog", {"own.md": "# 自己的笔记\n\n正文\n"})
    os.symlink("/nonexistent/gone.md", project / "content" / "gone.md")
    os.symlink("loop.md", project / "content" / "loop.md")
    os.symlink("..", project / "content" / "up")  # a folder that holds content/ itself: followed, it would never end
    result = zhsite("build", "--verbose", cwd=project)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "content/gone.md: warning: broken symbolic link, skipped: it leads to /nonexistent/gone.md, which cannot be reached" in result.stderr
    assert "content/loop.md: warning: broken symbolic link, skipped: it leads to loop.md, which cannot be reached" in result.stderr
    assert f"content/up: warning: symbolic link to a folder, skipped: it leads to {project}" in result.stderr
    assert "自己的笔记" in site_text(project / "site")
