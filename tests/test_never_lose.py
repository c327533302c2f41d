"""Never lose what the user has: a wrong folder, a renamed content/ or a damaged file never empties a published site."""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import zhsite
from tests.conftest import build_as_a_user, make_project

COLUMN = {"title": "好专栏", "article": [{"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": f"<p>正文{i}</p>"}
                                      for i in (1, 2, 3)]}
OTHER = {"title": "另一个专栏", "article": [{"url": "https://zhuanlan.zhihu.com/p/9", "title": "第九篇", "content": "<p>九</p>"}]}

# Each command as a user runs it, with what keeps it from waiting on anything but the project.
COMMANDS = {"build": [], "images": ["--offline"], "serve": ["--port", "0"], "deploy": ["--no-push"]}


def run_zhsite(command: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    # A timeout, so a command that wrongly starts serving fails the test instead of hanging it.
    return subprocess.run([sys.executable, "-m", "zhsite", command, *args, *COMMANDS[command]], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def every_file(root: Path) -> dict[str, tuple[bytes, int]]:
    """Each file under *root*: its bytes and modification time, so a file written again with the same bytes shows."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_project_folder_that_does_not_exist_is_one_line_and_nothing_is_made(tmp_path, command):
    result = run_zhsite(command, "-s", "nonexistent", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["nonexistent: error: no project folder: it does not exist; nothing done "
                                          "(-s names the folder that holds zhsite.toml and content/)"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_project_without_a_content_folder_is_one_line_and_nothing_is_made(tmp_path, command):
    (tmp_path / "zhsite.toml").write_text('title = "我的存档"\n', encoding="utf-8")
    result = run_zhsite(command, cwd=tmp_path)
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


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_a_column_truncated_after_a_good_build_keeps_its_pages_from_the_last_good_copy_until_deleted(tmp_path):
    project = make_project(tmp_path, {"col.json": json.dumps(COLUMN, ensure_ascii=False), "other.json": json.dumps(OTHER, ensure_ascii=False)})
    started = datetime.now(UTC).replace(second=0, microsecond=0)
    assert build_as_a_user(project).returncode == 0
    ended = datetime.now(UTC)
    published = html_pages(project / "site")
    assert {"p/1.html", "p/2.html", "p/3.html", "p/9.html"} <= published

    column = project / "content" / "col.json"
    column.write_bytes(column.read_bytes()[:40])  # a crawler killed mid-write
    truncated = build_as_a_user(project)
    assert truncated.returncode == 1
    assert "Traceback" not in truncated.stderr
    assert "content/col.json:1:31: error: not valid JSON: Unterminated string starting at" in truncated.stderr
    [kept] = [line for line in truncated.stderr.splitlines() if "last good copy" in line]
    read = re.fullmatch(r"content/col\.json: error: pages kept from the last good copy: the file gives none now, so the site shows "
                        r"what it held when read on (.+) UTC \(delete the file to take its pages off the site\)", kept)
    assert read, kept
    assert started <= datetime.strptime(read[1], "%Y-%m-%d %H:%M").replace(tzinfo=UTC) <= ended
    assert html_pages(project / "site") == published
    assert "正文2" in (project / "site" / "p" / "2.html").read_text(encoding="utf-8")

    column.write_bytes(b"")  # emptied: still the same copy, read at the same time
    emptied = build_as_a_user(project)
    assert emptied.returncode == 1 and kept in emptied.stderr
    assert html_pages(project / "site") == published

    column.write_bytes(b"\xff\xfe{\x00}")  # UTF-16 cut off mid-character: never guessed at
    undecodable = build_as_a_user(project)
    assert undecodable.returncode == 1 and kept in undecodable.stderr and "content/col.json: error: cannot decode" in undecodable.stderr
    assert html_pages(project / "site") == published

    column.unlink()  # a file that is gone is gone
    deleted = build_as_a_user(project)
    assert deleted.returncode == 0, deleted.stderr
    assert {"p/1.html", "p/2.html", "p/3.html"} & html_pages(project / "site") == set()
    assert "p/9.html" in html_pages(project / "site")
    assert "好专栏" not in (project / "site" / "index.html").read_text(encoding="utf-8")
    column.write_bytes(b"{")  # back, but never read successfully since: left out
    again = build_as_a_user(project)
    assert again.returncode == 1 and "last good copy" not in again.stderr
    assert not (project / "site" / "p" / "1.html").exists()


def a_release(root: Path, appended: str = "") -> Path:
    """A copy of this zhsite's package, *appended* to its zhsite/load/__init__.py (as the next release's source
    differs): for PYTHONPATH."""
    shutil.copytree(Path(zhsite.__file__).parent, root / "zhsite", ignore=shutil.ignore_patterns("__pycache__"))
    with (root / "zhsite" / "load" / "__init__.py").open("a", encoding="utf-8") as source:
        source.write(appended)
    return root


# The next release reads each column's title its own way: a build must never show an older release's reading.
READS_ANEW = """
_reads_then = load_file


def load_file(data, name, into):
    _reads_then(data, name, into)
    for column in into.columns:
        column.title += "（新版）"
"""


def test_a_new_zhsite_keeps_a_truncated_columns_pages_from_the_bytes_an_older_one_read(tmp_path):
    """A new version of zhsite starts the build cache afresh, as its parses may differ: the last good bytes outlive it."""
    older, newer = a_release(tmp_path / "older"), a_release(tmp_path / "newer", READS_ANEW)
    project = make_project(tmp_path / "project", {"col.json": json.dumps(COLUMN, ensure_ascii=False), "other.json": json.dumps(OTHER, ensure_ascii=False)})

    def build_with(release: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "zhsite", "build"], cwd=project, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(release)})

    assert build_with(older).returncode == 0
    published = html_pages(project / "site")
    assert build_with(newer).returncode == 0, "no file changed: each read anew all the same"
    assert "好专栏（新版）" in (project / "site" / "p" / "2.html").read_text(encoding="utf-8")
    column = project / "content" / "col.json"
    column.write_bytes(column.read_bytes()[:40])
    upgraded = build_with(newer)
    assert upgraded.returncode == 1 and "Traceback" not in upgraded.stderr
    [kept] = [line for line in upgraded.stderr.splitlines() if "last good copy" in line]
    assert kept.startswith("content/col.json: error: pages kept from the last good copy: the file gives none now")
    assert html_pages(project / "site") == published
    assert "正文2" in (project / "site" / "p" / "2.html").read_text(encoding="utf-8")
    assert "好专栏（新版）" in (project / "site" / "p" / "2.html").read_text(encoding="utf-8"), "the bytes, read by the new zhsite"
    for release in (newer, older):  # the next build, from the new zhsite's own read of those bytes; and back
        again = build_with(release)
        assert again.returncode == 1 and kept in again.stderr.splitlines()
        assert html_pages(project / "site") == published

    column.unlink()
    deleted = build_with(newer)
    assert deleted.returncode == 0, deleted.stderr
    assert not (project / "site" / "p" / "2.html").exists()


def test_a_companion_info_json_with_a_5000_digit_number_costs_that_number_not_the_build(tmp_path):
    post = "backup/残差网络_赵六_2022-03-04"
    project = make_project(tmp_path, {
        f"{post}/index.md": "---\ntitle: 残差网络\nurl: https://zhuanlan.zhihu.com/p/1301\nauthor: 赵六\ncreated: 2022-03-04 10:00\n---\n\n残差正文。\n",
        f"{post}/info.json": '{"title": "残差网络", "topics": ["深度学习"], "upvote_num": ' + "9" * 5000 + "}",
    })
    result = build_as_a_user(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == f"content/{post}/info.json:upvote_num: error: number ignored: a 5000-digit number is out of range"
    page = (project / "site" / "p" / "1301.html").read_text(encoding="utf-8")
    assert "残差正文" in page and "深度学习" in page, "the rest of the companion still fills in the post"


def test_every_json_in_zhsite_is_read_through_the_hardened_reader():
    """zhsite/load/jsontext.py turns NaN, 5,000-digit numbers and lone surrogates into problems; a bare json.loads raises or lets them through."""
    package = Path(zhsite.__file__).parent
    reader = package / "load" / "jsontext.py"
    bare = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = isinstance(node, ast.Attribute) and node.attr in ("load", "loads") and getattr(node.value, "id", "") == "json"
            imported = isinstance(node, ast.ImportFrom) and node.module == "json" and {"load", "loads"} & {a.name for a in node.names}
            if (called or imported) and path != reader:
                bare.append(f"{path.relative_to(package)}:{node.lineno}")
    assert bare == []
    assert "json.loads(" in reader.read_text(encoding="utf-8"), "the check looks for what the reader itself calls"


def test_a_note_marked_draft_after_it_was_published_leaves_the_site_without_an_error(tmp_path):
    """A draft is a choice, not a file that can no longer be read: its page goes, nothing is kept (lastgood.py)."""
    project = make_project(tmp_path, {"idea.md": "---\ntitle: 想法\n---\n\n私人想法。\n", "other.md": "# 别的\n\n正文\n"})
    assert build_as_a_user(project).returncode == 0
    assert (project / "site" / "notes" / "idea.html").is_file()
    for marked in ("draft: true", "published: false", "publish: false"):
        (project / "content" / "idea.md").write_text(f"---\ntitle: 想法\n{marked}\n---\n\n私人想法。\n", encoding="utf-8")
        result = build_as_a_user(project)
        assert result.returncode == 0, result.stderr
        assert "skipped 1 notes marked draft" in result.stderr.splitlines() and "last good copy" not in result.stderr
        assert not (project / "site" / "notes" / "idea.html").exists()
        assert "私人想法" not in "".join(p.read_text(encoding="utf-8") for p in (project / "site").rglob("*.*") if p.suffix in (".html", ".xml", ".js"))
        assert (project / "site" / "notes" / "other.html").is_file()
