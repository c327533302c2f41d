"""``zhsite deploy`` into a real bare git repository, as GitHub would receive it."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CONTENT, REPO

PAGES = "https://archivist.github.io/archive/"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def project(tmp_path) -> Path:
    """The seed project as a user keeps it: committed, with a bare 'origin' standing in for GitHub."""
    root = tmp_path / "archive"
    shutil.copytree(CONTENT, root / "content")
    (root / "zhsite.toml").write_text((REPO / "zhsite.toml").read_text(encoding="utf-8").replace("http://localhost:8000/", PAGES), encoding="utf-8")
    (root / ".gitignore").write_text("site/\n")
    git(tmp_path, "init", "-q", "--bare", "origin.git")
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "config", "user.name", "Archivist")
    git(root, "config", "user.email", "archivist@example.org")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Archive")
    git(root, "remote", "add", "origin", str(tmp_path / "origin.git"))
    return root


def zhsite(project: Path, *args: str) -> subprocess.CompletedProcess:
    """A zhsite command as a user runs it, in its own process."""
    return subprocess.run([sys.executable, "-m", "zhsite", *args], cwd=project, capture_output=True, text=True)


def deploy(project: Path, *args: str) -> subprocess.CompletedProcess:
    return zhsite(project, "deploy", "-s", str(project), *args)


def published(project: Path, *args: str) -> str:
    return git(project.parent / "origin.git", *args)


def test_deploy_publishes_the_site_with_nojekyll_and_cname(project):
    result = deploy(project, "--cname", "archive.example.org")
    assert result.returncode == 0, result.stderr
    files = published(project, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    for name in ("index.html", "p/60692852.html", "notes/dl-hotpot-faq.html", "static/style.css", "feed.xml", ".nojekyll", "CNAME"):
        assert name in files
    assert published(project, "show", "gh-pages:CNAME") == "archive.example.org"
    assert git(project, "rev-parse", "--short=12", "HEAD") in published(project, "log", "-1", "--format=%s", "gh-pages")
    assert git(project, "status", "--porcelain") == "", "the working tree is never touched"
    assert git(project, "branch", "--show-current") == "main"


def test_deploying_an_unchanged_site_adds_no_commit_and_a_change_adds_one(project):
    assert deploy(project).returncode == 0
    first = published(project, "rev-parse", "gh-pages")
    again = deploy(project)
    assert again.returncode == 0 and "site unchanged" in again.stderr
    assert published(project, "rev-parse", "gh-pages") == first
    (project / "zhsite.toml").write_text((project / "zhsite.toml").read_text(encoding="utf-8").replace("知乎专栏存档", "我的存档"), encoding="utf-8")
    assert deploy(project).returncode == 0
    assert published(project, "rev-parse", "gh-pages^") == first
    assert "我的存档" in published(project, "show", "gh-pages:index.html")


def test_no_push_commits_locally_only(project):
    result = deploy(project, "--no-push", "--branch", "pages", "-m", "预览")
    assert result.returncode == 0, result.stderr
    assert git(project, "log", "-1", "--format=%s", "pages") == "预览"
    assert published(project, "branch", "--list") == ""


def test_no_build_publishes_the_existing_output(project):
    assert zhsite(project, "build", "-o", "public").returncode == 0
    (project / "public" / "extra.txt").write_text("kept as built")
    result = deploy(project, "--no-build", "-o", str(project / "public"))
    assert result.returncode == 0, result.stderr
    assert published(project, "show", "gh-pages:extra.txt") == "kept as built"


def test_clear_errors_for_no_repository_no_remote_and_a_rejected_push(project, tmp_path):
    outside = tmp_path / "loose"
    shutil.copytree(project / "content", outside / "content")
    result = deploy(outside)
    assert result.returncode == 1 and "not in a git repository" in result.stderr

    result = deploy(project, "--remote", "upstream")
    assert result.returncode == 1 and "no git remote 'upstream'" in result.stderr

    # Someone else published first: the remote's gh-pages is not an ancestor of ours.
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(other))
    git(other, "checkout", "-q", "--orphan", "gh-pages")
    (other / "index.html").write_text("theirs")
    git(other, "add", "index.html")
    git(other, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-q", "-m", "theirs")
    git(other, "push", "-q", "origin", "gh-pages")
    result = deploy(project)
    assert result.returncode == 1 and "rejected" in result.stderr
    assert "Traceback" not in result.stderr
    assert published(project, "show", "gh-pages:index.html") == "theirs"


def test_deploy_refuses_the_branch_checked_out_in_any_working_tree(project, tmp_path):
    head = git(project, "rev-parse", "main")
    result = deploy(project, "--branch", "main", "--no-push")
    assert result.returncode == 1
    assert f"'main' is the branch checked out in {project}; publishing onto it would move it under that working tree" in result.stderr
    assert git(project, "rev-parse", "main") == head and git(project, "status", "--porcelain") == ""
    assert not (project / "site").exists(), "refused before building"

    git(project, "worktree", "add", "-q", "-b", "pages", str(tmp_path / "pages-tree"))
    result = deploy(project, "--branch", "pages", "--no-push")
    assert result.returncode == 1 and f"'pages' is the branch checked out in {tmp_path / 'pages-tree'}" in result.stderr
    assert git(project, "rev-parse", "pages") == head


def test_a_deploy_refused_for_errors_leaves_the_last_good_site_which_no_build_then_publishes(project):
    assert zhsite(project, "build").returncode == 0
    good = {p.relative_to(project / "site").as_posix(): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "zhsite.toml").write_text((project / "zhsite.toml").read_text(encoding="utf-8").replace("知乎专栏存档", "坏了的存档"), encoding="utf-8")
    (project / "content" / "broken.json").write_text('{"title": "x", "article": [', encoding="utf-8")
    refused = deploy(project)
    assert refused.returncode == 1
    assert "content/broken.json:1:" in refused.stderr and "not deployed: the build reported errors" in refused.stderr
    assert {p.relative_to(project / "site").as_posix(): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()} == good
    assert published(project, "branch", "--list") == "", "nothing published"

    last_good = deploy(project, "--no-build")
    assert last_good.returncode == 0, last_good.stderr
    index = published(project, "show", "gh-pages:index.html")
    assert "知乎专栏存档" in index and "坏了的存档" not in index


def test_a_push_the_remote_rejects_shows_everything_git_said(project, tmp_path):
    hook = tmp_path / "origin.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'GH006: Protected branch update failed for refs/heads/gh-pages.' >&2\n"
                    "echo 'Pushes to gh-pages are frozen until the review is done.' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = deploy(project)
    assert result.returncode == 1
    assert "push to 'origin' was rejected; the branch is committed locally. git said:" in result.stderr
    for line in ("remote: GH006: Protected branch update failed for refs/heads/gh-pages.",
                 "remote: Pushes to gh-pages are frozen until the review is done.",
                 "! [remote rejected] gh-pages -> gh-pages (pre-receive hook declined)"):
        assert line in result.stderr
    assert "Traceback" not in result.stderr


def test_uncommitted_changes_are_reported_and_named_in_the_commit_message(project):
    (project / "zhsite.toml").write_text((project / "zhsite.toml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (project / "content" / "new-note.md").write_text("# 新笔记\n\n还没提交\n", encoding="utf-8")
    result = deploy(project)
    assert result.returncode == 0, result.stderr
    assert "warning: the project has uncommitted changes, published as they are and named so in the commit message: zhsite.toml, content/new-note.md" in result.stderr
    head = git(project, "rev-parse", "--short=12", "HEAD")
    assert published(project, "log", "-1", "--format=%s", "gh-pages").startswith(f"Deploy commit {head} with uncommitted changes with zhsite")

    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "More")
    clean = deploy(project)
    assert clean.returncode == 0 and "has uncommitted changes" not in clean.stderr, "site/ and the cache are not changes"


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.stderr.splitlines() == [result.stderr.strip()], result.stderr
    return result.stderr.strip()


def test_the_cname_is_kept_across_deploys_until_changed_and_can_be_set_in_zhsite_toml(project):
    assert deploy(project, "--cname", "archive.example.org").returncode == 0
    (project / "content" / "later.md").write_text("# 后来\n\n又一篇\n", encoding="utf-8")
    again = deploy(project)
    assert again.returncode == 0, again.stderr
    assert "later" in published(project, "ls-tree", "-r", "--name-only", "gh-pages"), "a new site was committed"
    assert published(project, "show", "gh-pages:CNAME") == "archive.example.org", "the custom domain stays"

    (project / "zhsite.toml").write_text((project / "zhsite.toml").read_text(encoding="utf-8") + 'cname = "notes.example.org"\n', encoding="utf-8")
    assert deploy(project, "--no-build").returncode == 0
    assert published(project, "show", "gh-pages:CNAME") == "notes.example.org"
    assert deploy(project, "--no-build", "--cname", "").returncode == 0
    assert "CNAME" not in published(project, "ls-tree", "--name-only", "gh-pages").splitlines()


@pytest.mark.parametrize("cname", ["archive.example.org\nevil.example.org", "-x.example.org", "--help", "archive example.org"])
def test_a_cname_that_is_not_a_host_name_is_refused_in_one_line_before_anything(project, cname):
    result = deploy(project, f"--cname={cname}")
    assert result.returncode == 2
    assert one_line(result) == f"--cname: error: not a host name: {cname!r}; give a domain such as archive.example.org"
    assert not (project / "site").exists() and published(project, "branch", "--list") == ""


def test_a_cname_in_zhsite_toml_that_is_not_a_host_name_is_a_config_error(project):
    (project / "zhsite.toml").write_text((project / "zhsite.toml").read_text(encoding="utf-8") + 'cname = "-x.example.org"\n', encoding="utf-8")
    result = deploy(project)
    assert result.returncode == 1
    assert "zhsite.toml:cname: error: wrong value: must be a host name such as archive.example.org, got '-x.example.org'" in result.stderr
    assert published(project, "branch", "--list") == ""


def test_a_base_url_on_this_machine_is_refused_with_the_pages_address_proposed(project):
    toml = project / "zhsite.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(PAGES, "http://localhost:8000/"), encoding="utf-8")
    git(project, "remote", "add", "github", "git@github.com:Archivist/archive.git")
    git(project, "remote", "add", "home", "https://github.com/Archivist/Archivist.github.io.git")
    said = "refused to publish: base_url is {}, this machine, which the feeds, sitemap and canonical links would point at; "
    for remote, proposed in (("origin", "URL"), ("github", PAGES), ("home", "https://archivist.github.io/")):
        result = deploy(project, "--remote", remote)
        assert result.returncode == 2
        assert one_line(result) == (f"{toml}:base_url: error: " + said.format("http://localhost:8000/")
                                    + f"deploy with --base-url {proposed}, or set base_url in zhsite.toml")
    given = deploy(project, "--remote", "github", "--base-url", "http://127.0.0.1:8000/")
    assert given.returncode == 2
    assert one_line(given) == "--base-url: error: " + said.format("http://127.0.0.1:8000/") + f"give the address the site will have, such as {PAGES}"
    assert not (project / "site").exists() and published(project, "branch", "--list") == "", "nothing built or pushed"

    assert deploy(project, "--base-url", PAGES).returncode == 0
    sitemap = published(project, "show", "gh-pages:sitemap.xml")
    assert f"<loc>{PAGES}index.html</loc>" in sitemap and "localhost" not in sitemap

    assert zhsite(project, "build").returncode == 0  # with zhsite.toml's localhost
    built_so = deploy(project, "--no-build", "--remote", "github")
    assert built_so.returncode == 2
    assert one_line(built_so) == f"{project / 'site'}: error: " + said.format("http://localhost:8000/") + f"publish a new build: deploy with --base-url {PAGES}"
    assert deploy(project, "--no-build", "--base-url", PAGES).returncode == 2, "--no-build cannot change the address the site was built with"
    assert "localhost" not in published(project, "show", "gh-pages:sitemap.xml")


def test_with_a_message_given_the_warning_does_not_claim_the_message_names_the_changes(project):
    (project / "content" / "new-note.md").write_text("# 新笔记\n\n还没提交\n", encoding="utf-8")
    result = deploy(project, "-m", "更新")
    assert result.returncode == 0, result.stderr
    assert "warning: the project has uncommitted changes, published as they are and the commit message is yours (-m): content/new-note.md" in result.stderr
    assert published(project, "log", "-1", "--format=%B", "gh-pages").strip() == "更新"


def test_a_first_deploy_with_errors_does_not_advise_publishing_a_previous_site_there_is_none_of(project):
    (project / "content" / "broken.json").write_text('{"title": "x", "article": [', encoding="utf-8")
    result = deploy(project)
    assert result.returncode == 1
    assert f"not deployed: the build reported errors; there is no previous site in {project / 'site'} to publish (fix the errors first)" in result.stderr
    assert "--no-build" not in result.stderr
    assert published(project, "branch", "--list") == ""


@pytest.mark.parametrize(("output", "why"), [("../private", "it holds files zhsite did not write (no .zhsite-output): .env, .ssh"),
                                             (".", "it holds the project, which a build would replace")])
def test_no_build_refuses_an_output_folder_of_the_users_files_like_build(project, output, why):
    private = project.parent / "private"
    (private / ".ssh").mkdir(parents=True)
    (private / ".env").write_text("TOKEN=secret\n")
    (private / ".ssh" / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    result = deploy(project, "--no-build", "-o", output)
    assert result.returncode == 2
    assert one_line(result).startswith(f"{output}: error: refused as output folder: {why}")
    assert published(project, "branch", "--list") == "" and git(project, "branch", "--list", "gh-pages") == "", "nothing committed or pushed"


def test_a_cname_on_the_branch_that_is_not_a_host_name_is_not_carried_on(project):
    """Someone committed a two-line CNAME by hand: the deploy says so rather than publish it again."""
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=project, input="a.example.org\n-b\n", capture_output=True, text=True, check=True).stdout.strip()
    tree = subprocess.run(["git", "mktree"], cwd=project, input=f"100644 blob {blob}\tCNAME\n", capture_output=True, text=True, check=True).stdout.strip()
    git(project, "update-ref", "refs/heads/gh-pages", git(project, "commit-tree", tree, "-m", "by hand"))
    result = deploy(project, "--no-push")
    assert result.returncode == 1
    assert "error: not published: the CNAME on 'gh-pages' is not a host name ('a.example.org\\n-b'): give --cname NAME, or --cname '' to drop it" in result.stderr
    assert deploy(project, "--no-push", "--cname", "a.example.org").returncode == 0
    assert git(project, "show", "gh-pages:CNAME") == "a.example.org"
