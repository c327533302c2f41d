"""File names holding URL syntax work wherever the site is opened: from disk, on localhost and under /<repo>/.

Notes come named as their authors named them (``C# 与 50% 的?.md``), and so do
the pictures beside them (``my pic.png``, ``图 1.png``, ``C# 图?.png``).  Chromium crawls the
whole site from its home page at each base and every link, stylesheet,
script and picture loads; on the note's own page each picture shows.
"""
from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest

from tests.browser.conftest import http_served
from tests.browser.test_published import PREFIX, SubPathHandler, crawl
from tests.conftest import make_project
from tests.images.server import png
from zhsite.build import build

NOTE = """---
title: C# 与 50% 的?
tags: [C#, 50%]
---
用 C# 算 50% 的概率。

![带空格](<assets/my pic.png>)

![百分号编码](assets/my%20pic.png)

![[图 1.png]]

![井号和问号，百分号编码](assets/C%23%20%E5%9B%BE%3F.png)
"""


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("odd"), {
        "笔记/C# 与 50% 的?.md": NOTE,
        "笔记/assets/my pic.png": png(6, 4, (200, 40, 40)),
        "笔记/assets/图 1.png": png(5, 3, (40, 40, 200)),
        "笔记/assets/C# 图?.png": png(3, 2, (40, 200, 40)),
    })
    result = build(root, root / "site")
    assert result.problems == []
    return root / "site"


@pytest.fixture(scope="module")
def bases(odd_site):
    """The site's address at each place it is published: a domain's root, a project sub-path, its folder on disk."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SubPathHandler, directory=str(odd_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with http_served(odd_site) as root_url:
        yield {"root": root_url, "sub-path": f"http://127.0.0.1:{server.server_address[1]}{PREFIX}", "file": odd_site.as_uri() + "/"}
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("where", ["root", "sub-path", "file"])
def test_odd_names_resolve_and_show_everywhere(browser, odd_site, bases, where):
    note = [path for path in odd_site.glob("notes/*.html") if path.name != "index.html"]
    assert len(note) == 1
    context = browser.new_context()
    page = context.new_page()
    visited, broken = crawl(page, bases[where])
    assert broken == []
    assert visited >= 5  # home, notes index, the note, its topics, ...
    page.goto(bases[where] + note[0].relative_to(odd_site).as_posix(), wait_until="load")
    shown = page.evaluate("""async () => {
        const images = [...document.querySelectorAll('.entry-body img')];
        for (const img of images) { img.loading = 'eager'; img.scrollIntoView(); }
        await Promise.all(images.map(img => img.decode().catch(() => null)));
        return images.map(img => [img.getAttribute('src'), img.naturalWidth]);
    }""")
    context.close()
    assert [width for _, width in shown] == [6, 6, 5, 3], shown
