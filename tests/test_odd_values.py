"""Odd characters from an archive, built with the CLI as a user builds: never a traceback, always the page.

Control characters and non-characters (U+0001, U+FFFE …) in attributes and
text, and in addresses only percent-decoding reveals; file and folder names
in GBK bytes, as unzip leaves a zip made on Chinese Windows; escape sequences
in names and addresses that a terminal would obey.  Each case is built in a
real project by ``zhsite build``, and served by ``zhsite serve`` over HTTP.
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import build_as_a_user, make_project
from tests.serve.helpers import fetch

REDIRECTED = ["%00", "%01", "%0B", "%1B", "%EF%BF%BE"]  # each decodes to a character lxml refuses


def redirect(ending: str) -> str:
    return f"https://link.zhihu.com/?target=https%3A%2F%2Fe.com%2F{ending}"


def control_column() -> str:
    content = "".join(f'<p><a href="{redirect(ending)}">跳转{n}</a></p>' for n, ending in enumerate(REDIRECTED))
    content += '<p><img src="https://pic1.zhimg.com/v2-abc&#1;x.jpg" alt="图"></p>'
    content += '<a href="https://e.com/card" data-draft-type="link-card" data-image="https://pic1.zhimg.com/\u0001card.jpg">卡片</a>'
    content += '<p><span class="ztext-math" data-tex="a\u0001b">a</span></p>'
    content += '<p><img eeimg="1" src="https://www.zhihu.com/equation?tex=x%01y" alt="x"></p>'
    content += "<p>控制字符之后的正文</p>"
    article = {"url": "https://zhuanlan.zhihu.com/p/1", "title": "控制字符", "userName": "作者", "content": content}
    return json.dumps({"title": "专栏", "article": [article]}, ensure_ascii=False)


CONTROL_FILES = {
    "col.json": control_column(),
    "note.md": f"# 一篇笔记\n\n[跳转]({redirect('%00')}) 笔记正文\n",
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


def test_each_value_made_safe_is_named_with_its_file_and_place(control_build):
    lines = control_build.stderr.splitlines()
    encoded = [line for line in lines if "percent-encoded in <a href>" in line]
    assert len([line for line in encoded if line.startswith("content/col.json:article 1: warning:")]) == len(REDIRECTED)
    assert any(line.startswith("content/note.md: warning:") for line in encoded)
    assert any("content/col.json:article 1: warning: control characters or non-characters percent-encoded in <img src>: "
               "https://pic1.zhimg.com/v2-abc\\x01x.jpg" in line for line in lines)
    assert any("dropped in text in <code>: a\\x01b" in line for line in lines)  # data-tex, shown as TeX


def test_serve_serves_every_page(control_project):
    with served_as_a_user(control_project) as url:
        for path in ("/index.html", "/p/1.html", "/notes/note.html"):
            status, _, body = fetch(url, path)
            assert status == 200, (path, body[:300])
        assert "控制字符之后的正文" in fetch(url, "/p/1.html")[2].decode("utf-8")
