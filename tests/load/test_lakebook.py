"""语雀 (Yuque) books exported whole (``.lakebook``), each document the note it is.

The fixture follows what 语雀 writes, as the public lakebook converters read it
(a tar of ``<book>/$meta.json``, whose
``meta`` is JSON in a string with the contents as YAML in ``book.tocYml``,
and ``<book>/<url>.json`` a document, ``{"doc": {"title", "body", "format",
"created_at"}}``); its bodies are Lake (``<!doctype lake>``, ``<card
name="image" value="data:%7B…%7D">``).  Before, a book was one skipped TAR file.
"""
from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from tests.conftest import site_built_as_a_user, tar_of


def card(name: str, value: dict, kind: str = "inline", closed: bool = False) -> str:
    written = "data:" + quote(json.dumps(value, ensure_ascii=False), safe="")
    return f'<card type="{kind}" name="{name}" value="{written}"' + (" />" if closed else "></card>")


PICTURE = "https://cdn.nlark.com/yuque/0/2021/png/1/conv.png"
CONV = ('<!doctype lake><meta name="doc-version" content="1" /><meta name="typography" content="classic" />'
        '<h2 data-lake-id="u1" id="u1"><span data-lake-id="u2">卷积</span></h2>'
        '<p data-lake-id="u3">损失 ' + card("math", {"code": "L = x^2"}) + ' 最小。</p>'
        '<p data-lake-id="u4">' + card("math", {"code": "\\frac{a}{b}"}) + '</p>'
        '<p data-lake-id="u5">' + card("image", {"src": PICTURE, "name": "conv.png", "width": 400}, closed=True) + '</p>'
        + card("codeblock", {"mode": "python", "code": "import torch\nx = torch.ones(3)"}, "block")
        + card("hr", {}, "block")
        + '<p>见 <a href="https://www.yuque.com/me/ml/pooling">池化</a>，附件 '
        + card("file", {"src": "https://www.yuque.com/attachments/yuque/0/2021/pdf/1/paper.pdf", "name": "paper.pdf"}) + '。</p>'
        + card("diagram", {"type": "mermaid", "code": "graph TD\nA --> B"}, "block")
        + card("vote", {}, "block"))
POOL = "<!doctype lake><p>最大池化取窗口最大值。</p>"
TOC = [{"type": "META", "count": 3}, {"type": "TITLE", "title": "第一章", "level": 0},
       {"type": "DOC", "title": "卷积", "url": "conv", "level": 1}, {"type": "DOC", "title": "池化", "url": "pooling", "level": 1},
       {"type": "DOC", "title": "笔记", "url": "notes", "level": 0}, {"type": "DOC", "title": "成绩表", "url": "sheet", "level": 0}]
DOCS = {
    "conv": {"title": "卷积", "format": "lake", "body": CONV, "created_at": "2021-03-25T08:58:33.000Z"},
    "pooling": {"title": "池化", "format": "lake", "body": POOL, "created_at": "2021-03-26T08:00:00.000Z"},
    "notes": {"title": "笔记", "format": "markdown", "body": "## 小结\n\n公式 $y=wx$。", "created_at": "2021-04-01T00:00:00.000Z"},
    "sheet": {"title": "成绩表", "format": "lakesheet", "body": '{"format":"lakesheet","sheet":"x"}'},
}


def lakebook(toc: list[dict] | str, docs: dict[str, dict]) -> bytes:
    """A book of *docs* whose contents are *toc* (as YAML: JSON is YAML), or the YAML given."""
    written = toc if isinstance(toc, str) else json.dumps(toc, ensure_ascii=False)
    meta = {"meta": json.dumps({"book": {"name": "机器学习", "path": "ml", "tocYml": written}, "docs": []})}
    files = {"机器学习/$meta.json": meta, **{f"机器学习/{url}.json": {"doc": doc} for url, doc in docs.items()}}
    return tar_of({name: json.dumps(value, ensure_ascii=False) for name, value in files.items()}, "gz")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return site_built_as_a_user(tmp_path_factory.mktemp("yuque"), {"机器学习.lakebook": lakebook(TOC, DOCS)})


def test_each_document_is_a_note_and_what_cannot_be_shown_is_said(book):
    site, result = book
    assert result.returncode == 0, result.stderr
    assert {p.name for p in (site / "notes").glob("*.html")} == {"index.html", "卷积.html", "池化.html", "笔记.html"}
    assert "机器学习.lakebook:document sheet: warning: 语雀 document only 语雀 can show: 成绩表 (lakesheet)" in result.stderr
    assert "机器学习.lakebook:document conv: warning: 语雀 card not shown: a vote card" in result.stderr
    assert "TAR" not in result.stderr


def test_cards_are_what_they_stand_for(book):
    site, _ = book
    shown = (site / "notes" / "卷积.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>\s*卷积\s*</h1>", shown) and '<time datetime="2021-03-25T08:58">' in shown
    assert re.findall(r'class="topic"[^>]*>([^<]+)</a>', shown) == ["机器学习"], "the book's name, its topic"
    main = shown.split("<main", 1)[1]
    assert '<annotation encoding="application/x-tex">L = x^2</annotation>' in main, "an inline formula typeset"
    assert re.search(r'<math[^>]*display="block"', main), "a formula alone in its paragraph shown apart"
    assert PICTURE in main or re.search(r'<img src="\.\./images/', main), "the picture"
    assert 'class="highlight' in main and "torch" in main, "code in its language"
    assert "<hr>" in main and ">paper.pdf</a>" in main and "A --&gt; B" in main
    assert '<a href="%E6%B1%A0%E5%8C%96.html">池化</a>' in main, "a link to a document of the book leads to its note"
    assert "card" not in main and "data:%7B" not in main
    assert not re.search(r"<h2[^>]*>(<span>)?卷积", main), "the heading repeating the title is the title"
    assert "最 小" not in main and "损失" in main and "<span>[vote]</span>" in main


def test_a_markdown_document_is_read_as_markdown(book):
    site, _ = book
    shown = (site / "notes" / "笔记.html").read_text(encoding="utf-8")
    assert "<h2" in shown and "小结" in shown and '<annotation encoding="application/x-tex">y=wx</annotation>' in shown
    assert ">机器学习</a>" in shown


def test_a_document_the_contents_list_and_the_file_lacks_is_an_error(tmp_path):
    toc = [*TOC, {"type": "DOC", "title": "丢失的", "url": "lost", "level": 0}]
    site, result = site_built_as_a_user(tmp_path, {"机器学习.lakebook": lakebook(toc, DOCS)})
    assert result.returncode != 0 and "机器学习.lakebook:document lost: error: 语雀 document not read: 丢失的" in result.stderr
    assert (site / "notes" / "卷积.html").is_file(), "the rest still builds"


def test_a_damaged_book_is_an_error_naming_it(tmp_path):
    _, result = site_built_as_a_user(tmp_path, {"机器学习.lakebook": lakebook(TOC, DOCS)[:200], "a.md": "# 别的\n\n正文\n"})
    assert result.returncode != 0 and "机器学习.lakebook: error: 语雀 book (.lakebook) that cannot be opened" in result.stderr
    assert "Traceback" not in result.stderr


def test_contents_nested_past_any_book_are_an_error_naming_the_file_not_a_crash(tmp_path):
    """YAML nested 100,000 deep in the book's contents: PyYAML's own loader recursed until Python gave up (a reader
    'bug'); the bounded loader front matter uses refuses it as it reads."""
    _, result = site_built_as_a_user(tmp_path, {"机器学习.lakebook": lakebook("[" * 100_000, DOCS), "a.md": "# 别的\n\n正文\n"})
    assert result.returncode != 0 and "Traceback" not in result.stderr and "a bug in zhsite" not in result.stderr
    assert "机器学习.lakebook: error: 语雀 book (.lakebook) that cannot be opened: nested deeper than 50 levels" in result.stderr
