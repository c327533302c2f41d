"""Odd characters from an archive, built with the CLI as a user builds: never a traceback, always the page.

Control characters and non-characters (U+0001, U+FFFE …) in attributes and
text, and in addresses only percent-decoding reveals; file and folder names
in GBK bytes, as unzip leaves a zip made on Chinese Windows; escape sequences
in names and addresses that a terminal would obey.  Each case is built in a
real project by ``zhsite build``, and served by ``zhsite serve`` over HTTP.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import build_as_a_user, make_project, site_built_as_a_user
from tests.serve.helpers import fetch

REDIRECTED = ["%00", "%01", "%0B", "%1B", "%EF%BF%BE"]  # each decodes to a character lxml refuses


def redirect(ending: str) -> str:
    return f"https://link.zhihu.com/?target=https%3A%2F%2Fe.com%2F{ending}"


def control_column() -> str:
    content = "".join(f'<p><a href="{redirect(ending)}">跳转{n}</a></p>' for n, ending in enumerate(REDIRECTED))
    content += '<p><img src="https://pic1.zhimg.com/v2-abc&#1;x.jpg" alt="图"></p>'
    content += '<a href="https://e.com/card" data-draft-type="link-card" data-image="https://pic1.zhimg.com/\u0001card.jpg">卡片</a>'
    content += '<p><span class="ztext-math" data-tex="a\u0001b">a</span></p>'
    content += '<p><img eeimg="1" src="https://www.zhihu.com/equation?tex=x%0By" alt="x"></p>'  # typeset: MathML of its own
    content += "<p>控制字符之后的正文</p>"
    article = {"url": "https://zhuanlan.zhihu.com/p/1", "title": "控制字符", "userName": "作者", "content": content}
    return json.dumps({"title": "专栏", "article": [article]}, ensure_ascii=False)


SAVED_PAGE = f"""<!DOCTYPE html><html><head><title>存下的页面 - 知乎</title>
<link rel="canonical" href="https://zhuanlan.zhihu.com/p/2718281"></head><body><h1 class="Post-Title">存下的页面</h1>
<div class="RichText ztext Post-RichText"><p>存下的正文</p><img src="./存下的页面_files/a&#1;b.png"><a href="{redirect('%01')}">跳转</a></div>
</body></html>"""

CONTROL_FILES = {
    "col.json": control_column(),
    "note.md": f"# 一篇笔记\n\n[跳转]({redirect('%00')}) 笔记正文\n",
    "saved/存下的页面.html": SAVED_PAGE,
    "exported/answer.html": ('<meta name="referrer" content="no-referrer" />\n<h1>导出的回答</h1>\n<p>导出的正文</p>'
                             '<img src="pic&#1;ture.png">\nLink: https://www.zhihu.com/question/77/answer/31\n'),
}


@contextmanager
def served_as_a_user(project: Path, *args: str) -> Iterator[str]:
    """``zhsite serve`` as a user runs it, in its own process, on a free port of 127.0.0.1: its URL."""
    server = subprocess.Popen([sys.executable, "-m", "zhsite", "serve", "-s", str(project), "--port", "0", *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert line.startswith("serving http://127.0.0.1:"), line + server.stderr.read()
        yield line.split()[1]
    finally:
        server.terminate()
        _, err = server.communicate(timeout=60)
        assert "Traceback" not in err, err


@pytest.fixture(scope="module")
def control_project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("control"), CONTROL_FILES)


@pytest.fixture(scope="module")
def control_build(control_project) -> subprocess.CompletedProcess:
    return build_as_a_user(control_project, "--verbose")


def test_control_characters_cost_a_warning_not_the_build(control_project, control_build):
    assert control_build.returncode == 0, control_build.stderr
    assert "Traceback" not in control_build.stderr
    page = (control_project / "site/p/1.html").read_text(encoding="utf-8")
    assert "控制字符之后的正文" in page
    for ending in REDIRECTED:
        assert f'href="https://e.com/{ending}"' in page  # the redirect's target, its odd byte as written
    assert "笔记正文" in (control_project / "site/notes/note.html").read_text(encoding="utf-8")
    assert 'href="https://e.com/%01"' in (control_project / "site/p/2718281.html").read_text(encoding="utf-8")
    assert "导出的正文" in (control_project / "site/answers/31.html").read_text(encoding="utf-8")


def test_each_value_made_safe_is_named_with_its_file_and_place(control_build):
    lines = control_build.stderr.splitlines()
    encoded = [line for line in lines if "percent-encoded in <a href>" in line]
    assert len([line for line in encoded if line.startswith("content/col.json:article 1: warning:")]) == len(REDIRECTED)
    assert any(line.startswith("content/note.md: warning:") for line in encoded)
    assert any("content/col.json:article 1: warning: control characters or non-characters: percent-encoded in <img src>: "
               "https://pic1.zhimg.com/v2-abc\\x01x.jpg" in line for line in lines)
    assert "content/col.json:article 1: warning: control characters or non-characters: dropped in a formula's TeX: a\\x01b" in lines
    assert "content/col.json:article 1: warning: control characters or non-characters: dropped in a formula's TeX: x\\x0by" in lines
    assert ("content/saved/存下的页面.html:article 2718281: warning: control characters or non-characters: percent-encoded in <img src>: "
            "content/saved/存下的页面_files/a\\x01b.png") in lines  # the loader sets a saved picture's path
    assert ("content/exported/answer.html: warning: control characters or non-characters: percent-encoded in <img src>: "
            "content/exported/pic\\x01ture.png") in lines  # and an exporter's HTML file's


def test_serve_serves_every_page(control_project):
    with served_as_a_user(control_project) as url:
        for path in ("/index.html", "/p/1.html", "/notes/note.html"):
            status, _, body = fetch(url, path)
            assert status == 200, (path, body[:300])
        assert "控制字符之后的正文" in fetch(url, "/p/1.html")[2].decode("utf-8")


def gbk(name: str) -> bytes:
    return name.encode("gbk")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def api_article(post_id: int) -> str:
    return json.dumps({"id": post_id, "type": "article", "title": f"第{post_id}篇", "content": "<p>文件夹里的文章</p>",
                       "created": 1578021840, "author": {"name": "作者"}}, ensure_ascii=False)


@pytest.fixture(scope="module")
def gbk_project(tmp_path_factory) -> Path:
    """Names as unzip leaves them from a zip made on Chinese Windows: GBK bytes, for folders and files alike."""
    project = make_project(tmp_path_factory.mktemp("gbk"), {"notes/图注.md": "# 有图的笔记\n\n![结构图](结构图.png)\n"})
    content = bytes(project / "content")
    folder = content + b"/" + gbk("机器学习")
    os.mkdir(folder)
    for post_id in (7, 8):
        Path(os.fsdecode(folder + f"/{post_id}.json".encode())).write_text(api_article(post_id), encoding="utf-8")
    for name, data in ((b"/" + gbk("注意力机制.md"), "只有正文\n".encode()),
                       (b"/" + gbk("专栏导出.json"), json.dumps({"article": [{"url": "https://zhuanlan.zhihu.com/p/9", "title": "导出的文章", "content": "<p>正文</p>"}]}).encode()),
                       (b"/notes/" + gbk("结构图.png"), PNG),
                       (b"/\xff\xfe-bad.md", "# 名字读不出\n\n正文\n".encode())):
        Path(os.fsdecode(content + name)).write_bytes(data)
    return project


def test_gbk_names_give_titles_slugs_and_pictures(gbk_project):
    result = build_as_a_user(gbk_project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    site = gbk_project / "site"
    assert "<h1>机器学习" in (site / "columns/机器学习.html").read_text(encoding="utf-8")
    assert "只有正文" in (site / "notes/注意力机制.html").read_text(encoding="utf-8")
    assert "<h1>专栏导出" in (site / "columns/专栏导出.html").read_text(encoding="utf-8")
    assert re.search(r'<img src="\.\./images/[0-9a-f]+\.png"', (site / "notes/图注.html").read_text(encoding="utf-8"))
    assert "content/\ufffd\ufffd-bad.md: warning: file name neither UTF-8 nor GBK: those bytes shown as U+FFFD" in result.stderr
    assert "名字读不出" in (site / "notes/bad.html").read_text(encoding="utf-8")
    for path in site.rglob("*"):
        assert path.name == os.fsdecode(os.fsencode(path.name)) and path.name.isprintable(), path  # no surrogate in any name


def test_gbk_names_under_serve(gbk_project):
    with served_as_a_user(gbk_project) as url:
        for path in ("/index.html", "/columns/机器学习.html", "/notes/注意力机制.html", "/notes/图注.html"):
            status, _, body = fetch(url, quote(path))
            assert status == 200, (path, body[:300])


ESCAPES = {  # each would set the window title, write the clipboard or clear the screen if sent as it is
    "title": "\x1b]0;pwned\x07",
    "clipboard": "\x1b]52;c;cHduZWQ=\x07",
    "clear": "\x1b[2J\x1b[H",
}


def test_names_and_addresses_reach_the_terminal_escaped(tmp_path):
    files = {f"{escape}{kind}.json": '{"title": "x", "article": [' for kind, escape in ESCAPES.items()}
    files["empty\x9b31m.md"] = ""
    article = {"url": "https://zhuanlan.zhihu.com/p/3", "title": "图", "content": '<p><img src="https://img.example.org/a\u001b]0;pwned\u0007.png"></p>'}
    files["pictures.json"] = json.dumps({"title": "图", "article": [article]})
    project = make_project(tmp_path, files, '[images]\nmode = "local"\noffline = true\n')
    built = build_as_a_user(project, "--report")
    shown = subprocess.run([sys.executable, "-m", "zhsite", "images"], cwd=project, capture_output=True, text=True)
    assert built.returncode == 1 and shown.returncode == 1  # the truncated archives are errors
    for output in (built.stdout, built.stderr, shown.stdout, shown.stderr):
        assert not any(ord(c) < 32 and c not in "\n" or 0x7f <= ord(c) <= 0x9f for c in output), repr(output)
    assert "error: not valid JSON (3×): content/\\x1b[2J\\x1b[Hclear.json:1:28, content/\\x1b]0;pwned\\x07title.json:1:28" in built.stderr
    assert "content/empty\\x9b31m.md" in built.stderr
    assert "  https://img.example.org/a\\x1b]0;pwned\\x07.png: offline" in shown.stdout
    assert "  https://img.example.org/a\\x1b]0;pwned\\x07.png: offline" in built.stdout


def test_control_characters_in_any_field_never_reach_a_page_or_feed(tmp_path):
    """A crawled title holds a bell, a backspace, a NUL; a body an ANSI colour code: shown as nothing, as the post showed them."""
    column = {"title": "控制\u0007字符专栏", "description": "描述\u001b[31m红色", "article": [{
        "url": "https://zhuanlan.zhihu.com/p/1", "title": "标题\u000b带\u0000控制", "content": "<p>正文\u0008退格\u001b[0m与\u0000空</p>",
        "author": {"name": "作者\u0003"}, "topic": [{"tag": "话\u0001题"}]}]}
    site, result = site_built_as_a_user(tmp_path, {"c.json": json.dumps(column), "n.md": '---\ntitle: "笔记\\x07标题"\ntags: ["a\\x01b"]\n---\n\n正文\x0c换页\n'})
    assert result.returncode == 0, result.stderr
    shown = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".xml")}
    assert [path for path, text in shown.items() if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]", text)] == []
    assert "标题带控制" in shown["p/1.html"] and "正文退格[0m与空" in shown["p/1.html"]
    assert "笔记标题" in shown["notes/n.html"] and "正文换页" in shown["notes/n.html"] and "topics/ab.html" in shown
