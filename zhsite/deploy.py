"""Publish the built site to a GitHub Pages branch.

ghp-import (what ``mkdocs gh-deploy`` uses) writes the output folder as one
commit on the branch with git fast-import, so the working tree and the
current branch are never touched.  It runs as a subprocess in the project's
folder because it drives git in its working directory.  A deploy whose site
is unchanged leaves the branch as it was: no commit of an identical tree.
The custom domain's ``CNAME`` on the branch is kept from one deploy to the
next unless changed: a deploy that dropped it would take the domain down.
A site whose ``base_url`` is this machine is not published: every reader's
feed, sitemap and canonical link would point at their own localhost.
"""
from __future__ import annotations

import ipaddress
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from zhsite import __version__
from zhsite.config import host_name
from zhsite.problems import BuildError, Problem

NOT_PUBLISHED = "not published"
REFUSED_TO_PUBLISH = "refused to publish"


@dataclass(frozen=True)
class DeployOptions:
    remote: str = "origin"
    branch: str = "gh-pages"
    message: str = ""
    push: bool = True
    cname: str | None = None  # None: the CNAME already on the branch, if any; "": none


class Refused(BuildError):
    """A deploy that would publish something wrong, said before anything is built or committed (exit status 2)."""


@dataclass(frozen=True)
class Deployed:
    commit: str
    changed: bool
    pushed: bool


def _git(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=False)


def _fail(project: Path, message: str) -> BuildError:
    return BuildError(Problem(str(project), "", NOT_PUBLISHED, message))


def _revision(project: Path, ref: str) -> str:
    found = _git(project, "rev-parse", "--verify", "--quiet", ref)
    return found.stdout.strip() if found.returncode == 0 else ""


def check_repository(project: Path, options: DeployOptions) -> str:
    """The source commit to name in the message; clear errors before anything is built or written."""
    if _git(project, "rev-parse", "--git-dir").returncode != 0:
        raise _fail(project, "not in a git repository; run 'git init' and commit the project first")
    if options.push and _git(project, "remote", "get-url", options.remote).returncode != 0:
        raise _fail(project, f"no git remote '{options.remote}'; add one with 'git remote add {options.remote} URL', or deploy with --no-push")
    checked_out = checked_out_branches(project)
    if options.branch in checked_out:
        raise _fail(project, f"'{options.branch}' is the branch checked out in {checked_out[options.branch]}; publishing onto it would "
                             "move it under that working tree: choose another --branch, or check out another branch there first")
    return _revision(project, "HEAD^{commit}")


def checked_out_branches(project: Path) -> dict[str, str]:
    """Branch name -> folder, for this repository's every working tree (``git worktree``), not only the project's."""
    listed = _git(project, "worktree", "list", "--porcelain").stdout
    branches, folder = {}, ""
    for line in listed.splitlines():
        if line.startswith("worktree "):
            folder = line.removeprefix("worktree ")
        elif line.startswith("branch refs/heads/"):
            branches[line.removeprefix("branch refs/heads/")] = folder
    return branches


def uncommitted(project: Path, leave_out: list[Path]) -> list[str]:
    """Files changed, added or deleted since the last commit, as ``git status`` names them; *leave_out*: the site and the cache."""
    excluded = [f":(exclude){path.resolve().relative_to(project.resolve()).as_posix()}"
                for path in leave_out if project.resolve() in path.resolve().parents]
    status = _git(project, "status", "--porcelain", "--", ":/", *excluded)
    return [line[3:] for line in status.stdout.splitlines() if line.strip()]


def default_message(source_commit: str, dirty: bool = False) -> str:
    source = f"commit {source_commit[:12]}" if source_commit else "an uncommitted project"
    changes = " with uncommitted changes" if source_commit and dirty else ""
    return f"Deploy {source}{changes} with zhsite {__version__}"


def deploy(project: Path, site: Path, options: DeployOptions, dirty: bool = False) -> Deployed:
    """Commit *site* to the branch and push it; *dirty*: the project had uncommitted changes, which the message says."""
    source_commit = check_repository(project, options)
    if not (site / "index.html").is_file():
        raise _fail(project, f"{site} holds no built site; run 'zhsite build' first")
    branch_ref = f"refs/heads/{options.branch}"
    command = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--branch", options.branch, "--remote", options.remote,
               "--message", options.message or default_message(source_commit, dirty)]
    cname = _kept_cname(project, options) if options.cname is None else options.cname
    if cname:
        command.append(f"--cname={cname}")  # one argument: never read as an option of ghp-import's
    imported = subprocess.run([*command, str(site.resolve())], cwd=project, capture_output=True, text=True, check=False)
    new = _revision(project, branch_ref)
    if imported.returncode != 0 or not new:
        raise _fail(project, f"could not commit the site to '{options.branch}': {_last_line(imported.stderr or imported.stdout)}")
    parent = _revision(project, f"{new}^")
    changed = not parent or _revision(project, f"{new}^{{tree}}") != _revision(project, f"{parent}^{{tree}}")
    if not changed:
        _git(project, "update-ref", branch_ref, parent, new)
    if options.push:  # even when unchanged: an earlier --no-push deploy may still be unpublished
        pushed = _git(project, "push", options.remote, f"{branch_ref}:{branch_ref}")
        if pushed.returncode != 0:
            said = "\n".join(f"  {line}" for line in pushed.stderr.strip().splitlines()) or "  (nothing)"
            raise _fail(project, f"push to '{options.remote}' was rejected; the branch is committed locally. git said:\n{said}")
    return Deployed(commit=new if changed else parent, changed=changed, pushed=options.push)


def _kept_cname(project: Path, options: DeployOptions) -> str:
    """The CNAME already on the branch (local, else the remote's as last fetched), so a deploy keeps the custom domain."""
    for ref in (f"refs/heads/{options.branch}", f"refs/remotes/{options.remote}/{options.branch}"):
        shown = _git(project, "show", f"{ref}:CNAME")
        if shown.returncode == 0:
            name = shown.stdout.strip()
            if not host_name(name):
                raise _fail(project, f"the CNAME on '{options.branch}' is not a host name ({name!r}): give --cname NAME, or --cname '' to drop it")
            return name
    return ""


def on_this_machine(url: str) -> bool:
    """*url* names this machine (localhost, 127.0.0.1, ::1, 0.0.0.0): no reader elsewhere can open it."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


# A GitHub remote, over https or ssh: github.com/<owner>/<repo>[.git] or git@github.com:<owner>/<repo>[.git].
_GITHUB = re.compile(r"(?:^|[@/])github\.com[:/]+([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/*$")


def pages_address(project: Path, remote: str) -> str:
    """The address GitHub Pages gives the repository behind *remote*, or "" when it is not on GitHub."""
    found = _GITHUB.search(_git(project, "remote", "get-url", remote).stdout.strip())
    if not found:
        return ""
    owner, repo = found[1].lower(), found[2]
    return f"https://{owner}.github.io/" + ("" if repo.lower() == f"{owner}.github.io" else f"{repo}/")


def built_address(site: Path) -> str:
    """The ``base_url`` the site in *site* was built with, from its sitemap (whose first page is the home page); "" without one."""
    try:
        found = re.search(rb"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_bytes()[:4096])
    except OSError:
        return ""
    return found[1].decode("utf-8", "replace").removesuffix("index.html") if found else ""


def check_address(project: Path, remote: str, address: str, place: str, advice: str) -> None:
    """Refuse to publish a site whose ``base_url`` is this machine, proposing the GitHub Pages address when the remote is GitHub.

    *place*: where the address comes from; *advice*: what to do, ``{}``
    standing for the proposed address.
    """
    if on_this_machine(address):
        proposed = pages_address(project, remote) or "URL"
        raise Refused(Problem(place, "", REFUSED_TO_PUBLISH, f"base_url is {address}, this machine, "
                                                             f"which the feeds, sitemap and canonical links would point at; {advice.format(proposed)}"))


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1].removeprefix("fatal: ").removeprefix("error: ") if lines else "git gave no reason"
