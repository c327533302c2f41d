"""Joplin's exports: its RAW folder, its sync folder and its JEX file, each note the page it is.

The fixture follows what Joplin writes (``BaseItem.serialize``: the title, a
blank line, the body, a blank line, then one ``key: value`` a line, ``type_``
last; type 1 a note, 2 a notebook, 4 an attachment with its bytes in
``resources/<id>.<ext>``, 5 a tag, 6 a tag put on a note; a JEX file is a tar
of the same files).  Before, each record was a note, each note ended in its
properties and its pictures were lost, exit status 0.
"""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.conftest import site_built_as_a_user, tar_of
from zhsite.load.joplin import is_joplin_item, joplin_item

NOTEBOOK, NOTE, CLIP, PICTURE_ID, TAG, PUT = (c * 32 for c in "1abc4d")
PICTURE_ID = "0123456789abcdef" * 2


def png() -> bytes:
    written = io.BytesIO()
    Image.new("RGB", (12, 8), (30, 90, 200)).save(written, "PNG")
    return written.getvalue()


PICTURE = png()


def item(title: str | None, body: str, kind: int, **fields: str) -> str:
    """A file as Joplin writes it: the title and body (a record with no title, a note's tag, has neither line)."""
    props = {"id": "", "parent_id": "", "created_time": "2024-01-05T10:00:00.000Z", "updated_time": "2024-02-01T08:00:00.000Z",
             "is_conflict": "0", "author": "", "source_url": "", "is_todo": "0", "source": "joplin-desktop",
             "user_created_time": "2024-01-05T10:00:00.000Z", "user_updated_time": "2024-02-01T08:00:00.000Z",
             "encryption_cipher_text": "", "encryption_applied": "0", "markup_language": "1", "deleted_time": "0", **fields}
    tail = "\n".join(f"{key}: {value}" for key, value in props.items()) + f"\ntype_: {kind}"
    head = [title] if title is not None else []
    return "\n\n".join([*head, *([body] if body else []), tail])


EXPORT = {
    f"{NOTEBOOK}.md": item("机器学习", "", 2, id=NOTEBOOK),
    f"{NOTE}.md": item("卷积神经网络笔记", f"## 卷积\n\n损失 $L = x^2$，见图：\n\n![conv.png](:/{PICTURE_ID})\n\n参考 [反向传播](:/{CLIP})。",
                       1, id=NOTE, parent_id=NOTEBOOK, source_url="https://arxiv.org/abs/1512.03385"),
    f"{CLIP}.md": item("如何理解反向传播？ - 知乎", "反向传播就是链式法则。", 1, id=CLIP, parent_id=NOTEBOOK,
                       source_url="https://zhuanlan.zhihu.com/p/123456789", author="张三"),
    f"{PICTURE_ID}.md": item("conv.png", "", 4, id=PICTURE_ID, mime="image/png", file_extension="png"),
    f"resources/{PICTURE_ID}.png": PICTURE,
    f"{TAG}.md": item("深度学习", "", 5, id=TAG),
    f"{PUT}.md": item(None, "", 6, id=PUT, note_id=NOTE, tag_id=TAG),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return site_built_as_a_user(tmp_path_factory.mktemp("joplin"), {f"joplin/{name}": data for name, data in EXPORT.items()})


def test_a_raw_export_builds_each_note_and_counts_its_records(folder):
    site, result = folder
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    assert "1 articles" in result.stderr.splitlines()[-1] and "1 notes" in result.stderr.splitlines()[-1]
    assert "skipped 4 Joplin's notebook, tag and attachment records" in result.stderr
    assert sorted(p.name for p in (site / "notes").glob("*.html")) == ["index.html", "卷积神经网络笔记.html"], "no record is a note"


def test_a_note_has_its_date_notebook_tags_picture_and_link_and_no_properties(folder):
    site, _ = folder
    shown = (site / "notes" / "卷积神经网络笔记.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>\s*卷积神经网络笔记\s*</h1>", shown) and '<time datetime="2024-01-05T10:00">' in shown
    assert ">机器学习</a>" in shown and ">深度学习</a>" in shown, "its notebook and its tag, as topics"
    assert (site / "topics" / "机器学习.html").is_file() and (site / "topics" / "深度学习.html").is_file()
    picture = re.search(r'<img src="\.\./(images/[0-9a-f]+\.png)"', shown)
    assert picture and (site / picture[1]).read_bytes() == PICTURE, "the attachment's own file"
    assert '<a href="../p/123456789.html">反向传播</a>' in shown, "a link to another note finds its page"
    assert "parent_id" not in shown and "type_" not in shown and "user_created_time" not in shown
    assert '来源：<a class="source-link" href="https://arxiv.org/abs/1512.03385">' in shown, "the page it was clipped from"


def test_a_zhihu_post_joplin_clipped_is_that_post(folder):
    site, _ = folder
    shown = (site / "p" / "123456789.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>\s*如何理解反向传播？\s*</h1>", shown), "the page's title, without ' - 知乎'"
    assert 'href="https://zhuanlan.zhihu.com/p/123456789"' in shown and ">张三</a>" in shown and ">机器学习</a>" in shown
    assert '<time datetime="2024-01-05T10:00:00Z">' in shown and "链式法则" in shown


def test_a_jex_file_builds_as_the_folder_does(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"我的笔记.jex": tar_of(EXPORT)})
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    assert "skipped 4 Joplin's notebook, tag and attachment records" in result.stderr and "TAR" not in result.stderr
    shown = (site / "notes" / "卷积神经网络笔记.html").read_text(encoding="utf-8")
    assert re.search(r'<img src="data:image/png;base64,', shown), "the picture from inside the file"
    assert '<a href="../p/123456789.html">反向传播</a>' in shown and ">深度学习</a>" in shown and ">机器学习</a>" in shown
    assert (site / "p" / "123456789.html").is_file()


def test_a_file_attached_inside_a_jex_is_said_not_to_be_shown(tmp_path):
    paper = "9" * 32
    export = {**EXPORT, f"{NOTE}.md": item("论文笔记", f"见 [paper.pdf](:/{paper})。", 1, id=NOTE),
              f"{paper}.md": item("paper.pdf", "", 4, id=paper, mime="application/pdf", file_extension="pdf"),
              f"resources/{paper}.pdf": b"%PDF-1.4\n%%EOF\n"}
    site, result = site_built_as_a_user(tmp_path, {"我的笔记.jex": tar_of(export)})
    assert "我的笔记.jex: warning: Joplin attachment not shown: 1 (first: :/" + paper + ")" in result.stderr
    assert "not in the export" not in result.stderr and "paper.pdf" in (site / "notes" / "论文笔记.html").read_text(encoding="utf-8")


def test_a_damaged_jex_file_is_an_error_naming_it(tmp_path):
    _, result = site_built_as_a_user(tmp_path, {"我的笔记.jex": tar_of(EXPORT)[:700], "a.md": "# 别的笔记\n\n正文\n"})
    assert result.returncode != 0 and "content/我的笔记.jex: error: Joplin export (JEX) that cannot be opened" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_sync_folder_finds_attachments_in_its_resource_folder(tmp_path):
    files = {f"Joplin/{name}": data for name, data in EXPORT.items() if not name.startswith("resources/")}
    site, result = site_built_as_a_user(tmp_path, {**files, f"Joplin/.resource/{PICTURE_ID}": PICTURE})
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    picture = re.search(r'<img src="\.\./(images/[0-9a-f]+\.png)"', (site / "notes" / "卷积神经网络笔记.html").read_text(encoding="utf-8"))
    assert picture and (site / picture[1]).read_bytes() == PICTURE


def test_what_cannot_be_shown_is_said_and_trash_and_conflicts_are_counted(tmp_path):
    lost = "e" * 32
    files = {
        "j/" + f"{NOTE}.md": item("网页笔记", f'<div><p>整页<b>剪藏</b>。</p><img src=":/{lost}" width="300"><a href=":/{"f" * 32}">附件</a></div>',
                                          1, id=NOTE, markup_language="2"),
        "j/" + f"{CLIP}.md": item("", "", 1, id=CLIP, encryption_applied="1", encryption_cipher_text="JED01000022abcdef"),
        "j/" + f"{TAG}.md": item("删掉的", "正文", 1, id=TAG, deleted_time="1706000000000"),
        "j/" + f"{PUT}.md": item("冲突的", "正文", 1, id=PUT, is_conflict="1"),
    }
    site, result = site_built_as_a_user(tmp_path, files)
    assert result.returncode == 0, result.stderr
    assert f"content/j/{CLIP}.md: warning: Joplin item encrypted" in result.stderr
    assert f"content/j/{NOTE}.md: warning: Joplin item not in the export: 1 linked (first: :/{'f' * 32})" in result.stderr
    assert f"image file not found, left out: content/j/resources/{lost}" in result.stderr
    assert "1 notes in Joplin's trash" in result.stderr and "1 Joplin's conflict copies" in result.stderr
    shown = (site / "notes" / "网页笔记.html").read_text(encoding="utf-8")
    assert "<b>剪藏</b>" in shown and "附件" in shown and "<img" not in shown.split("<main", 1)[1]
    assert sorted(p.name for p in (site / "notes").glob("*.html")) == ["index.html", "网页笔记.html"]


def test_only_a_file_ending_in_joplins_properties_is_an_item():
    assert is_joplin_item(EXPORT[f"{NOTE}.md"]) and is_joplin_item(EXPORT[f"{PUT}.md"])
    assert not is_joplin_item("# 笔记\n\n作者: 张三\n来源: 知乎\n")
    assert not is_joplin_item("# 笔记\n\n正文\n\nid: 12\ntype_: 1\n"), "an id is 32 hex digits"
    read = joplin_item(EXPORT[f"{NOTE}.md"])
    assert read.title == "卷积神经网络笔记" and read.body.startswith("## 卷积") and read.body.endswith("。")
    assert read.fields["parent_id"] == NOTEBOOK and read.fields["type_"] == "1" and read.fields["source_url"] == "https://arxiv.org/abs/1512.03385"
