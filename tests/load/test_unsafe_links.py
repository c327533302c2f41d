"""Links from archive data: one allow-list of schemes, whatever the shape, however the scheme is disguised."""
from __future__ import annotations

import json

import pytest

from zhsite.load import Loaded, load_file
from zhsite.load.fields import UNSAFE_LINK, safe_link

DISGUISED = [
    "javascript:alert(document.domain)",
    "javascript:alert(2)//zhuanlan.zhihu.com/p/2",
    "JaVaScRiPt:alert(1)",
    " \tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "java\u200bscript:alert(1)",
    "java&#x09;script:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
KEPT = ["https://zhuanlan.zhihu.com/p/1", "http://example.com/a?b=c:d", "//pic1.zhimg.com/a.jpg", "mailto:a@example.com", "/p/1", "p/1.html", "#top", ""]


@pytest.mark.parametrize("url", DISGUISED)
def test_a_link_that_could_run_script_is_dropped_with_a_warning(url):
    kept, problems = safe_link(url, "content/x.json", "article[0] url")
    assert kept == ""
    assert [(p.file, p.where, p.severity, p.kind) for p in problems] == [("content/x.json", "article[0] url", "warning", UNSAFE_LINK)]


@pytest.mark.parametrize("url", KEPT)
def test_web_mail_and_relative_links_are_kept(url):
    assert safe_link(url, "content/x.json", "url") == (url, [])


def _load(name: str, data) -> Loaded:
    loaded = Loaded()
    load_file(json.dumps(data, ensure_ascii=False).encode("utf-8"), name, loaded)
    return loaded


def test_column_dump_source_and_column_links():
    loaded = _load("content/col.json", {
        "title": "专栏", "url": "javascript:alert(1)//zhuanlan.zhihu.com/col",
        "article": [
            {"url": "javascript:alert(2)//zhuanlan.zhihu.com/p/2", "id": 7, "title": "t", "content": "<p>x</p>"},
            {"url": "java\tscript:alert(3)", "title": "no id left", "content": "<p>x</p>"},
        ],
    })
    [column] = loaded.columns
    assert column.url == "" and column.slug == "col"  # the file's name, not the hostile URL's last part
    [article] = column.articles
    assert article.id == "7" and article.url == "https://zhuanlan.zhihu.com/p/7"
    places = sorted((p.where, p.kind, p.severity) for p in loaded.problems)
    assert places == [
        ("article[0] (id 7) url", UNSAFE_LINK, "warning"),
        ("article[1]", "no article id", "error"),
        ("article[1] url", UNSAFE_LINK, "warning"),
        ("url", UNSAFE_LINK, "warning"),
    ]


def test_api_title_image():
    post = {"id": 5, "type": "article", "title": "t", "content": "<p>x</p>", "image_url": "javascript:alert(1)"}
    loaded = _load("content/api.json", {"data": [post, {**post, "id": 6, "image_url": "https://pic1.zhimg.com/v2-a.jpg"}], "paging": {}})
    images = {a.id: a.image for c in loaded.columns for a in c.articles}
    assert images == {"5": "", "6": "https://pic1.zhimg.com/v2-a.jpg"}
    assert [(p.file, p.where, p.kind) for p in loaded.problems] == [("content/api.json", "data[0] (id 5) image_url", UNSAFE_LINK)]
