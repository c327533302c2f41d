"""``zhsite deploy`` into a real bare git repository, as GitHub would receive it."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import CONTENT, REPO
from zhsite.cli import main


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def project(tmp_path) -> Path:
    """The seed project as a user keeps it: committed, with a bare 'origin' standing in for GitHub."""
    root = tmp_path / "archive"
    shutil.copytree(CONTENT, root / "content")
    shutil.copy(REPO / "zhsite.toml", root / "zhsite.toml")
    (root / ".gitignore").write_text("site/\n")
    git(tmp_path, "init", "-q", "--bare", "origin.git")
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "config", "user.name", "Archivist")
    git(root, "config", "user.email", "archivist@example.org")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Archive")
    git(root, "remote", "add", "origin", str(tmp_path / "origin.git"))
    return root


def deploy(project: Path, *args: str):
    return CliRunner().invoke(main, ["deploy", "-s", str(project), *args])


def published(project: Path, *args: str) -> str:
    return git(project.parent / "origin.git", *args)


def test_deploy_publishes_the_site_with_nojekyll_and_cname(project):
    result = deploy(project, "--cname", "archive.example.org")
    assert result.exit_code == 0, result.output
    files = published(project, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    for name in ("index.html", "p/60692852.html", "notes/dl-hotpot-faq.html", "static/style.css", "feed.xml", ".nojekyll", "CNAME"):
        assert name in files
    assert published(project, "show", "gh-pages:CNAME") == "archive.example.org"
    assert git(project, "rev-parse", "--short=12", "HEAD") in published(project, "log", "-1", "--format=%s", "gh-pages")
    assert git(project, "status", "--porcelain") == "", "the working tree is never touched"
    assert git(project, "branch", "--show-current") == "main"


def test_deploying_an_unchanged_site_adds_no_commit_and_a_change_adds_one(project):
    assert deploy(project).exit_code == 0
    first = published(project, "rev-parse", "gh-pages")
    again = deploy(project)
    assert again.exit_code == 0 and "site unchanged" in again.output
    assert published(project, "rev-parse", "gh-pages") == first
    (project / "zhsite.toml").write_text((project / "zhsite.toml").read_text(encoding="utf-8").replace("知乎专栏存档", "我的存档"), encoding="utf-8")
    assert deploy(project).exit_code == 0
    assert published(project, "rev-parse", "gh-pages^") == first
    assert "我的存档" in published(project, "show", "gh-pages:index.html")


def test_no_push_commits_locally_only(project):
    result = deploy(project, "--no-push", "--branch", "pages", "-m", "预览")
    assert result.exit_code == 0, result.output
    assert git(project, "log", "-1", "--format=%s", "pages") == "预览"
    assert published(project, "branch", "--list") == ""


def test_no_build_publishes_the_existing_output(project):
    assert CliRunner().invoke(main, ["build", "-s", str(project), "-o", str(project / "public")]).exit_code == 0
    (project / "public" / "extra.txt").write_text("kept as built")
    result = deploy(project, "--no-build", "-o", str(project / "public"))
    assert result.exit_code == 0, result.output
    assert published(project, "show", "gh-pages:extra.txt") == "kept as built"


def test_clear_errors_for_no_repository_no_remote_and_a_rejected_push(project, tmp_path):
    outside = tmp_path / "loose"
    shutil.copytree(project / "content", outside / "content")
    result = deploy(outside)
    assert result.exit_code == 1 and "not in a git repository" in result.output

    result = deploy(project, "--remote", "upstream")
    assert result.exit_code == 1 and "no git remote 'upstream'" in result.output

    # Someone else published first: the remote's gh-pages is not an ancestor of ours.
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(other))
    git(other, "checkout", "-q", "--orphan", "gh-pages")
    (other / "index.html").write_text("theirs")
    git(other, "add", "index.html")
    git(other, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-q", "-m", "theirs")
    git(other, "push", "-q", "origin", "gh-pages")
    result = deploy(project)
    assert result.exit_code == 1 and "rejected" in result.output
    assert "Traceback" not in result.output
    assert published(project, "show", "gh-pages:index.html") == "theirs"


def test_deploy_refuses_the_branch_checked_out_in_any_working_tree(project, tmp_path):
    head = git(project, "rev-parse", "main")
    result = deploy(project, "--branch", "main", "--no-push")
    assert result.exit_code == 1
    assert f"'main' is the branch checked out in {project}; publishing onto it would move it under that working tree" in result.output
    assert git(project, "rev-parse", "main") == head and git(project, "status", "--porcelain") == ""
    assert not (project / "site").exists(), "refused before building"

    git(project, "worktree", "add", "-q", "-b", "pages", str(tmp_path / "pages-tree"))
    result = deploy(project, "--branch", "pages", "--no-push")
    assert result.exit_code == 1 and f"'pages' is the branch checked out in {tmp_path / 'pages-tree'}" in result.output
    assert git(project, "rev-parse", "pages") == head


def test_a_deploy_refused_for_errors_leaves_the_last_good_site_which_no_build_then_publishes(project):
    assert CliRunner().invoke(main, ["build", "-s", str(project)]).exit_code == 0
    good = {p.relative_to(project / "site").as_posix(): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "zhsite.toml").write_text((project / "zhsite.toml").read_text(encoding="utf-8").replace("知乎专栏存档", "坏了的存档"), encoding="utf-8")
    (project / "content" / "broken.json").write_text('{"title": "x", "article": [', encoding="utf-8")
    refused = deploy(project)
    assert refused.exit_code == 1
    assert "content/broken.json:1:" in refused.output and "not deployed: the build reported errors" in refused.output
    assert {p.relative_to(project / "site").as_posix(): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()} == good
    assert published(project, "branch", "--list") == "", "nothing published"

    last_good = deploy(project, "--no-build")
    assert last_good.exit_code == 0, last_good.output
    index = published(project, "show", "gh-pages:index.html")
    assert "知乎专栏存档" in index and "坏了的存档" not in index


def test_a_push_the_remote_rejects_shows_everything_git_said(project, tmp_path):
    hook = tmp_path / "origin.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'GH006: Protected branch update failed for refs/heads/gh-pages.' >&2\n"
                    "echo 'Pushes to gh-pages are frozen until the review is done.' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = deploy(project)
    assert result.exit_code == 1
    assert "push to 'origin' was rejected; the branch is committed locally. git said:" in result.output
    for line in ("remote: GH006: Protected branch update failed for refs/heads/gh-pages.",
                 "remote: Pushes to gh-pages are frozen until the review is done.",
                 "! [remote rejected] gh-pages -> gh-pages (pre-receive hook declined)"):
        assert line in result.output
    assert "Traceback" not in result.output


def test_uncommitted_changes_are_reported_and_named_in_the_commit_message(project):
    (project / "zhsite.toml").write_text((project / "zhsite.toml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (project / "content" / "new-note.md").write_text("# 新笔记\n\n还没提交\n", encoding="utf-8")
    result = deploy(project)
    assert result.exit_code == 0, result.output
    assert "warning: the project has uncommitted changes, published as they are and named so in the commit message: zhsite.toml, content/new-note.md" in result.output
    head = git(project, "rev-parse", "--short=12", "HEAD")
    assert published(project, "log", "-1", "--format=%s", "gh-pages").startswith(f"Deploy commit {head} with uncommitted changes with zhsite")

    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "More")
    clean = deploy(project)
    assert clean.exit_code == 0 and "has uncommitted changes" not in clean.output, "site/ and the cache are not changes"
