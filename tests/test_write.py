"""Atomic output: a build killed halfway through writing leaves the previous site as it was; unchanged files stay as they were."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, build_as_a_user, make_project
from zhsite.write import MARKER_TEXT, WORK_MARKER, WORK_TEXT, staged_site

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



def write_site(files: dict[str, bytes], output: Path) -> None:
    """A whole site put through the staged output, as a build puts its files."""
    with staged_site(output) as staged:
        for relative, data in files.items():
            staged.put(relative, data)
    staged.wait_until_old_site_removed()


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


COLUMN = {"title": "专栏", "article": [{"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": "<p>旧</p>"} for i in range(1, 30)]}


def test_a_build_killed_while_writing_leaves_the_previous_site_intact(tmp_path):
    column = dict(COLUMN)
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


def leftover(parent, pid, sites, name="site", marked=True):
    """A work folder as a build with process id *pid* leaves it: zhsite's exact name, its marker, and *sites* (``old``, ``site``) inside."""
    work = parent / f".{name}.building-{pid}-0a1b2c3d"
    work.mkdir()
    if marked:
        (work / WORK_MARKER).write_text(WORK_TEXT)
    for site, files in sites.items():
        lay_out(work / site, files)
    return work


def test_killed_between_the_two_renames_the_next_build_puts_the_old_site_back(tmp_path):
    """The fallback swap renames the old site aside, then the new one in; a kill between leaves no site/."""
    leftover(tmp_path, dead_pid(), {"old": OLD, "site": NEW})
    failing_build(tmp_path / "site")
    assert snapshot(tmp_path / "site") == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["site"], "the leftovers are cleared once the site is back"


def test_killed_while_removing_the_old_site_the_new_one_stays_and_the_half_removed_one_goes(tmp_path):
    lay_out(tmp_path / "site", NEW)
    leftover(tmp_path, dead_pid(), {"old": {"p/1.html": b"<p>old 1</p>"}})  # marker already removed
    failing_build(tmp_path / "site")
    assert snapshot(tmp_path / "site") == NEW
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_half_removed_old_site_is_never_put_back(tmp_path):
    leftover(tmp_path, dead_pid(), {"old": {"p/1.html": b"<p>old 1</p>"}})
    failing_build(tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert list(tmp_path.iterdir()) == []


def test_killed_before_the_swap_the_site_in_place_stays_and_the_complete_new_one_is_cleared(tmp_path):
    lay_out(tmp_path / "site", OLD)
    leftover(tmp_path, dead_pid(), {"site": NEW})
    failing_build(tmp_path / "site")
    assert snapshot(tmp_path / "site") == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_live_builds_folders_are_left_alone(tmp_path):
    """Another build (this very process) is still writing: its folders are not leftovers."""
    work = leftover(tmp_path, os.getpid(), {"old": OLD})
    failing_build(tmp_path / "site")
    assert snapshot(work / "old") == OLD


def test_only_folders_zhsite_made_are_taken_for_leftovers(tmp_path):
    """A user's folders named like leftovers (a date read as a process id, no marker) survive a real build beside them."""
    project = make_project(tmp_path, {"col.json": json.dumps(COLUMN)})
    theirs = {".site.old-2024-01-05": {"thesis.docx": b"PK thesis"}, ".site.building-2024-01-05": {"notes.txt": b"mine"}}
    for name, files in theirs.items():
        lay_out(project / name, files)
    unmarked = leftover(project, dead_pid(), {"old": {"draft.txt": b"mine too"}}, marked=False)
    built = build_as_a_user(project)
    assert built.returncode == 0, built.stderr
    for name, files in theirs.items():
        assert snapshot(project / name) == files
    assert snapshot(unmarked) == {"old/draft.txt": b"mine too"}, "zhsite's name but not its marker: not zhsite's"
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == sorted([*theirs, unmarked.name])


def test_the_swap_leaves_a_whole_site_in_place_and_nothing_beside_it(tmp_path):
    output = tmp_path / "site"
    write_site({"index.html": b"<p>old</p>"}, output)
    write_site({"index.html": b"<p>new</p>"}, output)
    assert snapshot(output) == {"index.html": b"<p>new</p>", ".zhsite-output": MARKER_TEXT.encode()}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da63fccfc0500f000485018084a98c210000000049454e44ae426082")


def modes(root):
    """Each folder's and file's permission bits, the output folder itself included ('.')."""
    return {p.relative_to(root).as_posix(): stat.S_IMODE(os.stat(p).st_mode) for p in [root, *root.rglob("*")]}


@pytest.mark.parametrize(("umask", "folder", "file"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_the_site_has_the_modes_the_users_umask_gives_after_a_build_and_a_rebuild(tmp_path, umask, folder, file):
    """Under umask 022 a web server fed by ``rsync -a site/`` can read every page: no 0700 folder from a temporary one."""
    project = make_project(tmp_path, {"col.json": json.dumps(COLUMN), "notes/a.md": "# 笔记\n\n正文\n"},
                           '[images]\nmode = "local"\noffline = true\ndirs = ["pics"]\n')
    (project / "pics").mkdir()
    (project / "pics" / "cat.png").write_bytes(PNG)  # copied into images/ from the image folder
    build = [sys.executable, "-m", "zhsite", "build", "-s", str(project)]
    for text in ("旧", "新"):  # the second build swaps a new site in, linking the unchanged files from the first
        content = f'<p>{text}</p><img src="https://pic1.zhimg.com/cat.png">'
        (project / "content" / "col.json").write_text(json.dumps(dict(COLUMN, article=[dict(COLUMN["article"][0], content=content)])))
        built = subprocess.run(build, capture_output=True, text=True, cwd=REPO, preexec_fn=lambda: os.umask(umask))
        assert built.returncode == 0, built.stderr
        found = modes(project / "site")
        expected = {path: folder if (project / "site" / path).is_dir() else file for path in found}
        assert found == expected
        assert {".", "p", "notes", "static", "images", "index.html", "p/1.html", "notes/a.html"} <= set(expected)
