"""A 思源笔记 (SiYuan) workspace's documents (``data/<notebook>/<id>.sy``) are notes, not crawl state skipped.

The fixture is written from the node types SiYuan's ``.sy`` files hold (its
editor Lute's tree: ``NodeDocument`` with ``Properties.title``, headings,
paragraphs of ``NodeText`` and ``NodeTextMark`` spans, lists with task markers,
quotes, super blocks, code blocks whose language is base64, formulas, tables,
pictures with their ``NodeLinkDest``, and a database block no page shows).
"""
from __future__ import annotations

import base64
import json
import re
from urllib.parse import unquote

from tests.conftest import site_built_as_a_user


def text(data: str) -> dict:
    return {"Type": "NodeText", "Data": data}


def block(kind: str, children: list, **fields) -> dict:
    return {"ID": f"20240105100001-{kind[4:11].lower():0<7}", "Type": kind, "Properties": {}, "Children": children, **fields}


PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu")
DOCUMENT = {"ID": "20240105100000-doc0001", "Spec": "1", "Type": "NodeDocument",
            "Properties": {"id": "20240105100000-doc0001", "title": "注意力机制", "updated": "20240106110000"}, "Children": [
    block("NodeHeading", [text("缩放点积")], HeadingLevel=2),
    block("NodeParagraph", [text("定义为 "), {"Type": "NodeTextMark", "TextMarkType": "inline-math", "TextMarkInlineMathContent": "QK^T"},
                            text("，"), {"Type": "NodeTextMark", "TextMarkType": "strong em", "TextMarkTextContent": "重点"},
                            text("，见"), {"Type": "NodeTextMark", "TextMarkType": "a", "TextMarkAHref": "https://arxiv.org/abs/1706.03762",
                                          "TextMarkTextContent": "论文"},
                            {"Type": "NodeTextMark", "TextMarkType": "tag", "TextMarkTextContent": "深度学习"},
                            {"Type": "NodeSoftBreak", "Data": "\n"}, text("Time: 10 分钟读完")]),
    block("NodeList", [block("NodeListItem", [{"Type": "NodeTaskListItemMarker", "TaskListItemChecked": True},
                                               block("NodeParagraph", [text("读完论文")])]),
                       block("NodeListItem", [{"Type": "NodeTaskListItemMarker"}, block("NodeParagraph", [text("复现")])])], ListData={"Typ": 3}),
    block("NodeBlockquote", [{"Type": "NodeBlockquoteMarker", "Data": ">"}, block("NodeParagraph", [text("引用")])]),
    block("NodeCodeBlock", [{"Type": "NodeCodeBlockFenceOpenMarker", "Data": "```"},
                            {"Type": "NodeCodeBlockFenceInfoMarker", "CodeBlockInfo": base64.b64encode(b"python").decode()},
                            {"Type": "NodeCodeBlockCode", "Data": "import torch\nDate: 2024  # a line of code\n"},
                            {"Type": "NodeCodeBlockFenceCloseMarker", "Data": "```"}]),
    block("NodeMathBlock", [{"Type": "NodeMathBlockOpenMarker"}, {"Type": "NodeMathBlockContent", "Data": "\\sqrt{d_k}"},
                            {"Type": "NodeMathBlockCloseMarker"}]),
    block("NodeTable", [block("NodeTableHead", [block("NodeTableRow", [block("NodeTableCell", [text("模型")])])]),
                        block("NodeTableRow", [block("NodeTableCell", [text("Transformer")])])]),
    block("NodeSuperBlock", [{"Type": "NodeSuperBlockOpenMarker"}, block("NodeParagraph", [
        {"Type": "NodeImage", "Data": "span", "Children": [{"Type": "NodeLinkText", "Data": "结构图"},
                                                           {"Type": "NodeLinkDest", "Data": "assets/arch-20240105.png"}]}])]),
    block("NodeAttributeView", [], AttributeViewID="20240105100009-db00001"),
]}


def test_a_siyuan_document_is_a_note_with_its_blocks(tmp_path):
    files = {"data/20240101000000-boxabcd/20240105100000-doc0001.sy": json.dumps(DOCUMENT, ensure_ascii=False),
             "data/assets/arch-20240105.png": PNG}
    site, result = site_built_as_a_user(tmp_path, files)
    assert "crawl state" not in result.stderr and "1 notes" in result.stderr.splitlines()[-1], result.stderr
    page = (site / "notes" / "注意力机制.html").read_text(encoding="utf-8")
    body = page[page.index('class="entry-body"'):page.index("</article>")]
    assert re.search(r"<h1>\s*注意力机制\s*</h1>", page) and '<time datetime="2024-01-05T10:00">' in page
    assert "QK^T</annotation>" in body and ("<strong><em>重点</em></strong>" in body or "<em><strong>重点</strong></em>" in body)
    assert '<a href="https://arxiv.org/abs/1706.03762">论文</a>#深度学习#' in body and "Time: 10 分钟读完" in body
    assert re.search(r'checked[^>]*> ?读完论文', body) and re.search(r'type="checkbox"[^>]*> ?复现', body)
    assert re.search(r"<blockquote>\s*<p>引用</p>", body)
    assert '<code class="language-python">' in body and "Date: 2024  # a line of code" in re.sub(r"<[^>]+>", "", body), \
        "a code line that looks like a label stays"
    assert re.search(r'<math display="block".*\\sqrt\{d_k\}</annotation>', body, re.S)
    assert re.search(r"<th>模型</th>.*<td>Transformer</td>", body, re.S)
    assert re.search(r'<img src="\.\./images/[0-9a-f]+\.png" alt="结构图"', body), "the picture from the workspace's assets/"
    assert "warning: SiYuan block shown by no page: NodeAttributeView" in result.stderr


def test_a_reference_to_another_document_links_to_its_note(tmp_path):
    other = {"ID": "20240106100000-doc0002", "Type": "NodeDocument", "Properties": {"title": "多头注意力"},
             "Children": [block("NodeParagraph", [text("并行的头")])]}
    linking = {"ID": "20240107100000-doc0003", "Type": "NodeDocument", "Properties": {"title": "索引"}, "Children": [block("NodeParagraph", [
        {"Type": "NodeTextMark", "TextMarkType": "block-ref", "TextMarkBlockRefID": "20240106100000-doc0002", "TextMarkTextContent": "多头"},
        text("，"), {"Type": "NodeTextMark", "TextMarkType": "a", "TextMarkAHref": "siyuan://blocks/20240106100000-doc0002",
                    "TextMarkTextContent": "同一篇"},
        text("，"), {"Type": "NodeTextMark", "TextMarkType": "block-ref", "TextMarkBlockRefID": "20240106100001-blk9999", "TextMarkTextContent": "某块"}])]}
    files = {"data/box/20240106100000-doc0002.sy": json.dumps(other, ensure_ascii=False),
             "data/box/20240107100000-doc0003.sy": json.dumps(linking, ensure_ascii=False)}
    site, result = site_built_as_a_user(tmp_path, files)
    page = (site / "notes" / "索引.html").read_text(encoding="utf-8")
    links = re.search(r'<a href="([^"]+)">多头</a>，<a href="([^"]+)">同一篇</a>，某块', page)
    assert links and {unquote(href) for href in links.groups()} == {"多头注意力.html"}, "both go to the note; a block's ref is its text"
    assert "[[20240106100001-blk9999]] names no article, answer or note" in result.stderr


def test_blocks_nested_past_the_limit_are_their_text_with_a_warning(tmp_path):
    node = block("NodeParagraph", [text("最深处的话")])
    for _ in range(200):
        node = block("NodeBlockquote", [node])
    document = {"ID": "20240105100000-deep001", "Type": "NodeDocument", "Properties": {"title": "深"}, "Children": [node]}
    site, result = site_built_as_a_user(tmp_path, {"data/box/deep.sy": json.dumps(document, ensure_ascii=False)})
    assert result.returncode == 0 and "internal error" not in result.stderr, result.stderr
    assert "warning: SiYuan blocks nested too deep, shown as their text" in result.stderr
    assert "最深处的话" in (site / "notes" / "深.html").read_text(encoding="utf-8")


def test_a_workspaces_history_databases_and_templates_are_counted_not_notes(tmp_path):
    document = json.dumps(DOCUMENT, ensure_ascii=False)
    files = {"SiYuan/data/box/20240105100000-doc0001.sy": document,
             "SiYuan/history/2024-01-05-100000-update/box/20240105100000-doc0001.sy": document,
             "SiYuan/data/storage/av/20240105100009-db00001.json": '{"spec": 1, "id": "20240105100009-db00001", "name": "数据库", "keyValues": []}',
             "SiYuan/data/templates/日记.md": "# {{.title}}\n\n创建于 .action{now}\n"}
    site, result = site_built_as_a_user(tmp_path, files)
    assert [path.name for path in (site / "notes").glob("*.html") if path.name != "index.html"] == ["注意力机制.html"]
    for counted in ("1 SiYuan's history of its documents", "1 SiYuan's databases", "1 SiYuan's templates"):
        assert counted in result.stderr
