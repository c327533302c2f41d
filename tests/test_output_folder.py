"""The output folder is zhsite's alone: a build never replaces, mixes with or reads back the user's own files."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import make_project

COLUMN = {"title": "专栏", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "第一篇", "content": "<p>正文</p>"}]}


def zhsite(*args, cwd):
    return subprocess.run([sys.executable, "-m", "zhsite", *args], cwd=cwd, capture_output=True, text=True)


def every_file(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path):
    """A project under git, with its own templates and a theme, built once into site/ so the cache exists."""
    root = make_project(tmp_path / "blog", {"col.json": json.dumps(COLUMN), "notes/a.md": "# 笔记\n\n正文\n"})
    (root / "templates").mkdir()
    (root / "templates" / "extra.html").write_text("<p>mine</p>\n", encoding="utf-8")
    (root / "themes" / "mine" / "templates").mkdir(parents=True)
    (root / "themes" / "mine" / "templates" / "note.html").write_text("{{ page }}\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "start"], cwd=root, check=True)
    assert zhsite("build", cwd=root).returncode == 0
    return root


@pytest.mark.parametrize(("output", "why"), [
    ("content", "it is, holds or sits in the content folder"),
    ("content/site", "it is, holds or sits in the content folder"),
    (".", "it holds the project"),
    ("..", "it holds the project"),
    (".zhsite-cache", "it is, holds or sits in the build cache"),
    (".zhsite-cache/site", "it is, holds or sits in the build cache"),
    ("templates", "it is, holds or sits in the project's templates"),
    ("themes/mine/out", "it is, holds or sits in the project's themes"),
    (".git", "it holds files zhsite did not write"),
])
def test_an_output_folder_of_the_users_files_is_refused_in_one_line_and_nothing_is_touched(project, output, why):
    before = every_file(project.parent)
    result = zhsite("build", "-o", output, cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [result.stderr.strip()], "one line"
    assert result.stderr.startswith(f"{output}: error: refused as output folder: {why}")
    assert "Traceback" not in result.stderr
    assert every_file(project.parent) == before, "every file is still there, byte for byte"


def test_deploy_refuses_the_same_folders_before_building(project):
    before = every_file(project.parent)
    result = zhsite("deploy", "--no-push", "-o", "content", cwd=project)
    assert result.returncode == 2
    assert "content: error: refused as output folder" in result.stderr
    assert every_file(project.parent) == before


def test_a_folder_of_other_files_is_refused_and_zhsites_own_output_is_rebuilt(project, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "cat.jpg").write_bytes(b"\xff\xd8 a cat")
    refused = zhsite("build", "-o", str(photos), cwd=project)
    assert refused.returncode == 2
    assert f"{photos}: error: refused as output folder: it holds files zhsite did not write (no .zhsite-output)" in refused.stderr
    assert every_file(photos) == {"cat.jpg": b"\xff\xd8 a cat"}

    empty = tmp_path / "empty"
    empty.mkdir()
    assert zhsite("build", "-o", str(empty), cwd=project).returncode == 0
    assert (empty / ".zhsite-output").is_file() and (empty / "index.html").is_file()
    again = zhsite("build", "-o", str(empty), cwd=project)
    assert again.returncode == 0, again.stderr
    assert (project / "site" / ".zhsite-output").is_file()


def test_building_into_a_subfolder_of_content_never_feeds_the_output_back(project):
    """The attack round saw 3 notes, then 131, then 250; now the second build is refused like the first."""
    for _ in range(2):
        assert zhsite("build", "-o", "content/site", cwd=project).returncode == 2
    assert not (project / "content" / "site").exists()


def test_a_site_built_before_the_marker_existed_is_rebuilt_not_refused(project):
    """Upgrading zhsite must not refuse the site/ an older version wrote: its home page names zhsite."""
    (project / "site" / ".zhsite-output").unlink()
    result = zhsite("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / ".zhsite-output").is_file()


def test_a_folder_holding_a_copied_zhsite_page_beside_the_users_files_is_refused(project, tmp_path):
    """Without the marker a zhsite home page is taken for an old site only if nothing else of the user's is there."""
    mine = tmp_path / "mine"
    (mine / "photos").mkdir(parents=True)
    (mine / "index.html").write_bytes((project / "site" / "index.html").read_bytes())
    (mine / "thesis.docx").write_bytes(b"PK my thesis")
    (mine / "photos" / "cat.jpg").write_bytes(b"\xff\xd8 a cat")
    before = every_file(mine)
    result = zhsite("build", "-o", str(mine), cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"{mine}: error: refused as output folder: it holds files zhsite did not write (no .zhsite-output): "
                                     "photos, thesis.docx; empty it or choose another folder")
    assert every_file(mine) == before
