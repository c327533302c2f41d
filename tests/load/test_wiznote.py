"""为知笔记 (WizNote) notes as the app keeps them: ``<title>.ziw`` (Windows), ``notes/{<guid>}`` (Mac, Linux).

The fixtures follow what the public WizNote converters read (wiz2joplin, wiz-to-obsidian): a ZIP of
``index.html`` (UTF-8, or UTF-16 with a byte-order mark from older versions) and ``index_files/`` pictures; a
Markdown note titled ``….md``, its lines the page's ``<div>`` lines; links ``wiz://open_document?guid=…&amp;kbguid=
&amp;private_kbguid=…`` and ``wiz:open_attachment?guid=…``; attachments in ``<title>_Attachments/`` beside a
``.ziw``.  Before, a ``.ziw`` stopped the build as a packed archive to unpack, and a ``{<guid>}`` was a binary.
"""
from __future__ import annotations

import io
import re
import zipfile

from PIL import Image

from tests.conftest import site_built_as_a_user

DOCUMENT = "wiz://open_document?guid=c6204f26-f966-4626-ad41-1b5fbdb6829e&amp;kbguid=&amp;private_kbguid=69899a48-dc52-11e0-892c-00237def97cc"
ATTACHMENT = "wiz:open_attachment?guid=52935f17-c1bb-45b7-b443-b7ba1b6f854e"


def picture(color: str) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(data, "PNG")
    return data.getvalue()


def ziw(page: str, files: dict[str, bytes] | None = None, utf16: bool = False) -> bytes:
    """A note's file as 为知笔记 writes it, its page saved on 2021-03-04 at 05:06."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as packed:
        packed.writestr(zipfile.ZipInfo("index.html", (2021, 3, 4, 5, 6, 0)),
                        b"\xff\xfe" + page.encode("utf-16-le") if utf16 else page.encode("utf-8"))
        for name, content in (files or {}).items():
            packed.writestr(name, content)
    return data.getvalue()


RICH = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>卷积神经网络笔记</title></head><body>'
        '<h2>感受野</h2><p>卷积层的感受野随深度增长。</p><p><img src="index_files/a.png"></p>'
        f'<p>见 <a href="{DOCUMENT}">反向传播推导</a> 与附件 <a href="{ATTACHMENT}">slides.pdf</a>。</p></body></html>')
MARKDOWN = ('<html><head><title>反向传播推导.md</title></head><body><div># 链式法则</div><div><br></div>'
            '<div>梯度：$\\frac{\\partial L}{\\partial w}$</div><div><br></div><div>```python</div><div>def grad(x):</div>'
            '<div>&nbsp;&nbsp;&nbsp; return 2 * x</div><div>```</div><div><br></div><div><img src="index_files/b.png"></div>'
            f'<div>回到 <a href="{DOCUMENT.replace("9e&", "9f&")}">卷积神经网络笔记</a></div></body></html>')


def body_of(page: str) -> str:
    return page[page.index('class="entry-body"'):page.index("</article>")]


def test_wiznote_notes_are_their_notes_with_titles_dates_pictures_and_links(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {
        "为知/卷积神经网络笔记.ziw": ziw(RICH, {"index_files/a.png": picture("red")}),
        "为知/卷积神经网络笔记_Attachments/slides.pdf": b"%PDF-1.4\n%\n",
        "为知/反向传播推导.md.ziw": ziw(MARKDOWN, {"index_files/b.png": picture("blue")}, utf16=True),
        "wiz/notes/{d0c1a5e2-4b1f-4c3e-9a7b-1234567890ab}": ziw("<html><head><title>注意力机制</title></head><body><p>缩放点积。</p></body></html>"),
    })
    assert result.returncode == 0, result.stderr
    assert "packed" not in result.stderr and "binar" not in result.stderr
    rich = (site / "notes" / "卷积神经网络笔记.html").read_text(encoding="utf-8")
    assert "<h1>卷积神经网络笔记</h1>" in rich and 'datetime="2021-03-04T05:06"' in rich
    body = body_of(rich)
    assert re.search(r'<img src="data:image/png;base64,[^"]+"', body), "its picture shown from inside the note"
    assert '<a href="%E5%8F%8D%E5%90%91%E4%BC%A0%E6%92%AD%E6%8E%A8%E5%AF%BC.html">反向传播推导</a>' in body
    copied = re.search(r'<a href="\.\./(files/[^"]+/slides\.pdf)">slides\.pdf</a>', body)
    assert copied and (site / copied[1]).is_file(), "the attachment the app keeps beside the note is published"
    markdown = (site / "notes" / "反向传播推导.html").read_text(encoding="utf-8")
    assert "<h1>反向传播推导</h1>" in markdown and 'datetime="2021-03-04T05:06"' in markdown
    body = body_of(markdown)
    assert '<h2 id="链式法则">链式法则</h2>' in body and "<math" in body and "\\frac{\\partial L}{\\partial w}</annotation>" in body
    assert '<code class="language-python">' in body and "\n    <span" in body, "its code block highlighted, indented as written"
    assert re.search(r'<img src="data:image/png;base64,[^"]+"', body) and "index_files" not in body
    assert '<a href="%E5%8D%B7%E7%A7%AF%E7%A5%9E%E7%BB%8F%E7%BD%91%E7%BB%9C%E7%AC%94%E8%AE%B0.html">卷积神经网络笔记</a>' in body
    assert "[[" not in body and "```" not in body
    mac = (site / "notes" / "d0c1a5e2-4b1f-4c3e-9a7b-1234567890ab.html").read_text(encoding="utf-8")
    assert "<h1>注意力机制</h1>" in mac and "缩放点积。" in body_of(mac)


def test_an_encrypted_damaged_or_incomplete_wiznote_note_is_said_and_the_others_build(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {
        "为知/加密.ziw": b"ZIWR" + bytes(range(64)),
        "为知/坏的.ziw": ziw(RICH)[:200],
        "为知/缺图.ziw": ziw("<html><head><title>缺图</title></head><body><p>图：<img src='index_files/x.png'></p></body></html>"),
        "为知/好的.ziw": ziw("<html><head><title>好的</title></head><body><p>正文。</p></body></html>"),
    })
    assert result.returncode == 1, result.stderr
    assert re.search(r"为知/加密\.ziw: warning: 为知笔记 note encrypted: remove its password", result.stderr)
    assert re.search(r"为知/坏的\.ziw: error: 为知笔记 note that cannot be opened", result.stderr)
    assert re.search(r"为知/缺图\.ziw: warning: 为知笔记 picture not in its note: 1 picture", result.stderr)
    assert "正文。" in (site / "notes" / "好的.html").read_text(encoding="utf-8")
    assert "图：" in (site / "notes" / "缺图.html").read_text(encoding="utf-8")
