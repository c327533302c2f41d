"""A Zhihu post saved as one file (Chrome's and Edge's "Webpage, Single File", ``.mhtml``) becomes its post, as the
same page saved as HTML does (zhsite/load/mhtml.py); any other MHTML page stays a skipped snapshot.

The files are made here as Chrome writes them: a MIME message whose page part is quoted-printable with no charset
named, its address in ``Snapshot-Content-Location``, the pictures as parts of their own."""
from __future__ import annotations

import base64
import quopri
import re

from bs4 import BeautifulSoup

from tests.conftest import build_as_a_user, make_project
from tests.load.test_exports import HASH, png
from tests.load.test_saved_pages import ARTICLE_PAGE
from zhsite.load import load_content
from zhsite.model import Article

BOUNDARY = "----MultipartBoundary--Xy7pGVtdL1234----"
# The page as Chrome keeps it in the file: pictures at their web addresses (their bytes are parts of the file, not a
# _files folder), and no "saved from" note, canonical link or og:url in its head, so the address is the file's header's.
PAGE = re.sub(r'<!-- saved from[^>]*-->\n|<link data-rh="true" rel="canonical"[^>]*>|<meta data-rh="true" property="og:url"[^>]*>', "",
              re.sub(r"\./注意力机制详解(?:%20| )-(?:%20| )知乎_files/", "https://pic1.zhimg.com/", ARTICLE_PAGE))


def mhtml(page: str, address: str, pictures: dict[str, bytes] | None = None) -> bytes:
    """The file Chrome saves of *page*, loaded from *address*, with *pictures* (address: bytes) as it loaded them."""
    quoted = quopri.encodestring(page.encode("utf-8")).decode("ascii")
    pictures = pictures if pictures is not None else {"https://pic1.zhimg.com/v2-abc_b.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"}
    parts = "".join(f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\nContent-Location: {where}\r\n\r\n"
                    f"{base64.encodebytes(data).decode('ascii')}\r\n" for where, data in pictures.items())
    return (
        f"From: <Saved by Blink>\r\nSnapshot-Content-Location: {address}\r\n"
        "Subject: =?utf-8?Q?=E6=B3=A8=E6=84=8F=E5=8A=9B?=\r\nDate: Mon, 7 Dec 2026 09:00:00 +0800\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{BOUNDARY}"\r\n\r\n\r\n'
        f"--{BOUNDARY}\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {address}\r\n\r\n{quoted}\r\n{parts}--{BOUNDARY}--\r\n"
    ).encode("ascii")


def read_as_the_page_saved_as_html(tmp_path, name: str, data: bytes) -> Article:
    """The one post a project of the file *name* holding *data* loads, checked to have the fields the same post has
    when saved as HTML (tests/load/test_saved_pages.py), with nothing said or skipped."""
    one_file = load_content(make_project(tmp_path / "one file", {name: data}) / "content")
    as_html = load_content(make_project(tmp_path / "html", {"注意力机制详解 - 知乎.html": ARTICLE_PAGE}) / "content")
    assert one_file.problems == [] and not one_file.skipped
    [article] = [a for c in one_file.columns for a in c.articles]
    [saved] = [a for c in as_html.columns for a in c.articles]
    fields = ("id", "kind", "path", "title", "author", "published", "updated", "topics", "upvotes", "url")
    assert [getattr(article, f) for f in fields] == [getattr(saved, f) for f in fields]
    return article


def test_a_post_saved_as_one_file_reads_as_the_same_page_saved_as_html(tmp_path):
    article = read_as_the_page_saved_as_html(tmp_path, "注意力机制详解 - 知乎.mhtml", mhtml(PAGE, "https://zhuanlan.zhihu.com/p/31415926"))
    assert (article.path, article.title, article.author.name, article.published) == ("p/31415926.html", "注意力机制详解", "张三", "2023-05-01T01:00:00Z")
    assert "注意力让模型看向重要的部分。" in article.content and "缩放点积" in article.content


def test_the_post_is_a_page_of_the_site_and_another_saved_page_is_counted(tmp_path):
    other = mhtml("<!DOCTYPE html><html><head><title>天气</title></head><body><p>晴</p></body></html>", "https://example.com/weather")
    project = make_project(tmp_path, {"saved/注意力.mhtml": mhtml(PAGE, "https://zhuanlan.zhihu.com/p/31415926"), "saved/天气.mhtml": other})
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == "skipped 1 MHTML pages"
    page = (project / "site" / "p" / "31415926.html").read_text(encoding="utf-8")
    assert "注意力让模型看向重要的部分。" in page and "张三" in page


def test_the_pictures_saved_in_the_file_are_shown_from_it_with_no_network(tmp_path):
    """The page's picture is in the file, at the address the page loaded it from (a smaller variant than the one the
    post names first): the site shows that copy, found locally, where the web is out of reach (as in every test)."""
    saved = {f"https://pic1.zhimg.com/v2-{HASH}_720w.jpg": png(9)}
    project = make_project(tmp_path, {"注意力.mhtml": mhtml(PAGE, "https://zhuanlan.zhihu.com/p/31415926", saved)})
    result = build_as_a_user(project)
    assert result.returncode == 0, result.stderr
    assert "images: 1 pictures, 1 found locally, 0 cached, 0 downloaded, 0 failed" in result.stderr
    figure = BeautifulSoup((project / "site" / "p" / "31415926.html").read_text(encoding="utf-8"), "html.parser").select_one("figure img")
    assert figure["src"].startswith("../images/")
    assert (project / "site" / "p" / figure["src"]).resolve().read_bytes() == png(9)


def test_a_page_cut_short_is_said_to_be_whatever_way_it_was_saved(tmp_path):
    """A saved page whose file stops part-way (a copy or a download stopped) keeps what it has, with a warning that the
    rest is missing: as HTML and as one file alike, never a post silently without its text."""
    whole = mhtml(PAGE, "https://zhuanlan.zhihu.com/p/31415926")
    cut = {"as-html/注意力.html": ARTICLE_PAGE[: len(ARTICLE_PAGE) // 2], "one-file/注意力.mhtml": whole[: len(whole) // 2]}
    for name, data in cut.items():
        loaded = load_content(make_project(tmp_path / name.split("/")[0], {name: data}) / "content")
        assert [(p.file, p.kind, p.severity) for p in loaded.problems] == [(f"content/{name}", "saved page cut short", "warning")]
        assert [a.id for c in loaded.columns for a in c.articles] == ["31415926"]
