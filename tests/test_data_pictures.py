"""A picture written into the text as a ``data:`` URL (a notebook's plot, a pasted screenshot) is shown, not taken
for a lazy loader's blank; a blank still is one, and no other ``data:`` URL reaches a page."""
from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image

from tests.conftest import site_built_as_a_user
from zhsite import pictures


def png_url(width: int = 40, height: int = 30, wrap: int = 0) -> str:
    picture = Image.new("RGB", (width, height))
    picture.putdata([((x * 7) % 256, (x * 13) % 256, 90) for x in range(width * height)])
    written = io.BytesIO()
    picture.save(written, "PNG")
    data = base64.b64encode(written.getvalue()).decode()
    if wrap:
        data = "\n".join(data[i:i + wrap] for i in range(0, len(data), wrap))
    return f"data:image/png;base64,{data}"


DIAGRAM = b"<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'><rect width='40' height='20' fill='teal'/>" \
          b"<script>alert(1)</script><text x='2' y='12' onclick='alert(2)'>Q</text></svg>"
SVG_URL = "data:image/svg+xml;base64," + base64.b64encode(DIAGRAM).decode()
BLANK_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"  # a lazy loader's 1×1
ZHIHU_BLANK = "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='690' height='388'></svg>"


@pytest.mark.parametrize(("url", "picture"), [
    (png_url(), True),
    (png_url(wrap=76), True),  # base64 in lines, as a notebook writes it
    (png_url(wrap=20).replace("\n", "%0A"), True),  # short lines, their breaks percent-encoded as a sanitised page has them
    (png_url(1, 1), False),  # a 1×1 PNG: a blank's size
    (png_url(2, 2), False),
    (png_url(3, 2), True),
    (BLANK_GIF, False),
    (ZHIHU_BLANK, False),
    (SVG_URL, True),  # a diagram in base64 (draw.io's, a notebook's plot)
    ("data:image/svg+xml;base64," + base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg' width='9' height='9'/>").decode(), False),
    ("data:image/png;base64," + base64.b64encode(b"<html>" * 100).decode(), False),  # not a PNG's bytes
    ("data:text/html;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" * 40).decode(), False),
    ("https://pic1.zhimg.com/v2-abc.png", False),
])
def test_a_data_url_is_a_picture_when_its_bytes_are_one_larger_than_a_blank(url, picture):
    assert pictures.is_data_picture(url) == picture
    assert pictures.is_placeholder(url) == (url.startswith("data:") and not picture)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    note = (f"# 损失曲线\n\n训练过程：\n\n![曲线]({png_url()})\n\n<img src=\"{png_url(wrap=76)}\" alt=\"第二张\">\n\n"
            f"![图示]({SVG_URL})\n\n![空白]({BLANK_GIF})\n\n<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">打开</a>\n")
    return site_built_as_a_user(tmp_path_factory.mktemp("data-pictures"), {"notes/曲线.md": note})


def test_data_pictures_are_shown_in_the_page_and_a_blank_is_said_missing(built):
    site, result = built
    page = (site / "notes" / "曲线.html").read_text(encoding="utf-8")
    shown = re.findall(r'<img[^>]*src="(data:[^"]+)"', page)
    assert len(shown) == 3 and all(url.startswith("data:image/png;base64,iVBORw0KGgo") for url in shown[:2])
    drawing = pictures.data_picture_bytes(shown[2])
    assert b"<rect" in drawing and b"script" not in drawing and b"onclick" not in drawing, "an SVG shown filtered, as every SVG the site shows"
    assert "图片未能保存：空白" in page
    assert "lazy-loading placeholder" in result.stderr and result.stderr.count("placeholder") == 1


def test_no_other_data_url_reaches_the_page(built):
    site, _ = built
    page = (site / "notes" / "曲线.html").read_text(encoding="utf-8")
    assert "打开</a>" in page and "data:text" not in page


def test_an_svg_written_into_the_text_that_cannot_be_filtered_is_left_out_and_said(tmp_path):
    broken = "data:image/svg+xml;base64," + base64.b64encode(b"<svg><rect width='9'></svg>").decode()  # not XML: no filter reads it
    site, result = site_built_as_a_user(tmp_path, {"图.html": f'<h1>图</h1>\n<p><img src="{broken}" alt="坏图"></p>\n'})
    page = (site / "notes" / "图.html").read_text(encoding="utf-8")
    assert "图片未能保存：坏图" in page and "data:image/svg" not in page
    assert "content/图.html: warning: SVG that cannot be filtered, left out: an SVG that does not parse as XML" in result.stderr
