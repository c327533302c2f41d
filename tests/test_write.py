"""Atomic output: a build killed before its commit leaves the previous site as it was, one killed after it is finished
by the next build; unchanged files stay as they were."""
from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, build_as_a_user, make_project
from tests.test_incremental import build_and_say_whether_the_pipeline_ran
from zhsite.problems import BuildError
from zhsite.write import MARKER_TEXT, PATCH, WORK_MARKER, WORK_TEXT, staged_site

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
# The same, killed after the commit (the patch renamed into place) as the fifth article's page is to be moved in.
KILLED_MOVING_IN = """
import os, signal, sys
import zhsite.write
committed, pages = [], []
rename = os.rename
def rename_then_die(source, target):
    committed.extend([True] if str(target).endswith("/patch") else [])
    pages.extend([target] if committed and "/p/" in str(target) else [])
    if len(pages) == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return rename(source, target)
zhsite.write.os.rename = rename_then_die
from zhsite.cli import main
main(["build", "-s", sys.argv[1], "-o", sys.argv[2]])
"""



def write_site(files: dict[str, bytes], output: Path) -> None:
    """A whole site put through the staged output, as a build puts its files."""
    with staged_site(output) as staged:
        for relative, data in files.items():
            staged.put(relative, data)
    staged.wait_until_cleared()


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


COLUMN = {"title": "专栏", "article": [{"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": "<p>旧</p>"} for i in range(1, 30)]}


def column_of(articles: int) -> dict:
    """A column of *articles*, each its own text: an edit of a few leaves most of the site as it was (patched in)."""
    return {"title": "专栏", "article": [{"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": f"<p>旧文{i}</p>"}
                                      for i in range(1, articles + 1)]}


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


# Most of a site unchanged (an edit: the changed files are moved in, a patch), or none of it (a template edited: the
# unchanged ones are linked into the new folder, which takes the old one's place in one step): see _commit.
PATCHED, SWAPPED = {f"keep/{n}.html": b"same" for n in range(40)}, {}


@pytest.mark.parametrize("unchanged", [PATCHED, SWAPPED], ids=["patched", "swapped"])
def test_a_rebuild_leaves_unchanged_files_untouched(tmp_path, unchanged):
    output = tmp_path / "site"
    write_site({"index.html": b"<p>same</p>", "p/1.html": b"<p>old</p>", "gone.html": b"x"} | unchanged, output)
    same, changed, folder = (output / "index.html").stat(), (output / "p" / "1.html").stat(), output.stat()
    write_site({"index.html": b"<p>same</p>", "p/1.html": b"<p>new</p>", "p/2.html": b"<p>old</p>"} | unchanged, output)
    assert (output.stat().st_ino == folder.st_ino) == (unchanged is PATCHED), "patched in place, or another folder swapped in"
    assert snapshot(output) == {"index.html": b"<p>same</p>", "p/1.html": b"<p>new</p>", "p/2.html": b"<p>old</p>",
                                ".zhsite-output": MARKER_TEXT.encode()} | unchanged
    kept = (output / "index.html").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (same.st_ino, same.st_mtime_ns), "same bytes: the very same file"
    assert (output / "p" / "1.html").stat().st_ino != changed.st_ino
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


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


def committed(parent, pid, gone, staged, name="site"):
    """A work folder as a build killed after its commit leaves it: the old site's files to delete, the files still to move in."""
    work = leftover(parent, pid, {"site": staged}, name)
    (work / PATCH).write_bytes(b"\0".join(path.encode() for path in gone))
    return work


def test_killed_after_the_commit_the_next_build_finishes_the_patch_first(tmp_path):
    lay_out(tmp_path / "site", {**OLD, "gone.html": b"x", "old/only.html": b"y"})
    committed(tmp_path, dead_pid(), ["gone.html", "old/only.html"], {"p/1.html": b"<p>new 1</p>"})
    failing_build(tmp_path / "site")
    assert snapshot(tmp_path / "site") == {**OLD, "p/1.html": b"<p>new 1</p>"}, "deleted, moved in, the emptied folder gone"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_patch_is_finished_only_on_the_site_it_was_made_for(tmp_path):
    """With no zhsite site in place any more (removed by hand), a killed build's few changed files never become one."""
    committed(tmp_path, dead_pid(), ["gone.html"], {"p/1.html": b"<p>new 1</p>"})
    failing_build(tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert list(tmp_path.iterdir()) == []


def test_killed_before_the_commit_the_site_in_place_stays_and_the_staged_files_are_cleared(tmp_path):
    lay_out(tmp_path / "site", OLD)
    leftover(tmp_path, dead_pid(), {"site": NEW})
    failing_build(tmp_path / "site")
    assert snapshot(tmp_path / "site") == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_build_killed_among_the_renames_leaves_whole_files_and_the_next_build_the_whole_new_site(tmp_path):
    """A real kill between two of the renames that move an edit's changed files in (8 articles of 200, so the site is
    patched, not swapped): every file whole, and the next build's site is a fresh build's."""
    column = column_of(200)
    project = make_project(tmp_path, {"col.json": json.dumps(column)})
    output = tmp_path / "out"
    assert subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(project), "-o", str(output)], cwd=REPO).returncode == 0
    column["article"][:8] = [dict(a, content="<p>新</p>") for a in column["article"][:8]]
    (project / "content" / "col.json").write_text(json.dumps(column))
    killed = subprocess.run([sys.executable, "-c", KILLED_MOVING_IN, str(project), str(output)], capture_output=True, cwd=REPO)
    assert killed.returncode == -9
    pages = [(output / "p" / f"{i}.html").read_text(encoding="utf-8") for i in range(1, 201)]
    assert all(page.rstrip().endswith("</html>") for page in pages), "no page half written"
    assert 0 < sum("新" in page for page in pages) < 8, "the kill came among the renames"

    again = subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(project), "-o", str(output)], capture_output=True, cwd=REPO)
    assert again.returncode == 0, again.stderr
    fresh = tmp_path / "fresh"
    assert subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(project), "-o", str(fresh)], cwd=REPO).returncode == 0
    assert snapshot(output) == snapshot(fresh)
    assert list(tmp_path.glob(".out.*")) == [], "the killed build's folder cleared"


def test_moves_stopped_by_a_full_disk_are_finished_by_the_next_build(tmp_path, monkeypatch):
    """An error after the commit (the disk filled as the third file moved in): the build says so, and the patch
    is left for the next build, which finishes it before it starts (no way to fill this machine's disk for real)."""
    output = tmp_path / "site"
    unchanged = {f"keep/{n}.html": b"same" for n in range(40)}  # most of the site: patched, not swapped
    write_site({f"p/{n}.html": b"old" for n in range(5)} | unchanged, output)
    rename, moved = os.rename, []

    def full_disk_at_the_third(source, target):
        moved.extend([target] if "/site/p/" in str(target) and "building" not in str(target) else [])
        if len(moved) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return rename(source, target)
    monkeypatch.setattr("zhsite.write.os.rename", full_disk_at_the_third)
    with pytest.raises(BuildError, match="No space left"):
        write_site({f"p/{n}.html": b"new" for n in range(5)} | unchanged, output)
    monkeypatch.undo()
    assert sorted(snapshot(output).values()).count(b"new") == 2
    (work,) = tmp_path.glob(".site.building-*")  # named for this process, which lives on: renamed as if it had ended
    os.rename(work, work.with_name(f".site.building-{dead_pid()}-{work.name[-8:]}"))
    failing_build(output)
    assert snapshot(output) == {**{f"p/{n}.html": b"new" for n in range(5)}, **unchanged, ".zhsite-output": MARKER_TEXT.encode()}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_file_system_without_hard_links_is_patched_where_it_would_be_swapped(tmp_path, monkeypatch):
    """A FAT or exFAT drive, some network mounts: ``link`` refuses (EPERM), after a few files linked or at the
    first; the template edit's site is then patched in, whole (no such file system on this machine: link refused here)."""
    output = tmp_path / "site"
    kept = {f"keep/{n}.css": b"same" for n in range(3)}
    write_site({f"p/{n}.html": b"old" for n in range(20)} | kept | {"gone.html": b"x"}, output)
    link, linked = os.link, []

    def no_hard_links_after_one(source, target):
        if linked:
            raise OSError(errno.EPERM, "Operation not permitted")
        linked.append(target)
        return link(source, target)
    monkeypatch.setattr("zhsite.write.os.link", no_hard_links_after_one)
    write_site({f"p/{n}.html": b"new" for n in range(20)} | kept | {"more.css": b"more"}, output)
    assert linked, "the swap was tried"
    assert snapshot(output) == {f"p/{n}.html": b"new" for n in range(20)} | kept | {"more.css": b"more", ".zhsite-output": MARKER_TEXT.encode()}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_an_edit_is_patched_into_the_site_and_gives_a_fresh_builds_bytes(tmp_path):
    """One article edited among 200: the site folder stays (patched, not swapped), and holds what a cold build makes."""
    column = column_of(200)
    project = make_project(tmp_path, {"col.json": json.dumps(column)})
    output = project / "site"
    assert build_as_a_user(project).returncode == 0
    folder, untouched = output.stat().st_ino, (output / "p" / "100.html").stat()
    column["article"][0]["content"] = "<p>新</p>"
    (project / "content" / "col.json").write_text(json.dumps(column))
    edited = build_as_a_user(project)
    assert edited.returncode == 0, edited.stderr
    assert output.stat().st_ino == folder
    assert (output / "p" / "100.html").stat().st_mtime_ns == untouched.st_mtime_ns
    fresh = tmp_path / "fresh"
    assert subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(project), "-o", str(fresh)], cwd=REPO).returncode == 0
    assert snapshot(output) == snapshot(fresh)


@pytest.mark.parametrize("change", ["one article edited", "every page changed"])
def test_the_site_a_build_leaves_is_known_as_written_and_a_page_changed_by_hand_after_it_is_seen(tmp_path, change):
    """The stamps a build keeps of the site it leaves are those read as it began for the files left in place, and read
    again for those it put (StagedFiles.stamps): after a patch and after a swap alike, the next build finds the site as
    written and has nothing to do; a page then changed by hand, to the same size, is seen and made again."""
    column = column_of(200)
    project = make_project(tmp_path, {"col.json": json.dumps(column)})
    output = project / "site"
    assert build_as_a_user(project).returncode == 0
    folder = output.stat().st_ino
    if change == "one article edited":
        column["article"][0]["content"] = "<p>新</p>"
        (project / "content" / "col.json").write_text(json.dumps(column))
    else:
        (project / "zhsite.toml").write_text('title = "另一个名字"\n', encoding="utf-8")
    assert build_as_a_user(project).returncode == 0
    assert (output.stat().st_ino == folder) == (change == "one article edited"), "patched in place, or swapped"
    built = snapshot(output)
    run, pipeline = build_and_say_whether_the_pipeline_ran(project)
    assert run.returncode == 0 and not pipeline, run.stderr
    (output / "p" / "150.html").write_bytes(b"x" + built["p/150.html"][1:])
    run, pipeline = build_and_say_whether_the_pipeline_ran(project)
    assert run.returncode == 0 and pipeline and snapshot(output) == built


@pytest.mark.parametrize("unchanged", [PATCHED, SWAPPED], ids=["patched", "swapped"])
def test_a_file_where_a_folder_was_and_a_folder_where_a_file_was(tmp_path, unchanged):
    output = tmp_path / "site"
    write_site({"a/b.html": b"b", "c": b"c", "d/e/f.html": b"f", "x/y/z.html": b"z"} | unchanged, output)
    (output / "empty" / "deep").mkdir(parents=True)  # folders holding no file, where the new site has one
    write_site({"a": b"a", "c/d.html": b"d", "d/g.html": b"g", "x": b"x", "empty": b"e"} | unchanged, output)
    assert snapshot(output) == {"a": b"a", "c/d.html": b"d", "d/g.html": b"g", "x": b"x", "empty": b"e",
                                ".zhsite-output": MARKER_TEXT.encode()} | unchanged
    assert not (output / "d" / "e").exists(), "a folder left empty is removed"


@pytest.mark.parametrize("unchanged", [PATCHED, SWAPPED], ids=["patched", "swapped"])
def test_a_folder_of_the_site_linked_elsewhere_by_its_user_becomes_the_sites_own(tmp_path, unchanged):
    """``site/images -> /data/pictures`` (room saved by hand): its pictures are not in the site's folder, so they are
    written there, the link replaced by a folder, and what it led to left as it was."""
    output, elsewhere = tmp_path / "site", tmp_path / "pictures"
    write_site({"p/1.html": b"<p>1</p>"} | unchanged, output)
    lay_out(elsewhere, {"cat.png": PNG})
    (output / "images").symlink_to(elsewhere, target_is_directory=True)
    write_site({"p/1.html": b"<p>1</p>", "images/cat.png": PNG} | unchanged, output)
    assert not (output / "images").is_symlink()
    assert snapshot(output) == {"p/1.html": b"<p>1</p>", "images/cat.png": PNG, ".zhsite-output": MARKER_TEXT.encode()} | unchanged
    assert snapshot(elsewhere) == {"cat.png": PNG}


def test_a_first_build_into_an_empty_folder_takes_its_place(tmp_path):
    output = tmp_path / "site"
    output.mkdir()
    write_site({"index.html": b"<p>new</p>"}, output)
    assert snapshot(output) == {"index.html": b"<p>new</p>", ".zhsite-output": MARKER_TEXT.encode()}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


# Builds of one project whose output folder is a file system of its own (a Docker volume, another disk mounted there):
# a tmpfs mounted on it in a mount namespace of this process alone (util-linux's unshare, which an unprivileged user
# may run too), the folder holding it made read-only first when asked; each build's exit status, what it printed and
# the site it left, read before the namespace ends.
ON_ITS_OWN_MOUNT = """
import json, subprocess, sys
from pathlib import Path
project, output, read_only = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "read-only"
output.mkdir(parents=True)
if read_only:
    subprocess.run(["mount", "--bind", str(output.parent), str(output.parent)], check=True)
    subprocess.run(["mount", "-o", "remount,bind,ro", str(output.parent)], check=True)
subprocess.run(["mount", "-t", "tmpfs", "zhsite-test", str(output)], check=True)
(output / "lost+found").mkdir(mode=0o700)  # as on a disk formatted ext4
results = []
for content in sys.argv[5:]:
    (project / "content" / "col.json").write_text(content, encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(project), "-o", str(output)], capture_output=True, text=True)
    results.append((built.returncode, built.stderr, {p.relative_to(output).as_posix(): p.read_bytes().hex() for p in output.rglob("*") if p.is_file()},
                    (output / "lost+found").is_dir()))
nothing_to_do = subprocess.run([sys.executable, "-c", sys.argv[4], str(project), str(output)], capture_output=True, text=True).stdout
print(json.dumps([results, nothing_to_do.strip() == "False"]))
"""
# A build of sys.argv[1] into sys.argv[2], printing whether it imported the pipeline (zhsite/build.py): a build with
# nothing to do does not (zhsite/unchanged.py).
PIPELINE_RAN = """
import sys
from zhsite.cli import main
try:
    main(["build", "-s", sys.argv[1], "-o", sys.argv[2]])
except SystemExit:
    pass
print("zhsite.build" in sys.modules)
"""


@pytest.mark.parametrize("where", ["site", "www/html"], ids=["site-mounted", "in-a-read-only-folder"])
def test_an_output_folder_that_is_a_file_system_of_its_own_is_built_and_patched(tmp_path, where):
    """``docker run -v ./site:/project/site``, or a disk mounted there (its ``lost+found`` left as it is): no file moves
    into the site from beside it by a rename (EXDEV), so the build works in a folder inside it; so too when the folder beside it cannot be written (``-o /var/www/html``, a
    read-only parent standing for one the user may not write).  The first build and an edit's leave what a cold build
    elsewhere makes, and nothing else."""
    column = column_of(40)
    first = json.dumps(column)
    column["article"][0]["content"] = "<p>新</p>"
    project = make_project(tmp_path / "project", {"col.json": first})
    read_only = "read-only" if where != "site" else "writable"
    run = subprocess.run(["unshare", "--mount", "--map-root-user", sys.executable, "-c", ON_ITS_OWN_MOUNT, str(project), str(tmp_path / where),
                          read_only, PIPELINE_RAN, first, json.dumps(column)], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, f"a mount namespace is needed (unshare, util-linux; a user's own namespaces allowed): {run.stderr}"
    [(built, said, cold, kept), (edited, said_then, patched, kept_then)], nothing_to_do = json.loads(run.stdout)
    assert (built, edited) == (0, 0), said + said_then
    assert nothing_to_do, "the site left as the edit's build stamped it: the next build has nothing to do"
    assert kept and kept_then, "the disk's own lost+found is neither taken for a user's folder nor removed"
    fresh = tmp_path / "fresh"
    assert subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(project), "-o", str(fresh)], cwd=REPO).returncode == 0
    assert {path: bytes.fromhex(data) for path, data in patched.items()} == snapshot(fresh)
    assert "p/1.html" in cold and cold["p/1.html"] != patched["p/1.html"] and cold["p/2.html"] == patched["p/2.html"]


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
    for text in ("旧", "新"):  # the second build moves the changed files into the first's site
        content = f'<p>{text}</p><img src="https://pic1.zhimg.com/cat.png">'
        (project / "content" / "col.json").write_text(json.dumps(dict(COLUMN, article=[dict(COLUMN["article"][0], content=content)])))
        built = subprocess.run(build, capture_output=True, text=True, cwd=REPO, preexec_fn=lambda: os.umask(umask))
        assert built.returncode == 0, built.stderr
        found = modes(project / "site")
        expected = {path: folder if (project / "site" / path).is_dir() else file for path in found}
        assert found == expected
        assert {".", "p", "notes", "static", "images", "index.html", "p/1.html", "notes/a.html"} <= set(expected)
