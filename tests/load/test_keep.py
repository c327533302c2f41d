"""Google Keep notes from Google Takeout (``Takeout/Keep/``): each note's JSON a note, its HTML copy and Labels.txt counted.

The fixture follows the fields the public Keep importers read (Obsidian Importer's ``KeepJson``, kept,
keep-to-markdown): ``title``, ``textContent``, ``listContent`` of ``{text, isChecked}``, ``labels`` of ``{name}``,
``attachments`` of ``{filePath, mimetype}``, ``createdTimestampUsec``, ``isTrashed``, ``isArchived``.  Before, each
JSON was an unknown archive shape (an error) and Labels.txt a note.
"""
from __future__ import annotations

import io
import json
import re

from PIL import Image

from tests.conftest import site_built_as_a_user


def picture() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(data, "PNG")
    return data.getvalue()


NOTE = {"color": "DEFAULT", "isTrashed": False, "isPinned": False, "isArchived": True, "title": "待读论文",
        "textContent": "Attention Is All You Need\nhttps://arxiv.org/abs/1706.03762\n\n第二段。",
        "listContent": [{"text": "ResNet", "isChecked": True}, {"text": "BERT", "isChecked": False}],
        "labels": [{"name": "论文"}], "attachments": [{"filePath": "1577836800000.png", "mimetype": "image/png"}],
        "userEditedTimestampUsec": 1577836800000000, "createdTimestampUsec": 1577836800000000}
TRASHED = {"title": "旧", "textContent": "删掉的想法", "createdTimestampUsec": 1, "isTrashed": True}
COPY = ('<html><head><title>待读论文</title><style>.note{}</style></head><body><div class="note DEFAULT"><div class="heading">'
        'Jan 1, 2020</div><div class="title">待读论文</div><div class="content">Attention</div></div></body></html>')


def test_a_keep_takeout_is_a_note_for_each_note_and_its_copies_are_counted(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {
        "Takeout/Keep/待读论文.json": json.dumps(NOTE, ensure_ascii=False), "Takeout/Keep/待读论文.html": COPY,
        "Takeout/Keep/1577836800000.png": picture(), "Takeout/Keep/旧.json": json.dumps(TRASHED, ensure_ascii=False),
        "Takeout/Keep/Labels.txt": "论文\n",
    })
    assert result.returncode == 0, result.stderr
    assert "1 notes in Google Keep's trash" in result.stderr and "1 Google Keep's HTML copies of its notes" in result.stderr
    assert "1 Google Keep label lists" in result.stderr and "unknown archive shape" not in result.stderr
    assert sorted(path.name for path in (site / "notes").iterdir()) == ["index.html", "待读论文.html"]
    page = (site / "notes" / "待读论文.html").read_text(encoding="utf-8")
    assert "<h1>待读论文</h1>" in page and '<time datetime="2020-01-01T08:00">' in page and ">论文</a>" in page
    body = page[page.index('class="entry-body"'):]
    assert '<a href="https://arxiv.org/abs/1706.03762">' in body and "<p>第二段。</p>" in body
    assert re.search(r'<li><input type="checkbox" disabled="disabled" checked=""> ResNet</li><li><input type="checkbox" '
                     r'disabled="disabled"> BERT</li>', body)
    assert re.search(r'<img src="\.\./images/[0-9a-f]+\.png"', body), "its picture from beside it"
