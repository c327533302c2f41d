"""Notes a writing app exported as a whole web page are read as notes, not skipped as page snapshots.

The fixtures follow each app's documented page: Typora's ``body.typora-export``
around ``div#write``, Notion's ``article.page`` with its ``h1.page-title`` and
``div.page-body`` (formulas as KaTeX, the TeX in a MathML annotation), and
pandoc's ``--standalone`` page (``meta name="generator"``, a title block,
formulas as ``span.math`` with their ``\\(…\\)`` delimiters).
"""
from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image

from tests.conftest import site_built_as_a_user

TYPORA = """<!doctype html>
<html>
<head>
<meta charset='UTF-8'><meta name='viewport' content='width=device-width initial-scale=1'>
<title>反向传播笔记</title>
<style type='text/css'>html {overflow-x: initial !important;} #write { max-width: 860px; }</style>
</head>
<body class='typora-export os-windows'><div class='typora-export-content'>
<div id='write'  class=''><h1 id='反向传播笔记'><span>反向传播笔记</span></h1><p><span>链式法则：损失对每个权重的梯度。</span></p>
<p><img src="assets/graph.png" alt="计算图" referrerpolicy="no-referrer"></p></div></div>
<script>console.log('typora-export-script')</script>
</body>
</html>"""

NOTION = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"/><title>注意力机制</title><style>
html { -webkit-print-color-adjust: exact; }
</style></head><body><article id="0b8e" class="page sans"><header><h1 class="page-title">注意力机制</h1><p class="page-description"></p></header>
<div class="page-body"><p id="1" class="">缩放点积注意力的定义：</p><figure id="2" class="equation">
<style>@import url('https://cdnjs.cloudflare.com/ajax/libs/KaTeX/0.16.9/katex.min.css')</style><div class="equation-container">
<span class="katex-display"><span class="katex"><span class="katex-mathml"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">
<semantics><mrow><mi>A</mi></mrow><annotation encoding="application/x-tex">\\mathrm{softmax}(QK^T/\\sqrt{d})V</annotation></semantics></math></span>
<span class="katex-html" aria-hidden="true"><span class="base">KATEX-HTML-SHOWN</span></span></span></span></div></figure>
<p id="3" class="">其中 <span class="notion-text-equation-token" contenteditable="false" data-token-index="0"><span class="katex"><span class="katex-mathml">
<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mi>d</mi></mrow><annotation encoding="application/x-tex">d</annotation></semantics></math></span>
<span class="katex-html" aria-hidden="true">KATEX-HTML-SHOWN</span></span></span> 是键的维度。</p></div></article></body></html>"""

PANDOC = """<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="zh" xml:lang="zh">
<head>
  <meta charset="utf-8" />
  <meta name="generator" content="pandoc" />
  <title>梯度下降</title>
  <style>code{white-space: pre-wrap;}</style>
  <script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js" type="text/javascript"></script>
</head>
<body>
<header id="title-block-header">
<h1 class="title">梯度下降</h1>
<p class="date">2024-03-05</p>
</header>
<p>更新规则是 <span class="math inline">\\(\\theta \\leftarrow \\theta - \\eta \\nabla L\\)</span>。</p>
<p><span class="math display">\\[L = \\frac{1}{n}\\sum_i \\ell_i\\]</span></p>
</body>
</html>"""

OTHER_SITE = "<!DOCTYPE html><html><head><title>别的网站</title></head><body><nav>首页</nav><p>一篇别处的文章</p></body></html>"

FILES = {
    "笔记/反向传播笔记.html": TYPORA,
    "笔记/assets/graph.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde",
    "notion/注意力机制 0b8e.html": NOTION,
    "pandoc/gd.html": PANDOC,
    "saved/other.html": OTHER_SITE,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return site_built_as_a_user(tmp_path_factory.mktemp("note-pages"), FILES)


def note(site, title: str) -> str:
    """The note page whose <h1> is *title*."""
    for page in (site / "notes").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        if re.search(rf"<h1[^>]*>\s*{re.escape(title)}\s*</h1>", text):
            return text
    raise AssertionError(f"no note titled {title}: {sorted(p.name for p in (site / 'notes').glob('*.html'))}")


def test_each_apps_page_is_a_note_and_another_sites_page_is_still_skipped(built):
    site, result = built
    assert result.returncode == 0, result.stderr
    assert "skipped 1 page snapshots" in result.stderr
    assert "3 notes" in result.stderr.splitlines()[-1]
    listing = (site / "notes" / "index.html").read_text(encoding="utf-8")
    assert all(title in listing for title in ("反向传播笔记", "注意力机制", "梯度下降")) and "别的网站" not in listing


def test_a_note_shows_its_text_once_under_its_title_without_the_apps_styles_and_scripts(built):
    site, _ = built
    for title, text in (("反向传播笔记", "链式法则"), ("注意力机制", "缩放点积注意力"), ("梯度下降", "更新规则是")):
        page = note(site, title)
        assert text in page
        assert len(re.findall(rf">\s*{title}\s*</h1>", page)) == 1, "the app's own title is not shown again in the text"
        for leaked in ("overflow-x", "console.log", "@import", "print-color-adjust", "white-space: pre-wrap", "mathjax@3"):
            assert leaked not in page


def test_formulas_from_katex_and_pandoc_are_typeset_with_their_tex(built):
    site, _ = built
    notion, pandoc = note(site, "注意力机制"), note(site, "梯度下降")
    assert notion.count("<math") == 2 and "KATEX-HTML-SHOWN" not in notion
    assert "\\mathrm{softmax}(QK^T/\\sqrt{d})V</annotation>" in notion
    assert pandoc.count("<math") == 2 and "\\(" not in pandoc and "\\[" not in pandoc
    assert "\\theta \\leftarrow \\theta - \\eta \\nabla L</annotation>" in pandoc
    assert re.search(r'<math[^>]*display="block"', pandoc) and re.search(r'<math[^>]*display="block"', notion)


def test_pandocs_date_and_typoras_picture_beside_the_note(built):
    site, _ = built
    assert "2024-03-05" in note(site, "梯度下降")
    typora = note(site, "反向传播笔记")
    shown = re.search(r'<img[^>]*src="([^"]+)"[^>]*alt="计算图"|<img[^>]*alt="计算图"[^>]*src="([^"]+)"', typora)
    assert shown, "the picture is shown"
    src = shown.group(1) or shown.group(2)
    assert not src.startswith(("http", "/")) and (site / "notes" / src).resolve().is_file()


def test_an_apps_page_without_its_text_is_an_error_naming_it_and_the_rest_builds(tmp_path):
    moved = TYPORA.replace("id='write'", "id='content'")
    site, result = site_built_as_a_user(tmp_path, {"a.html": moved, "pandoc/gd.html": PANDOC})
    assert result.returncode == 1
    assert "a.html: error: HTML that cannot be parsed: a page of Typora without its text" in result.stderr
    assert "梯度下降" in note(site, "梯度下降")


def test_a_typora_note_not_opening_with_a_heading_is_titled_by_its_page_and_keeps_its_headings(tmp_path):
    sections = TYPORA.replace("<h1 id='反向传播笔记'><span>反向传播笔记</span></h1><p>", "<p>开头一段。</p><h1>第一章</h1><p>")
    site, result = site_built_as_a_user(tmp_path, {"笔记/反向传播笔记.html": sections})
    assert result.returncode == 0, result.stderr
    page = note(site, "反向传播笔记")
    assert "开头一段。" in page and re.search(r"<h[1-6][^>]*>第一章</h[1-6]>", page)


JOPLIN = """<!DOCTYPE html>
<html>
	<head>
		<meta charset="UTF-8"/>
		<title>卷积神经网络笔记</title>
		<style>.exported-note-title { font-size: 2em; } .katex-html { display: none; }</style>
	</head>
	<body>
		<div class="exported-note"><div class="exported-note-title">卷积神经网络笔记</div>
<div id="rendered-md"><h2 id="卷积">卷积</h2>
<p>损失 <span class="katex"><span class="katex-mathml"><math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mi>L</mi></mrow>
<annotation encoding="application/x-tex">L = x^2</annotation></semantics></math></span><span class="katex-html" aria-hidden="true">KATEX-HTML-SHOWN</span></span>，见图：</p>
<p><img src="../_resources/conv.png"/></p>
</div></div>
	</body>
</html>"""


def test_a_joplin_html_export_is_its_notes_with_their_pictures(tmp_path):
    """Joplin's Export → HTML Directory: a page per note under its notebook's folder, pictures in _resources/."""
    files = {"Joplin/机器学习/卷积神经网络笔记.html": JOPLIN, "Joplin/_resources/conv.png": FILES["笔记/assets/graph.png"]}
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0 and "snapshots" not in result.stderr, result.stderr
    page = note(site, "卷积神经网络笔记")
    body = page.split('class="entry-body"', 1)[1]
    assert "卷积神经网络笔记" not in body and "<h2" in body, "the title once, above the text"
    assert '<annotation encoding="application/x-tex">L = x^2</annotation>' in body and "KATEX-HTML-SHOWN" not in body
    assert re.search(r'<img src="\.\./images/[0-9a-f]+\.png"', body)


EVERNOTE_MAC = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/><meta name="exporter-version" content="Evernote Mac 9.3.3 (459822)"/>\
<meta name="author" content="me@example.com"/><meta name="created" content="2020-04-20 15:08:40 +0000"/><meta name="source" content="desktop.mac"/>\
<meta name="updated" content="2020-04-20 15:22:05 +0000"/><meta name="keywords" content="机器学习, 优化"/>\
<meta name="content-class" content="yinxiang.markdown"/><meta name="source-url" content="https://www.deeplearningbook.org/contents/optimization.html"/>\
<title>梯度下降</title></head><body><div style="font-size: 14px;">\
<h3 style="font-weight: 700;">更新规则</h3>
<p style="margin: 10px 0;">沿负梯度方向更新。<br/>
<img src="%E6%A2%AF%E5%BA%A6%E4%B8%8B%E9%99%8D.resources/A22C7BD8.png" height="962" width="1164"/></p>
</div><center style="display:none !important;visibility:collapse !important;height:0 !important">## 更新规则 MARKDOWN-SOURCE</center></body></html>"""

EVERNOTE_WINDOWS = """<html>
<head>
  <title>反向传播</title>
  <basefont face="微软雅黑" size="2" />
  <meta http-equiv="Content-Type" content="text/html;charset=utf-8" />
  <meta name="exporter-version" content="YXBJ Windows/607246 (zh-CN, DDL); Windows/10.0.0 (Win64); EDAMVersion=V2;"/>
  <style>body, td { font-family: 微软雅黑; font-size: 10pt; }</style>
</head>
<body>
<a name="1909"/>
<h1>反向传播</h1>
<div>
<table bgcolor="#D4DDE5" border="0">
<tr><td><b>创建时间：</b></td><td><i>2021/3/5 10:20</i></td></tr>
<tr><td><b>Created:</b></td><td><i>2021/3/5 10:20</i></td></tr>
<tr><td><b>Tags:</b></td><td><i>深度学习</i></td></tr>
<tr><td><b>Source:</b></td><td><a href="https://zhuanlan.zhihu.com/p/25081671"><i>https://zhuanlan.zhihu.com/p/25081671</i></a></td></tr>
</table>
</div>
<br/>
<div><span><div>反向传播就是链式法则。</div></span></div>
</body>
</html>"""


def test_evernote_html_exports_are_notes_and_a_clip_of_a_zhihu_post_that_post(tmp_path):
    """Evernote's and 印象笔记's "Export as HTML" (Mac: dates and tags in <meta>, pictures in <title>.resources/; Windows:
    the title as <h1> and a table of Created/Tags/Source rows): each was a skipped page snapshot."""
    files = {"印象笔记/梯度下降.html": EVERNOTE_MAC, "印象笔记/梯度下降.resources/A22C7BD8.png": FILES["笔记/assets/graph.png"],
             "印象笔记/反向传播.html": EVERNOTE_WINDOWS}
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0 and "snapshots" not in result.stderr, result.stderr
    assert "1 articles" in result.stderr.splitlines()[-1] and "1 notes" in result.stderr.splitlines()[-1]
    page = note(site, "梯度下降")
    body = page.split('class="entry-body"', 1)[1]
    assert '<time datetime="2020-04-20T15:08">' in page and ">机器学习</a>" in page and ">优化</a>" in page
    assert "沿负梯度方向更新" in body and re.search(r'<img src="\.\./images/[0-9a-f]+\.png"', body)
    assert "MARKDOWN-SOURCE" not in page, "the hidden Markdown source is not shown"
    assert '来源：<a class="source-link" href="https://www.deeplearningbook.org/contents/optimization.html">' in page
    clip = (site / "p" / "25081671.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>\s*反向传播\s*</h1>", clip) and "链式法则" in clip and ">深度学习</a>" in clip
    assert "bgcolor" not in clip and "Created" not in clip.split('class="entry-body"', 1)[1]


def office_page(title: str, body: str, generator: str) -> str:
    """A page as OneNote and Word write "Web Page": their Generator meta, Office's namespaces and styles."""
    return (f'<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv=Content-Type content="text/html; '
            f'charset=utf-8"><meta name=Generator content="{generator}"><title>{title}</title><style>p.MsoNormal {{margin:0in}}'
            f'</style></head><body lang=ZH-CN>{body}</body></html>')


def single_file(page: str, location: str, pictures: dict[str, bytes]) -> str:
    """An MHTML file as OneNote and Word write "Single File Web Page" (.mht): the page, then each picture, in base64."""
    def part(address: str, kind: str, data: bytes) -> str:
        return (f"------=_NextPart_01DA\r\nContent-Location: {address}\r\nContent-Transfer-Encoding: base64\r\nContent-Type: {kind}"
                f"\r\n\r\n{base64.encodebytes(data).decode().replace(chr(10), chr(13) + chr(10))}\r\n")
    parts = [part(location, 'text/html; charset="utf-8"', page.encode("utf-8"))]
    parts += [part(address, "image/png", data) for address, data in pictures.items()]
    return ('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01DA"\r\n\r\n'
            + "".join(parts) + "------=_NextPart_01DA--\r\n")


def test_onenote_and_word_pages_are_notes_with_their_pictures(tmp_path):
    onenote = office_page("反向传播", '<div><p style="margin:0in">链式法则求梯度。</p><p><img width=40 src="反向传播_files/image001.png"></p></div>',
                          "Microsoft OneNote 15")
    word = office_page("支持向量机", '<div class=WordSection1><p class=MsoNormal>最大化间隔。</p><p class=MsoNormal><img src="svm.files/image001.png"></p></div>',
                       "Microsoft Word 15 (filtered)")
    site, result = site_built_as_a_user(tmp_path, {
        "OneNote/反向传播.mht": single_file(onenote, "file:///C:/D0C/反向传播.htm", {"file:///C:/D0C/反向传播_files/image001.png": png_picture()}),
        "Word/svm.htm": word, "Word/svm.files/image001.png": png_picture(),
        "Word/svm.files/header.htm": office_page("", '<link id=Main-File rel=Main-File href="../svm.htm"><div>页眉</div>',
                                                 "Microsoft Word 15").replace("<head>", '<head><link id=Main-File rel=Main-File href="../svm.htm">'),
    })
    assert "1 parts of Office web pages" in result.stderr and not (site / "notes" / "header.html").exists()
    assert result.returncode == 0, result.stderr
    assert "MHTML pages" not in result.stderr and "page snapshots" not in result.stderr
    page = (site / "notes" / "反向传播.html").read_text(encoding="utf-8")
    assert "<h1>反向传播</h1>" in page and "链式法则求梯度。" in page
    assert re.search(r'<img [^>]*src="data:image/png;base64,[^"]+"', page), "its picture shown from inside the .mht"
    word_page = (site / "notes" / "svm.html").read_text(encoding="utf-8")
    assert "<h1>支持向量机</h1>" in word_page and "最大化间隔。" in word_page and "MsoNormal {" not in word_page
    assert re.search(r'<img [^>]*src="\.\./images/[0-9a-f]+\.png"', word_page), "its picture copied from beside it"


def png_picture() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(data, "PNG")
    return data.getvalue()
