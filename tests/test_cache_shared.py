"""One project's build cache shared by zhsite processes as a user runs them: two builds at once, a build while
``zhsite serve`` runs, a file another program keeps locked.  Each only ever waits; none loses the cache."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CONTENT, build_as_a_user, make_project, sharded_column
from tests.serve.helpers import fetch
from zhsite.cache import CACHE_FILE, LOCK_FILE

WAITING = "waiting for another zhsite building with the cache in"


def start(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "zhsite", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still not {what} after {seconds} s"
        time.sleep(0.05)


def holds_build_lock(project: Path, pid: int) -> bool:
    """Whether process *pid* holds the project's build lock now, as the kernel lists it (Linux's /proc/locks)."""
    try:
        inode = (project / ".zhsite-cache" / LOCK_FILE).stat().st_ino
    except FileNotFoundError:
        return False
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()  # "1: FLOCK  ADVISORY  WRITE 1234 08:02:5678 0 EOF"; a waiter's line has "->" after the number
        if fields[1] == "FLOCK" and fields[4] == str(pid) and fields[5].rsplit(":", 1)[1] == str(inode):
            return True
    return False


def cache_is_whole(project: Path, entries: int) -> None:
    folder = project / ".zhsite-cache"
    assert not list(folder.glob("*.damaged")), "nothing set aside"
    db = sqlite3.connect(folder / CACHE_FILE)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("SELECT count(*) FROM results").fetchone()[0] >= entries, "the entries are there"
    finally:
        db.close()


def test_two_builds_of_one_project_at_once_both_succeed_the_second_waiting_and_the_cache_stays_whole(tmp_path):
    project = make_project(tmp_path, {"big.json": sharded_column()})
    first = start("build", cwd=project)
    wait_for(lambda: holds_build_lock(project, first.pid) or first.poll() is not None, "holding the build lock")
    assert first.poll() is None, "the first build still runs when the second starts"
    second = start("build", cwd=project)
    _, first_err = first.communicate(timeout=600)
    _, second_err = second.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert WAITING in second_err, "the second says once that it waits"
    assert second_err.count(WAITING) == 1
    assert "build cache" not in first_err + second_err, "no cache warning: nothing busy, nothing damaged"
    cache_is_whole(project, entries=1_000)
    third = build_as_a_user(project)
    assert third.returncode == 0 and "files drawn, the rest unchanged" in third.stderr, third.stderr


def test_a_build_while_serve_runs_and_a_save_during_a_build_both_succeed_with_the_cache_whole(tmp_path):
    project = make_project(tmp_path, {name: (CONTENT / name).read_bytes() for name in ("shallow-learning-column.json", "cv-lecture-notes.md")})
    serve = start("serve", "--port", "0", cwd=project)
    try:
        url = serve.stdout.readline().split()[1]
        built = build_as_a_user(project)  # serve idle, its search index made or being made
        assert built.returncode == 0, built.stderr
        assert "build cache" not in built.stderr
        [note] = [p.relative_to(project / "site").as_posix() for p in (project / "site" / "notes").glob("*.html") if p.name != "index.html"]
        building = start("build", cwd=project)
        wait_for(lambda: holds_build_lock(project, building.pid) or building.poll() is not None, "holding the build lock")
        source = project / "content" / "cv-lecture-notes.md"
        source.write_text(source.read_text(encoding="utf-8") + "\n\nSAVED-DURING-A-BUILD\n", encoding="utf-8")
        _, build_err = building.communicate(timeout=600)
        assert building.returncode == 0, build_err
        wait_for(lambda: b"SAVED-DURING-A-BUILD" in fetch(url, "/" + note)[2], "serving the save")
    finally:
        serve.terminate()
        _, serve_err = serve.communicate(timeout=60)
    assert "build cache" not in build_err + serve_err and "Traceback" not in serve_err, serve_err
    cache_is_whole(project, entries=10)


def test_a_cache_file_another_program_keeps_locked_is_waited_for_then_left_as_it_is(tmp_path):
    """Another program holds the write lock past SQLite's wait: the build keeps its results in memory, says so
    once, and never calls the file damaged; the next build uses it again."""
    project = make_project(tmp_path, {"col.json": json.dumps({"title": "专栏", "article": [
        {"url": "https://zhuanlan.zhihu.com/p/1", "title": "第一篇", "content": "<p>正文</p>"}]}, ensure_ascii=False)})
    assert build_as_a_user(project).returncode == 0
    (project / "content" / "col.json").write_text(json.dumps({"title": "改名的专栏", "article": [
        {"url": "https://zhuanlan.zhihu.com/p/1", "title": "第一篇", "content": "<p>改过的正文</p>"}]}, ensure_ascii=False), encoding="utf-8")
    holder = sqlite3.connect(project / ".zhsite-cache" / CACHE_FILE)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = build_as_a_user(project)
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    [busy] = [line for line in result.stderr.splitlines() if "build cache" in line]
    assert busy.startswith(".zhsite-cache/build.sqlite: warning: build cache busy (another program kept it locked), this build's results not saved: ")
    assert "改名的专栏" in (project / "site" / "index.html").read_text(encoding="utf-8")
    again = build_as_a_user(project)
    assert again.returncode == 0 and "build cache" not in again.stderr
    cache_is_whole(project, entries=3)  # busy is not damaged: nothing set aside
