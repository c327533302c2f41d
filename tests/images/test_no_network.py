"""Local pictures by default, and a build no image host answers (no network): it stops asking after a few
connections, the pages keep the pictures' web addresses, one line says so; the next build that reaches the
hosts saves them.  The hosts are mirrored to the tests' image server on 127.0.0.1, hanging up unanswered."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import build_as_a_user, make_project
from zhsite.images.fetch import UNANSWERED_LIMIT

PICTURES = 12


def figures(count: int) -> str:
    return "".join(
        f'<figure><img src="https://pic{1 + n % 4}.zhimg.com/v2-{n:032x}_b.jpg" data-original="https://pic{1 + n % 4}.zhimg.com/v2-{n:032x}_r.jpg"'
        f' data-rawwidth="64" data-rawheight="48"/><figcaption>图 {n}</figcaption></figure>'
        for n in range(count)
    )


def pictures_project(root: Path, mirrors: str) -> Path:
    article = {"url": "https://zhuanlan.zhihu.com/p/100", "title": "图片", "userName": "作者", "content": figures(PICTURES)}
    column = json.dumps({"title": "图片", "url": "https://zhuanlan.zhihu.com/pictures", "article": [article]}, ensure_ascii=False)
    return make_project(root, {"col.json": column}, f"[images]\nmirrors = {mirrors}\n")  # no mode: the default


def shown(site: Path) -> list[str]:
    page = BeautifulSoup((site / "p" / "100.html").read_text(encoding="utf-8"), "html.parser")
    return [img["src"] for img in page.select("article figure img")] + [a["href"] for a in page.select("article a.zoom")]


def test_with_no_host_answering_the_pictures_keep_their_addresses_until_a_build_reaches_them(tmp_path, image_server):
    project = pictures_project(tmp_path, image_server.mirrors_toml("hangup/"))
    built = build_as_a_user(project, "--strict")  # kept addresses are no warning: --strict still builds
    assert built.returncode == 0, built.stderr
    said = [line for line in built.stderr.splitlines() if "no answer from" in line]
    assert len(said) == 1 and f"{PICTURES} pictures keep their web addresses" in said[0]
    assert "image not saved" not in built.stderr
    # Every picture's mirror is the same server: asked UNANSWERED_LIMIT times, and at most per_host - 1 more already
    # under way (4 at once by default), not once per picture (each has two variants and three retries).
    assert UNANSWERED_LIMIT <= image_server.total < UNANSWERED_LIMIT + 4
    addresses = shown(project / "site")
    assert len(addresses) == 2 * PICTURES and all(a.startswith("https://pic") and ".zhimg.com/v2-" in a for a in addresses)

    missing = subprocess.run([sys.executable, "-m", "zhsite", "images"], cwd=project, capture_output=True, text=True)
    assert missing.returncode == 1 and f"{PICTURES} images missing" in missing.stdout and "not tried" in missing.stdout

    (project / "zhsite.toml").write_text(f"[images]\nmirrors = {image_server.mirrors_toml()}\n", encoding="utf-8")
    again = build_as_a_user(project)
    assert again.returncode == 0 and "no answer" not in again.stderr
    assert f"images: {PICTURES} pictures, 0 found locally, 0 cached, {PICTURES} downloaded" in again.stderr
    saved = shown(project / "site")
    assert len(saved) == 2 * PICTURES and all(a.startswith("../images/") and (project / "site" / "p" / a).is_file() for a in saved)
