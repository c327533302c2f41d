"""``zhsite init``: a new archive project, ready to build and to publish from its own repository.

The files come from ``zhsite/project_files/`` (shipped in the package), so the
project a user starts from is the one the tests build.  The one value that
depends on this installation is where the project's GitHub workflow installs
zhsite from: the source this zhsite was installed from, pinned (PEP 610's
``direct_url.json``), because ``pip install .`` only works in zhsite's own
repository and an unpinned source changes the site under the user's feet.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from zhsite import __version__
from zhsite.load.jsontext import parse_json

# Where each shipped file goes in the new project.
PROJECT_FILES = {
    "zhsite.toml": "zhsite.toml",
    "gitignore": ".gitignore",
    "welcome.md": "content/从这里开始.md",
    "pages.yml": ".github/workflows/pages.yml",
}


class InitRefused(Exception):
    """The folder holds files already and ``--force`` was not given: nothing was written."""


@dataclass(frozen=True)
class Source:
    """A pip requirement for this zhsite, and why it may need the user's eye (empty when it is exact)."""

    requirement: str
    caveat: str = ""


@dataclass(frozen=True)
class Created:
    written: list[str]
    kept: list[str]  # already there (with --force): left as they were
    source: Source


def init_project(folder: Path, force: bool = False) -> Created:
    """Write the project files into *folder*; never over a file that exists."""
    if folder.exists() and not folder.is_dir():
        raise InitRefused(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InitRefused(f"{folder} is not empty; zhsite init starts a new project in an empty or new folder "
                          "(--force adds the project files that are missing and changes no file that exists)")
    source = install_source()
    written, kept = [], []
    shipped = files("zhsite") / "project_files"
    for name, target in PROJECT_FILES.items():
        path = folder / target
        if path.exists():
            kept.append(target)
            continue
        text = (shipped / name).read_text(encoding="utf-8").replace("@ZHSITE_SOURCE@", source.requirement)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(target)
    return Created(written, kept, source)


def install_source() -> Source:
    """What ``pip install`` gets this very zhsite from elsewhere."""
    try:
        # parse_json: a damaged record reads as none (an index install), never as a traceback.
        direct, _ = parse_json(metadata.distribution("zhsite").read_text("direct_url.json") or "null", "direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    return source_from(direct, __version__)


def source_from(direct: dict | None, version: str) -> Source:
    """The requirement for a PEP 610 record: a VCS commit, an archive URL, an index version, or a local folder's origin."""
    if not isinstance(direct, dict) or not isinstance(direct.get("url"), str):
        return Source(f"zhsite=={version}")  # installed from an index
    url, vcs = direct["url"], direct.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return Source(f"zhsite @ git+{url}@{vcs['commit_id']}")
    if not url.startswith("file:"):
        return Source(f"zhsite @ {url}")
    return _local_checkout(Path(url2pathname(urlparse(url).path)), version)


def _local_checkout(folder: Path, version: str) -> Source:
    """A local folder is no source for GitHub: its git remote at its current commit, when it has both."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    remote, commit = git("remote", "get-url", "origin"), git("rev-parse", "HEAD")
    if remote and commit and not remote.startswith(("/", "file:", ".")):
        return Source(f"zhsite @ git+{remote}@{commit}",
                      f"zhsite was installed from the checkout {folder}: the workflow installs its commit {commit[:12]} "
                      f"from {remote}, which must be pushed there")
    return Source(f"zhsite=={version}",
                  f"zhsite was installed from the folder {folder}, which the workflow cannot reach: "
                  "set ZHSITE in .github/workflows/pages.yml to where zhsite is installed from")
