"""Atomic output: a build killed halfway through writing leaves the previous site as it was; unchanged files stay as they were."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO, make_project
from zhsite.write import MARKER_TEXT, staged_site, write_site

# A real build in its own process that SIGKILLs itself after writing 20 files:
# the kill is real, only the moment is chosen, so the test never depends on timing.
KILLED_HALFWAY = """
import os, signal, sys
from pathlib import Path
written = 0
write_bytes = Path.write_bytes
def write_then_die(self, data):
    global written
    written += 1
    if written == 20:
        os.kill(os.getpid(), signal.SIGKILL)
    return write_bytes(self, data)
Path.write_bytes = write_then_die
from zhsite.cli import main
main(["build", "-s", sys.argv[1], "-o", sys.argv[2]])
"""


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_build_killed_while_writing_leaves_the_previous_site_intact(tmp_path):
    column = {"title": "专栏", "article": [{"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": "<p>旧</p>"} for i in range(1, 30)]}
    project = make_project(tmp_path, {"col.json": json.dumps(column)})
    output = tmp_path / "out"
    first = subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(project), "-o", str(output)], capture_output=True, cwd=REPO)
    assert first.returncode == 0
    before = snapshot(output)

    column["article"] = [dict(a, content="<p>新</p>") for a in column["article"]]
    (project / "content" / "col.json").write_text(json.dumps(column))
    killed = subprocess.run([sys.executable, "-c", KILLED_HALFWAY, str(project), str(output)], capture_output=True, cwd=REPO)
    assert killed.returncode == -9
    assert snapshot(output) == before
    assert [p.name.split("-")[0] for p in tmp_path.glob(".out.*")] == [".out.building"], "the killed build's files were left aside"

    again = subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(project), "-o", str(output)], capture_output=True, cwd=REPO)
    assert again.returncode == 0
    assert "新" in (output / "p" / "1.html").read_text(encoding="utf-8")
    assert list(tmp_path.glob(".out.*")) == [], "the next build cleaned up after the killed one"


def test_a_rebuild_leaves_unchanged_files_untouched(tmp_path):
    output = tmp_path / "site"
    write_site({"index.html": b"<p>same</p>", "p/1.html": b"<p>old</p>", "gone.html": b"x"}, output)
    same, changed = (output / "index.html").stat(), (output / "p" / "1.html").stat()
    write_site({"index.html": b"<p>same</p>", "p/1.html": b"<p>new</p>", "p/2.html": b"<p>old</p>"}, output)
    assert snapshot(output) == {"index.html": b"<p>same</p>", "p/1.html": b"<p>new</p>", "p/2.html": b"<p>old</p>", ".zhsite-output": MARKER_TEXT.encode()}
    kept = (output / "index.html").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (same.st_ino, same.st_mtime_ns), "same bytes: the very same file"
    assert (output / "p" / "1.html").stat().st_ino != changed.st_ino


def dead_pid() -> int:
    """The id of a process that has ended, as a killed build's leftovers carry it."""
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True).stdout)


def lay_out(folder, files):
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


OLD = {"index.html": b"<p>old</p>", "p/1.html": b"<p>old 1</p>", ".zhsite-output": MARKER_TEXT.encode()}
NEW = {"index.html": b"<p>new</p>", "p/1.html": b"<p>new 1</p>", ".zhsite-output": MARKER_TEXT.encode()}


def failing_build(output):
    """A build that stops with an error after the leftovers were dealt with: what is in place then is what readers get."""
    try:
        with staged_site(output) as files:
            files.put("index.html", b"<p>half</p>")
            raise RuntimeError("template error")
    except RuntimeError:
        pass


def test_killed_between_the_two_renames_the_next_build_puts_the_old_site_back(tmp_path):
    """The fallback swap renames the old site aside, then the new one in; a kill between leaves no site/."""
    pid = dead_pid()
    lay_out(tmp_path / f".site.old-{pid}-x1" / "site", OLD)
    lay_out(tmp_path / f".site.building-{pid}-x2", NEW)
    failing_build(tmp_path / "site")
    assert snapshot(tmp_path / "site") == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["site"], "the leftovers are cleared once the site is back"


def test_killed_while_removing_the_old_site_the_new_one_stays_and_the_half_removed_one_goes(tmp_path):
    pid = dead_pid()
    lay_out(tmp_path / "site", NEW)
    lay_out(tmp_path / f".site.old-{pid}-x1" / "site", {"p/1.html": b"<p>old 1</p>"})  # marker already removed
    failing_build(tmp_path / "site")
    assert snapshot(tmp_path / "site") == NEW
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_half_removed_old_site_is_never_put_back(tmp_path):
    pid = dead_pid()
    lay_out(tmp_path / f".site.old-{pid}-x1" / "site", {"p/1.html": b"<p>old 1</p>"})
    failing_build(tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert list(tmp_path.iterdir()) == []


def test_killed_before_the_swap_the_site_in_place_stays_and_the_complete_new_one_is_cleared(tmp_path):
    pid = dead_pid()
    lay_out(tmp_path / "site", OLD)
    lay_out(tmp_path / f".site.building-{pid}-x2", NEW)
    failing_build(tmp_path / "site")
    assert snapshot(tmp_path / "site") == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_live_builds_folders_are_left_alone(tmp_path):
    """Another build (this very process) is still writing: its folders are not leftovers."""
    lay_out(tmp_path / f".site.old-{os.getpid()}-x1" / "site", OLD)
    failing_build(tmp_path / "site")
    assert snapshot(tmp_path / f".site.old-{os.getpid()}-x1" / "site") == OLD


def test_the_swap_leaves_a_whole_site_in_place_and_nothing_beside_it(tmp_path):
    output = tmp_path / "site"
    write_site({"index.html": b"<p>old</p>"}, output)
    write_site({"index.html": b"<p>new</p>"}, output)
    assert snapshot(output) == {"index.html": b"<p>new</p>", ".zhsite-output": MARKER_TEXT.encode()}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
