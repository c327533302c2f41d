"""Never lose what the user has: a wrong folder, a renamed content/ or a damaged file never empties a published site."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import build_as_a_user, make_project

COLUMN = {"title": "好专栏", "article": [{"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": f"<p>正文{i}</p>"}
                                      for i in (1, 2, 3)]}
OTHER = {"title": "另一个专栏", "article": [{"url": "https://zhuanlan.zhihu.com/p/9", "title": "第九篇", "content": "<p>九</p>"}]}

# Each command as a user runs it, with what keeps it from waiting on anything but the project.
COMMANDS = {"build": [], "images": ["--offline"], "serve": ["--port", "0"], "deploy": ["--no-push"]}


def zhsite(command: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    # A timeout, so a command that wrongly starts serving fails the test instead of hanging it.
    return subprocess.run([sys.executable, "-m", "zhsite", command, *args, *COMMANDS[command]], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def every_file(root: Path) -> dict[str, tuple[bytes, int]]:
    """Each file under *root*: its bytes and modification time, so a file written again with the same bytes shows."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_project_folder_that_does_not_exist_is_one_line_and_nothing_is_made(tmp_path, command):
    result = zhsite(command, "-s", "nonexistent", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["nonexistent: error: no project folder: it does not exist; nothing done "
                                          "(-s names the folder that holds zhsite.toml and content/)"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_project_without_a_content_folder_is_one_line_and_nothing_is_made(tmp_path, command):
    (tmp_path / "zhsite.toml").write_text('title = "我的存档"\n', encoding="utf-8")
    result = zhsite(command, cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("content: error: no content folder: nothing built, the site left as it was")
    assert [p.name for p in tmp_path.iterdir()] == ["zhsite.toml"], "no cache, no site"


def test_a_renamed_content_folder_or_a_mistyped_content_dir_leaves_the_published_site_as_it_was(tmp_path):
    project = make_project(tmp_path, {"col.json": json.dumps(COLUMN, ensure_ascii=False)})
    assert build_as_a_user(project).returncode == 0
    published = every_file(project / "site")
    assert "p/3.html" in published

    (project / "content").rename(project / "archives")
    renamed = build_as_a_user(project)
    assert renamed.returncode == 2
    assert renamed.stderr.splitlines() == ["content: error: no content folder: nothing built, the site left as it was "
                                           "(put the archives in content/, or name their folder with content_dir in zhsite.toml)"]
    assert every_file(project / "site") == published

    (project / "zhsite.toml").write_text('content_dir = "archive"\n', encoding="utf-8")
    assert build_as_a_user(project).stderr.startswith("archive: error: no content folder")
    (project / "archive").mkdir()
    (project / "archive" / ".gitkeep").write_text("", encoding="utf-8")  # only what is never content
    empty = build_as_a_user(project)
    assert empty.returncode == 2
    assert empty.stderr.splitlines() == ["archive: error: empty content folder: nothing built, the site left as it was"]
    assert every_file(project / "site") == published
    assert sorted(p.name for p in tmp_path.iterdir()) == [".zhsite-cache", "archive", "archives", "site", "zhsite.toml"]
