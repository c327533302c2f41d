"""Fixtures shared by the whole suite: the real seed archives and a site built from them."""
from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.images.server import ImageServer
from zhsite.build import BuildResult, build

# No test reaches the internet, whatever the machine: every request to a host but 127.0.0.1 (the tests' own
# servers) goes through a "proxy" on a port that is bound and never listens, so it is refused at once, in this
# process and in every `zhsite` it starts (urllib reads these variables).  A build that would download from
# Zhihu (local images are the default) meets what a machine with no network gives: its pictures keep their
# web addresses (docs/images.md).
_NOWHERE = socket.socket()
_NOWHERE.bind(("127.0.0.1", 0))
os.environ.update({
    "http_proxy": f"http://127.0.0.1:{_NOWHERE.getsockname()[1]}", "https_proxy": f"http://127.0.0.1:{_NOWHERE.getsockname()[1]}",
    "no_proxy": "127.0.0.1,localhost",
})

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
SHALLOW = CONTENT / "shallow-learning-column.json"
CAPTAIN = CONTENT / "captain-blackboard-column.json"


def seed_article(article_id: str) -> dict:
    """One article of the seed column dumps, as the archive holds it."""
    for path in (SHALLOW, CAPTAIN):
        for article in json.loads(path.read_text(encoding="utf-8"))["article"]:
            if article["url"].endswith(f"/p/{article_id}"):
                return article
    raise KeyError(article_id)


def make_project(root: Path, files: dict[str, bytes | str], config: str = "") -> Path:
    """A project folder with the given content files (and optional zhsite.toml)."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if config:
        (root / "zhsite.toml").write_text(config, encoding="utf-8")
    return root


def zip_of(files: dict[str, str | bytes]) -> bytes:
    """A ZIP file of *files* by name, as zip tools write one."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as packed:
        for name, content in files.items():
            packed.writestr(name, content)
    return data.getvalue()


def tar_of(files: dict[str, str | bytes], compression: str = "") -> bytes:
    """A tar file of *files* by name (*compression* "gz": gzipped), as Joplin's JEX and 语雀's .lakebook are."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode=f"w:{compression}") as packed:
        for name, content in files.items():
            written = content.encode("utf-8") if isinstance(content, str) else content
            member = tarfile.TarInfo(name)
            member.size = len(written)
            packed.addfile(member, io.BytesIO(written))
    return data.getvalue()


def build_as_a_user(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`zhsite build` as a user runs it, in its own process: what it prints and its exit status."""
    return subprocess.run([sys.executable, "-m", "zhsite", "build", *args], cwd=project, capture_output=True, text=True)


def site_built_as_a_user(root: Path, files: dict[str, bytes | str]) -> tuple[Path, subprocess.CompletedProcess]:
    """A project of *files* in *root*, built as a user builds it: its site folder, and what the build printed."""
    project = make_project(root, files)
    return project / "site", build_as_a_user(project)


@pytest.fixture(scope="session")
def seed_project(tmp_path_factory) -> Path:
    """A copy of this repository's project: zhsite.toml, content/ and templates/; pictures from their web addresses,
    as the tests on the seeds read them (tests/images/ build the seeds with local pictures)."""
    root = tmp_path_factory.mktemp("seeds")
    shutil.copytree(CONTENT, root / "content")
    (root / "zhsite.toml").write_text((REPO / "zhsite.toml").read_text(encoding="utf-8") + '\n[images]\nmode = "remote"\n', encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def seed_build(seed_project) -> BuildResult:
    return build(seed_project)


@pytest.fixture(scope="session")
def seed_site(seed_build) -> Path:
    return seed_build.output


@pytest.fixture
def image_server():
    """A real image server on 127.0.0.1 (tests/images/server.py), one per test so request counts belong to it."""
    server = ImageServer(slow=2.0).start()
    yield server
    server.stop()


SHARDED_ARTICLES = 1_100  # many search text and routing files (zhsite.search.files.GROUP_PAGES, TERM_PAGES, PART_PAGES)


def sharded_column(edited: int | None = None) -> str:
    """Tiny articles, each with a word of its own (``kiwi0042``); article *edited* says so too."""
    articles = [
        {"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "userName": "作者",
         "content": f"<p>kiwi{i:04d} {'edited' if i == edited else ''}</p>"}
        for i in range(1, SHARDED_ARTICLES + 1)
    ]
    return json.dumps({"title": "大专栏", "article": articles}, ensure_ascii=False)


@pytest.fixture(scope="session")
def sharded_build(tmp_path_factory) -> BuildResult:
    """A site whose search index is too big for one shard."""
    return build(make_project(tmp_path_factory.mktemp("sharded"), {"big.json": sharded_column()}))
