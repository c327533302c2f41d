"""Notes in LaTeX, Org, reStructuredText and Word are read by pandoc (the real one, from the pypandoc-binary wheel).

The fixtures are small documents written here; the Word file is made by
pandoc from Markdown, with a picture and a formula inside it, as Word holds them.
"""
from __future__ import annotations

import io
import re
import subprocess

import pypandoc
import pytest
from PIL import Image

from tests.conftest import build_as_a_user, site_built_as_a_user


def png(width: int = 24, height: int = 16) -> bytes:
    picture = Image.new("RGB", (width, height))
    picture.putdata([((x * 9) % 256, 60, (x * 3) % 256) for x in range(width * height)])
    written = io.BytesIO()
    picture.save(written, "PNG")
    return written.getvalue()


LATEX = r"""\documentclass{article}
\usepackage{amsmath}
\newcommand{\R}{\mathbb{R}}
\title{支持向量机笔记}
\date{2024-03-01}
\begin{document}
\maketitle
\section{间隔}
最大化间隔 $\frac{2}{\|w\|}$，其中 $w \in \R^n$ \cite{vapnik1995}。
\begin{equation}\label{eq:svm}
\min_w \frac{1}{2}\|w\|^2
\end{equation}
\subsection{核函数}
\begin{itemize}
\item 线性核
\item 高斯核
\end{itemize}
\mysterious{一段没人认识的命令}
\includegraphics{figures/margin.png}
\end{document}
"""
ORG = "#+TITLE: 决策树\n#+DATE: 2024-04-02\n\n* 信息增益\n熵 \\(H = -\\sum_i p_i \\log p_i\\)。\n"
RST = "梯度提升\n========\n\n残差拟合。\n\n.. math::\n\n   F_m = F_{m-1} + h_m\n"


def word_document(tmp_path) -> bytes:
    """A .docx as Word keeps a note: made by pandoc from Markdown, its picture inside and its formula as Word's math."""
    (tmp_path / "曲线.png").write_bytes(png())
    (tmp_path / "note.md").write_text("---\ntitle: 注意力笔记\n---\n\n缩放点积：$\\frac{QK^T}{\\sqrt{d}}$。\n\n![损失曲线](曲线.png)\n", encoding="utf-8")
    subprocess.run([pypandoc.get_pandoc_path(), "note.md", "-o", "note.docx"], cwd=tmp_path, check=True)
    return (tmp_path / "note.docx").read_bytes()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    docx = word_document(tmp_path_factory.mktemp("word"))
    files = {"课程/svm.tex": LATEX, "课程/figures/margin.png": png(), "课程/refs.bib": "@book{v, title={统计学习}}\n",
             "课程/svm.aux": "\\relax\n", "org/tree.org": ORG, "rst/gbdt.rst": RST, "word/注意力.docx": docx}
    site, result = site_built_as_a_user(tmp_path_factory.mktemp("documents"), files)
    return site, result


def body(site, name: str) -> str:
    page = (site / "notes" / name).read_text(encoding="utf-8")
    return page[page.index("<h1"):page.index("</article>")]


def test_each_document_is_a_note_and_latexs_side_files_are_counted(built):
    site, result = built
    assert result.returncode == 0, result.stderr
    assert "skipped 2 LaTeX support files" in result.stderr
    assert "4 notes" in result.stderr.splitlines()[-1]
    listing = (site / "notes" / "index.html").read_text(encoding="utf-8")
    assert all(title in listing for title in ("支持向量机笔记", "决策树", "梯度提升", "注意力笔记"))


def test_a_latex_note_has_its_title_date_headings_lists_formulas_and_picture(built):
    site, _ = built
    page = body(site, "svm.html")
    assert re.search(r"<h1>\s*支持向量机笔记\s*</h1>", page) and 'datetime="2024-03-01"' in page
    assert re.search(r"<h2[^>]*>间隔</h2>", page) and re.search(r"<h3[^>]*>核函数</h3>", page)
    assert "<li><p>线性核</p></li>" in page or re.search(r"<li>\s*(<p>)?线性核", page)
    assert page.count("<math") == 3 and "math-fallback" not in page and "\\documentclass" not in page
    assert "\\mathbb{R}^n</annotation>" in page, "the note's own macro, expanded"
    assert '<span class="citation">[vapnik1995]</span>' in page, "a citation shows its key, not nothing"
    picture = re.search(r'<img[^>]*src="(\.\./images/[0-9a-f]+\.png)"', page)
    assert picture and (site / "notes" / picture.group(1)).resolve().is_file()


def test_what_pandoc_left_out_is_a_warning_naming_the_line(built):
    _, result = built
    assert "content/课程/svm.tex:18:23: warning: markup pandoc left out: \\mysterious{一段没人认识的命令}" in result.stderr.splitlines()
    assert "\\maketitle" not in result.stderr, "a command that lays out a printed page is no loss"


def test_orgs_dollar_math_before_chinese_punctuation_is_not_taken_for_math_by_pandoc_and_said(tmp_path):
    # Org wants a space or ASCII punctuation after the closing $: pandoc reads $x^2$。 as text and skips its \\sum.
    _, result = site_built_as_a_user(tmp_path, {"tree.org": "* 熵\n熵 $H = -\\sum_i p_i$。\n"})
    assert result.returncode == 0 and "content/tree.org: warning: markup pandoc left out: \\sum" in result.stderr.splitlines()


def test_org_and_restructuredtext_notes(built):
    site, _ = built
    org, rst = body(site, "tree.html"), body(site, "gbdt.html")
    assert re.search(r"<h1>\s*决策树\s*</h1>", org) and 'datetime="2024-04-02"' in org and "#+TITLE" not in org
    assert "\\sum_i p_i \\log p_i</annotation>" in org
    assert re.search(r"<h1>\s*梯度提升\s*</h1>", rst) and "========" not in rst
    assert 'display="block"' in rst and "F_m = F_{m-1} + h_m</annotation>" in rst


def test_a_word_note_shows_its_picture_and_formula_from_inside_the_file(built):
    site, _ = built
    page = body(site, "注意力.html")
    assert re.search(r"<h1>\s*注意力笔记\s*</h1>", page)
    assert page.count("<math") == 1 and "\\sqrt{d}" in page
    assert re.search(r'<img[^>]*src="data:image/png;base64,iVBORw0KGgo', page), "the picture Word holds, in the page"


def test_a_document_pandoc_cannot_read_is_an_error_naming_it_and_the_rest_builds(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"word/broken.docx": b"PK\x03\x04 not really a zip", "org/tree.org": ORG})
    assert result.returncode == 1
    assert "content/word/broken.docx: error: document pandoc could not read: couldn't unpack docx container" in result.stderr
    assert "[INFO]" not in result.stderr, "pandoc's error, not the first thing it said"
    assert (site / "notes" / "tree.html").is_file()


def test_a_document_includes_nothing_from_the_disk_it_is_built_on(tmp_path):
    secret = tmp_path / "secret.tex"
    secret.write_text("SECRET-WORDS\n", encoding="utf-8")
    site, result = site_built_as_a_user(tmp_path / "project", {"evil.tex": f"\\section{{笔记}}\nA \\input{{{secret.with_suffix('')}}} B\n"})
    page = (site / "notes" / "evil.html").read_text(encoding="utf-8")
    assert "SECRET-WORDS" not in page and "A" in page
    assert "warning: pandoc warning: Could not load include file" in result.stderr, "and it is said"


def test_a_gbk_latex_note_is_read_as_its_text(tmp_path):
    # LaTeX notes of the CTeX years were saved in GBK; pandoc reads UTF-8 alone.
    site, result = site_built_as_a_user(tmp_path, {"旧笔记.tex": "\\section{感知机}\n学习率 $\\eta$ 决定步长。\n".encode("gbk")})
    assert result.returncode == 0, result.stderr
    page = (site / "notes" / "旧笔记.html").read_text(encoding="utf-8")
    assert "学习率" in page and "决定步长" in page and "\\eta</annotation>" in page


def gbk_rtf(text: str) -> str:
    """*text* as WordPad on Chinese Windows writes it: each character its GBK bytes, ``\\'hh``."""
    return "".join(f"\\'{byte:02x}" for byte in text.encode("gbk"))


# WordPad's RTF (code page 936, GBK bytes), a bold first line, then a run of \u escapes whose GBK fallbacks (\uc2) a
# reader must skip, as Word writes them.
RTF = ("{\\rtf1\\ansi\\ansicpg936\\deff0\\nouicompat\\deflang1033\\deflangfe2052{\\fonttbl{\\f0\\fnil\\fcharset134 " + gbk_rtf("宋体")
       + ";}}\n\\viewkind4\\uc1 \\pard\\b\\f0\\fs22\\lang2052 " + gbk_rtf("池化层") + "\\b0\\par\n" + gbk_rtf("最大池化取窗口最大值。")
       + " Max pooling.\\par\n\\uc2\\u21367\\'be\\'ed\\u31215\\'bb\\'fd\\par\n}\n")
# An outline as 幕布 (Mubu) and Workflowy export it.
OPML = ('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>机器学习大纲</title></head><body>'
        '<outline text="监督学习"><outline text="线性回归" _note="最小二乘"/><outline text="逻辑回归"/></outline>'
        '<outline text="无监督学习"><outline text="聚类"/></outline></body></opml>\n')


def test_an_rtf_note_in_gbk_and_an_opml_outline_are_notes_of_their_text(tmp_path):
    feeds = '<?xml version="1.0"?><opml version="1.0"><body><outline text="博客" type="rss" xmlUrl="https://example.com/feed"/></body></opml>'
    site, result = site_built_as_a_user(tmp_path, {"写字板/池化.rtf": RTF, "幕布/大纲.opml": OPML, "feedly.opml": feeds})
    assert result.returncode == 0, result.stderr
    assert "1 feed subscription lists" in result.stderr and not (site / "notes" / "feedly.html").exists()
    assert "garbled" not in result.stderr and "JSON" not in result.stderr and "XML files" not in result.stderr
    rtf = body(site, "池化.html")
    assert "<h1>池化层</h1>" in rtf and "最大池化取窗口最大值。" in rtf and "Max pooling." in rtf
    assert re.search(r"<p>卷积</p>", rtf), "the \\u characters once each, their fallback bytes skipped"
    outline = body(site, "大纲.html")
    assert "<h1>机器学习大纲</h1>" in outline
    assert re.search(r"<h2[^>]*>监督学习</h2>.*<h3[^>]*>线性回归</h3>.*最小二乘.*<h2[^>]*>无监督学习</h2>", outline, re.S)


def test_a_document_of_a_format_no_reader_takes_is_said_with_how_to_make_one_it_does(tmp_path):
    files = {"旧/笔记.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "OneNote/机器学习.one": b"\xe4\x52\x5c\x7b" + bytes(64),
             "印象笔记/深度学习.notes": bytes(range(256)), "好.md": "# 好\n\n正文。\n", "会议.notes": "周会\n\n讨论了损失函数。\n",
             "网页版.doc": '<html><head><meta name=Generator content="Microsoft Word 15"><title>另存的网页</title></head>'
                          "<body><p>Word 存成 .doc 的网页。</p></body></html>"}
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0, result.stderr
    assert "document in a format zhsite does not read (3×)" in result.stderr and "binary" not in result.stderr
    said = build_as_a_user(tmp_path, "--verbose").stderr
    assert "旧/笔记.doc: warning: document in a format zhsite does not read: a Word 97–2003 document: save it as .docx" in said
    assert "机器学习.one: warning: document in a format zhsite does not read: a OneNote section: export it" in said
    assert "深度学习.notes: warning: document in a format zhsite does not read: an export in 印象笔记's own encrypted format" in said
    assert (site / "notes" / "好.html").is_file()
    assert "讨论了损失函数" in (site / "notes" / "会议.html").read_text(encoding="utf-8"), "a .notes of text is a note of its text"
    assert "Word 存成 .doc 的网页" in (site / "notes" / "网页版.html").read_text(encoding="utf-8"), "a .doc of HTML is an HTML note"
