"""Atomic output: a build killed halfway through writing leaves the previous site as it was; unchanged files stay as they were."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO, make_project
from zhsite.write import MARKER_TEXT, write_site

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
