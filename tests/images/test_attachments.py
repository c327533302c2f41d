"""Files a note links to (a paper's PDF, a script, a zip) are in the site, where the note's links go.

Built as a user builds (``zhsite build`` in its own process), read as a reader
would: the link's target is a file of the site with the bytes on the author's disk.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup

from tests.conftest import build_as_a_user, site_built_as_a_user, zip_of

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def _links(page: Path) -> dict[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {a.get_text(): a["href"] for a in soup.select(".entry-body a[href]")}


def _target(page: Path, href: str) -> Path:
    return (page.parent / unquote(href.partition("#")[0])).resolve()


def test_a_notes_linked_files_are_published_under_their_names(tmp_path):
    script = "import torch\nprint(torch.__version__)\n"
    site, done = site_built_as_a_user(tmp_path, {
        "笔记/读论文.md": "# 读论文\n\n原文见[论文](files/注意力%20机制.pdf#page=3)，代码见[脚本](../code/train.py)，"
                       "数据见<a href='data.zip'>压缩包</a>。\n",
        "笔记/files/注意力 机制.pdf": PDF,
        "code/train.py": script,
        "笔记/data.zip": zip_of({"data/train.csv": "x,y\n1,2\n", "data/test.csv": "x,y\n3,4\n"}),
    })
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    page = site / "notes" / "读论文.html"
    links = _links(page)
    paper = _target(page, links["论文"])
    assert paper.read_bytes() == PDF and paper.name == "注意力 机制.pdf" and links["论文"].endswith("#page=3")
    assert paper.parent.name == hashlib.sha256(PDF).hexdigest()[:16]  # named by its bytes: a changed file has a new address
    assert _target(page, links["脚本"]).read_text(encoding="utf-8") == script
    assert _target(page, links["压缩包"]).read_bytes().startswith(b"PK\x03\x04")
    assert all(_target(page, href).is_relative_to(site.resolve() / "files") for href in links.values())


def test_a_changed_attachment_is_linked_anew_and_the_old_copy_goes(tmp_path):
    site, done = site_built_as_a_user(tmp_path, {"甲.md": "# 甲\n\n见[表](t.csv)。\n", "t.csv": "x,y\n1,2\n"})
    assert done.returncode == 0, done.stderr
    page = site / "notes" / "甲.html"
    before = _target(page, _links(page)["表"])
    (site.parent / "content" / "t.csv").write_text("x,y\n3,4\n", encoding="utf-8")
    done = build_as_a_user(site.parent)
    assert done.returncode == 0, done.stderr
    after = _target(page, _links(page)["表"])
    assert after.read_text(encoding="utf-8") == "x,y\n3,4\n" and not before.exists()


def test_what_a_link_may_not_publish_stays_unpublished_and_is_said(tmp_path):
    """A draft's Markdown, a crawler's cookies, a file outside the content folder: never copied, each link said."""
    site, done = site_built_as_a_user(tmp_path, {
        "a.md": "# 甲\n\n[草稿](draft.md)，[登录](cookies.txt)，[设置](../zhsite.toml)，[文件夹](files/)。\n",
        "draft.md": "---\ndraft: true\n---\n# 草稿\n\n未完。\n",
        "cookies.txt": "# Netscape HTTP Cookie File\n.zhihu.com\tTRUE\t/\tTRUE\t0\tz_c0\tsecret\n",
        "files/x.pdf": PDF,
    })
    assert done.returncode == 0, done.stderr
    published = {path.name for path in site.rglob("*") if path.is_file()}
    assert not {"draft.md", "cookies.txt", "zhsite.toml"} & published
    assert "secret" not in "".join(path.read_text(encoding="utf-8", errors="replace") for path in site.rglob("*") if path.is_file())
    assert "content/a.md: warning: linked file not published: content/cookies.txt (a crawler's login cookies)" in done.stderr
    verbose = build_as_a_user(site.parent, "--verbose").stderr
    for written in ("draft.md", "../zhsite.toml", "files/"):
        assert f"content/a.md: warning: link to nothing on the site: {written} is no note, post or file of this site" in verbose


def test_a_link_to_a_path_on_the_authors_disk_is_the_file_copied_in_or_its_text(tmp_path):
    """Typora and Obsidian write absolute paths and file: URLs; the site has the file when it is under content/
    (found by the longest tail of the path, as pictures are), else the link is its text: a path on someone's
    disk, or an address at another site's root, leads nowhere on this site and tells readers about the disk."""
    site, done = site_built_as_a_user(tmp_path, {
        "笔记/读论文.md": "# 读论文\n\n[论文](/Users/me/Documents/笔记/files/paper.pdf)，[同一篇](file:///Users/me/Documents/笔记/files/paper.pdf)，"
                       "[Windows](C:\\Users\\me\\笔记\\files\\paper.pdf)，[关于](/about)，[不在](/Users/me/Desktop/gone.pdf)。\n\n"
                       "![图](file:///Users/me/Documents/笔记/files/fig.png)\n",
        "笔记/files/paper.pdf": PDF,
        "笔记/files/fig.png": b"\x89PNG\r\n\x1a\n" + bytes(60),
    })
    assert done.returncode == 0, done.stderr
    page = site / "notes" / "读论文.html"
    body = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(".entry-body")
    links = {a.get_text(): a.get("href") for a in body.select("a")}
    for name in ("论文", "同一篇", "Windows"):
        assert _target(page, links[name]).read_bytes() == PDF, name
    assert links["关于"] is None and links["不在"] is None  # their text, not linked
    assert "/Users/" not in str(body) and "file:" not in str(body)
    assert (page.parent / unquote(body.img["src"])).resolve().read_bytes().startswith(b"\x89PNG")
    verbose = build_as_a_user(site.parent, "--verbose").stderr
    assert ("content/笔记/读论文.md: warning: link to a path on a disk, not published: /Users/me/Desktop/gone.pdf names no file "
            "under the content folder; shown as its text") in verbose
    assert "link to a path on a disk, not published: /about" in verbose


def test_a_link_to_another_note_by_its_path_on_the_authors_disk_goes_to_its_page(tmp_path):
    """Typora links a note to another by its absolute path: the note under content/ ending in that path's longest tail."""
    site, done = site_built_as_a_user(tmp_path, {
        "笔记/读论文.md": "# 读论文\n\n先读[注意力](/Users/me/Documents/笔记/概念/注意力.md#定义)，再读"
                       "[同一篇](file:///Users/me/Documents/笔记/概念/注意力.md)和[Windows](C:\\Users\\me\\笔记\\概念\\注意力.md)。\n",
        "笔记/概念/注意力.md": "# 注意力\n\n## 定义\n\n加权求和。\n",
    })
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    page = site / "notes" / "读论文.html"
    links = _links(page)
    target = site / "notes" / "注意力.html"
    assert {_target(page, href) for href in links.values()} == {target.resolve()}
    shown = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
    assert shown.find(id=unquote(links["注意力"].partition("#")[2])).get_text() == "定义"
    backlinks = shown.select(".backlinks a")
    assert [a.get_text() for a in backlinks] == ["读论文"]


def test_a_linked_svg_is_published_filtered_and_one_that_cannot_be_is_left_out(tmp_path):
    site, done = site_built_as_a_user(tmp_path, {
        "图.md": "# 图\n\n[结构图](a.svg)，[坏图](b.svg)\n",
        "a.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="1" height="1"/></svg>',
        "b.svg": "<svg><not closed",
    })
    assert done.returncode == 0, done.stderr
    page = site / "notes" / "图.html"
    links = _links(page)
    published = _target(page, links["结构图"]).read_text(encoding="utf-8")
    assert "<rect" in published and "script" not in published and "onload" not in published
    assert "content/图.md: warning: linked file not published: content/b.svg (an SVG that does not parse as XML)" in done.stderr
    assert unquote(links["坏图"]) == "b.svg"  # kept as written, leading nowhere, said


def test_an_obsidian_link_to_a_file_of_the_vault_is_its_copy(tmp_path):
    """Obsidian links a vault's files by name (``[[paper.pdf]]``), found wherever they are; a page of that title wins."""
    site, done = site_built_as_a_user(tmp_path, {
        "vault/读论文.md": "# 读论文\n\n见 [[paper.pdf]]、[[paper.pdf#page=2|第二页]]、[[v1.2]] 和 [[缺失.pdf]]。\n",
        "vault/attachments/paper.pdf": PDF,
        "vault/v1.2.md": "# v1.2\n\n版本说明。\n",
    })
    assert done.returncode == 0, done.stderr
    page = site / "notes" / "读论文.html"
    links = _links(page)
    assert _target(page, links["paper.pdf"]).read_bytes() == PDF
    assert links["第二页"].endswith("#page=2") and _target(page, links["第二页"]).read_bytes() == PDF
    assert _target(page, links["v1.2"]).name.endswith(".html")  # a note's name: its page
    assert "缺失.pdf" not in links
    assert "content/vault/读论文.md:3: warning: unresolved wikilink: [[缺失.pdf]] names no article, answer or note of this site" in done.stderr
