"""A content folder with broken files: each is named with its place, the rest loads."""
from __future__ import annotations

import json

from tests.conftest import CONTENT, make_project
from zhsite.load import load_content


def test_seed_content_loads_without_problems():
    loaded = load_content(CONTENT)
    assert [c.title for c in loaded.columns] == ["船长黑板报", "浅度学习"]
    assert len(loaded.notes) == 3
    assert [p for p in loaded.problems if p.severity == "error"] == []


def test_broken_files_are_reported_with_their_place_and_the_rest_loads(tmp_path):
    good = {"title": "好专栏", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "一", "content": "<p>x</p>"}]}
    project = make_project(tmp_path, {
        "good.json": json.dumps(good, ensure_ascii=False),
        "truncated.json": '{"title": "x", "article": [{"url": ',
        "wrong-shape.txt": '{"data": [], "paging": {}}',
        "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd",
        "empty.md": "",
    })
    loaded = load_content(project / "content")
    assert [c.title for c in loaded.columns] == ["好专栏"]
    messages = {p.file: (p.where, p.message, p.severity) for p in loaded.problems}
    assert messages["content/truncated.json"][0] == "1:36"
    assert messages["content/truncated.json"][1].startswith("not valid JSON")
    assert "unknown archive shape (found: data, paging)" in messages["content/wrong-shape.txt"][1]
    assert "binary" in messages["content/binary.md"][1]
    assert messages["content/empty.md"][2] == "warning"


def test_hidden_files_are_not_content(tmp_path):
    project = make_project(tmp_path, {".DS_Store": b"\x00\x01", ".git/config": "[core]", "note.md": "# 标题\n\n正文"})
    loaded = load_content(project / "content")
    assert loaded.problems == [] and len(loaded.notes) == 1
