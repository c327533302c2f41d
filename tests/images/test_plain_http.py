"""``http:`` pictures: Zhihu's made ``https:`` (its hosts serve both), another host's kept and said with a warning
while the page loads it over plain http; a local copy needs neither."""
from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import build_as_a_user, make_project

V2 = "v2-" + "cd" * 16
FIGURE = (f'<figure><img src="http://pic2.zhimg.com/{V2}_b.jpg" data-original="http://pic2.zhimg.com/{V2}_r.jpg" '
          'data-rawwidth="64" data-rawheight="48"/><figcaption>知乎的图</figcaption></figure>')
NOTE = "# 笔记\n\n![知乎的图](http://pic1.zhimg.com/v2-0123456789abcdef0123456789abcdef.png)\n\n![七牛的图](http://pacdb2bfr.bkt.clouddn.com/blog/a.png)\n"


def project(root: Path, config: str) -> Path:
    article = {"url": "https://zhuanlan.zhihu.com/p/100", "title": "图", "userName": "作者", "content": FIGURE}
    column = json.dumps({"title": "图", "url": "https://zhuanlan.zhihu.com/pics", "article": [article]}, ensure_ascii=False)
    return make_project(root, {"col.json": column, "notes/笔记.md": NOTE}, config)


def addresses(site: Path) -> list[str]:
    found = []
    for page in (site / "p" / "100.html", *(site / "notes").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found += [img["src"] for img in soup.select("article img")] + [a["href"] for a in soup.select("article a.zoom")]
    return found


def test_remote_pictures_on_zhihu_are_made_https_and_others_over_http_are_said(tmp_path):
    root = project(tmp_path, '[images]\nmode = "remote"\n')
    built = build_as_a_user(root)
    assert built.returncode == 0, built.stderr
    assert sorted(addresses(root / "site")) == [
        "http://pacdb2bfr.bkt.clouddn.com/blog/a.png",
        "https://pic1.zhimg.com/v2-0123456789abcdef0123456789abcdef.png",
        f"https://pic2.zhimg.com/{V2}_b.jpg",
        f"https://pic2.zhimg.com/{V2}_r.jpg",
    ]
    assert "content/notes/笔记.md: warning: picture over plain http, its host not known to serve https: http://pacdb2bfr.bkt.clouddn.com/blog/a.png" in built.stderr
    verbose = build_as_a_user(root, "--verbose")
    assert "picture over plain http, its host not known to serve https: http://pacdb2bfr.bkt.clouddn.com/blog/a.png" in verbose.stderr


def test_local_copies_are_fetched_over_https_from_zhihu_and_leave_no_http_picture(tmp_path, image_server):
    # Only the https addresses of Zhihu's hosts are mirrored: an http one would find no picture.
    mirrors = {f"https://{host}.zhimg.com/": f"{image_server.url}{host}/" for host in ("pic1", "pic2")}
    mirrors["http://pacdb2bfr.bkt.clouddn.com/"] = f"{image_server.url}clouddn/"
    root = project(tmp_path, "[images.mirrors]\n" + "".join(f'"{a}" = "{b}"\n' for a, b in mirrors.items()))
    built = build_as_a_user(root)
    assert built.returncode == 0 and "plain http" not in built.stderr, built.stderr
    shown = addresses(root / "site")
    assert len(shown) == 4 and all(a.startswith("../images/") for a in shown)
    assert f"/pic2/{V2}_r.jpg" in image_server.requests and "/clouddn/blog/a.png" in image_server.requests
