"""A Zhihu post saved by Safari ("Web Archive", ``.webarchive``) becomes its post, its pictures shown from the file
(zhsite/load/webarchive.py); one that cannot be opened is an error naming it.  The archives are made here with
plistlib, in the keys Safari writes."""
from __future__ import annotations

import plistlib

from bs4 import BeautifulSoup

from tests.conftest import build_as_a_user, make_project
from tests.load.test_exports import HASH, png
from tests.load.test_mhtml import PAGE, read_as_the_page_saved_as_html

ADDRESS = "https://zhuanlan.zhihu.com/p/31415926"


def web_archive(page: str, pictures: dict[str, bytes]) -> bytes:
    main = {"WebResourceData": page.encode("utf-8"), "WebResourceFrameName": "", "WebResourceMIMEType": "text/html",
            "WebResourceTextEncodingName": "UTF-8", "WebResourceURL": ADDRESS}
    loaded = [{"WebResourceData": data, "WebResourceMIMEType": "image/png", "WebResourceURL": address} for address, data in pictures.items()]
    return plistlib.dumps({"WebMainResource": main, "WebSubresources": loaded}, fmt=plistlib.FMT_BINARY)


def test_a_post_saved_by_safari_reads_as_the_same_page_saved_as_html(tmp_path):
    article = read_as_the_page_saved_as_html(tmp_path, "注意力机制详解.webarchive", web_archive(PAGE, {}))
    assert "注意力让模型看向重要的部分。" in article.content


def test_its_pictures_are_shown_from_the_file_and_a_damaged_one_is_an_error(tmp_path):
    saved = {f"https://pic1.zhimg.com/v2-{HASH}_720w.jpg": png(11)}
    damaged = web_archive(PAGE, saved)[:100]
    project = make_project(tmp_path, {"注意力.webarchive": web_archive(PAGE, saved), "坏了.webarchive": damaged})
    result = build_as_a_user(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "content/坏了.webarchive: error: cannot read: not a web archive Safari could open (InvalidFileException)"
    assert "images: 1 pictures, 1 found locally, 0 cached, 0 downloaded, 0 failed" in result.stderr
    figure = BeautifulSoup((project / "site" / "p" / "31415926.html").read_text(encoding="utf-8"), "html.parser").select_one("figure img")
    assert (project / "site" / "p" / figure["src"]).resolve().read_bytes() == png(11)
