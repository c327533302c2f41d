"""Simplenote's export (``notes.json``), every note in one file: each active note a note, the trash counted.

The fixture follows the export's documented fields as the public importers read them (Joplin's and Obsidian
Importer's): ``activeNotes`` and ``trashedNotes`` of ``{id, content, creationDate, lastModified, tags, markdown}``,
the first line of ``content`` the title.  Before, the file was an unknown archive shape, an error.
"""
from __future__ import annotations

import json

from tests.conftest import site_built_as_a_user

EXPORT = {"activeNotes": [
    {"id": "a1", "content": "# 卷积\n\n局部连接，**权值共享**。\n\n$y = w * x$", "creationDate": "2020-01-01T00:00:00.000Z",
     "lastModified": "2020-02-01T00:00:00.000Z", "tags": ["CNN", "深度学习"], "markdown": True},
    {"id": "b2", "content": "购物清单\n牛奶\n\n面包 *全麦*", "creationDate": "2021-03-04T05:06:00.000Z", "tags": []},
    {"id": "c3", "content": "   "}],
    "trashedNotes": [{"id": "d4", "content": "删掉的", "creationDate": "2019-01-01T00:00:00.000Z"}]}


def test_a_simplenote_export_is_a_note_for_each_active_note(tmp_path):
    site, result = site_built_as_a_user(tmp_path, {"notes.json": json.dumps(EXPORT, ensure_ascii=False)})
    assert result.returncode == 0, result.stderr
    assert "1 notes in Simplenote's trash" in result.stderr and "unknown archive shape" not in result.stderr
    markdown = (site / "notes" / "simplenote-a1.html").read_text(encoding="utf-8")
    assert "<h1>卷积</h1>" in markdown and '<time datetime="2020-01-01T08:00">' in markdown
    assert ">CNN</a>" in markdown and ">深度学习</a>" in markdown and "<strong>权值共享</strong>" in markdown and "<math" in markdown
    plain = (site / "notes" / "simplenote-b2.html").read_text(encoding="utf-8")
    assert "<h1>购物清单</h1>" in plain and "<p>牛奶</p>" in plain and "面包 *全麦*" in plain, "plain text stays as written"
    assert not (site / "notes" / "simplenote-c3.html").exists() and not (site / "notes" / "simplenote-d4.html").exists()
