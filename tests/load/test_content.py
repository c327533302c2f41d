"""A content folder with broken files: each is named with its place, the rest loads."""
from __future__ import annotations

import json

from tests.conftest import CONTENT, make_project
from zhsite.load import load_content
from zhsite.model import in_reading_order


def test_seed_content_loads_without_problems():
    loaded = load_content(CONTENT)
    assert [c.title for c in loaded.columns] == ["船长黑板报", "浅度学习"]
    assert len(loaded.notes) == 3
    assert [p for p in loaded.problems if p.severity == "error"] == []


def test_each_author_and_topic_is_held_once_across_the_content(tmp_path):
    """Each file's reader makes its own authors and topics; a build holds one of each (issue #30)."""
    column = (CONTENT / "shallow-learning-column.json").read_bytes()
    loaded = load_content(make_project(tmp_path, {"one.json": column, "saved-again.json": column}) / "content")
    articles = [a for c in loaded.columns for a in c.articles]
    people = [a.author for a in articles] + [c.author for a in articles for c in in_reading_order(a.comments)]
    topics = [t for a in articles for t in a.topics] + [t for c in loaded.columns for t in c.topics]
    assert len(people) > len(set(people)) > 1 and len(topics) > len(set(topics)) > 1
    assert len({id(p) for p in people}) == len(set(people))
    assert len({id(t) for t in topics}) == len(set(topics))


def test_broken_files_are_reported_with_their_place_and_the_rest_loads(tmp_path):
    good = {"title": "好专栏", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "一", "content": "<p>x</p>"}]}
    project = make_project(tmp_path, {
        "good.json": json.dumps(good, ensure_ascii=False),
        "truncated.json": '{"title": "x", "article": [{"url": ',
        "wrong-shape.txt": '{"data": [], "paging": {}}',
        "binary.md": b"\x80\x81\x00\x00\x00\rIHDR",
        "picture.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd",  # beside the Markdown that shows it: no problem
        "empty.md": "",
    })
    loaded = load_content(project / "content")
    assert [c.title for c in loaded.columns] == ["好专栏"]
    messages = {p.file: (p.where, p.message, p.severity) for p in loaded.problems}
    assert messages["content/truncated.json"][0] == "1:36"
    assert messages["content/truncated.json"][1].startswith("not valid JSON")
    assert "unknown archive shape: found data, paging" == messages["content/wrong-shape.txt"][1]
    assert "content/binary.md" not in messages  # a binary side file: counted as skipped, not an error
    assert loaded.skipped == {"other binary files": 1}  # the picture is not skipped: the image phase copies it
    assert messages["content/empty.md"][2] == "warning"
    assert "content/picture.png" not in messages


def test_a_json_file_of_one_value_is_an_unknown_shape_never_a_note_titled_null(tmp_path):
    project = make_project(tmp_path, {"null.json": "null\n", "n.json": "42", "s.json": '"文本"', "t.json": "true",
                                      "answer.txt": "42 是答案\n", "empty.json": "{}"})
    loaded = load_content(project / "content")
    assert [n.source for n in loaded.notes] == ["content/answer.txt"], "by its bytes a .txt is text"
    assert {p.file: (p.kind, p.detail, p.severity) for p in loaded.problems} == {
        "content/null.json": ("unknown archive shape", "found JSON null", "error"),
        "content/n.json": ("unknown archive shape", "found a JSON number", "error"),
        "content/s.json": ("unknown archive shape", "found a JSON string", "error"),
        "content/t.json": ("unknown archive shape", "found JSON true", "error"),
    }
    assert loaded.skipped == {"crawl state files": 1}


def test_hidden_files_and_editor_leftovers_are_not_content(tmp_path):
    project = make_project(tmp_path, {".DS_Store": b"\x00\x01", ".git/config": "[core]", "note.md": "# 标题\n\n正文",
                                      "note.md~": "{", "#note.md#": "{", ".note.md.swp": b"\x00", "4913": ""})
    loaded = load_content(project / "content")
    assert loaded.problems == [] and len(loaded.notes) == 1


def test_notes_in_gb18030_with_a_bom_or_with_crlf_read_like_utf8(tmp_path):
    note = "DL超级大火锅\n\n来源:互联网 时间:2024/04/27 13:22\n\n0x00 文章来由\n\nDL问题不断整理\n"
    markdown = "# 检测笔记\n\n交并比 $IoU$ 的定义。\n"
    project = make_project(tmp_path, {
        "gbk.txt": note.encode("gb18030"),
        "bom.md": b"\xef\xbb\xbf" + markdown.encode("utf-8"),
        "crlf.txt": note.replace("\n", "\r\n").encode("utf-8"),
    })
    loaded = load_content(project / "content")
    assert loaded.problems == []
    notes = {n.source: n for n in loaded.notes}
    assert notes["content/bom.md"].title == "检测笔记"
    for name in ("content/gbk.txt", "content/crlf.txt"):
        assert (notes[name].title, notes[name].date) == ("DL超级大火锅", "2024-04-27T13:22")
        assert notes[name].content == notes["content/gbk.txt"].content
        assert "<h2>0x00 文章来由</h2>" in notes[name].content and "\r" not in notes[name].content


def test_a_json_lines_file_is_read_line_by_line_and_a_bad_line_costs_that_line(tmp_path):
    """Scrapy's JsonWriterPipeline writes one item a line into items.json; crawlers write .jsonl."""
    lines = [json.dumps({"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": f"<p>正文{i}</p>"},
                        ensure_ascii=False) for i in (1, 2, 3)]
    lines[1] = lines[1][:30]  # cut off
    lines += ['{"url": "https://zhuanlan.zhihu.com/p/4", "title": "四", "content": "<p>4</p>", "voteup_count": NaN}', "42", ""]
    project = make_project(tmp_path, {"items.json": "\n".join(lines), "pretty.json": json.dumps({"title": "专栏", "article": [
        {"url": "https://zhuanlan.zhihu.com/p/9", "title": "九", "content": "<p>9</p>"}]}, ensure_ascii=False, indent=2)})
    loaded = load_content(project / "content")
    assert sorted((c.title, sorted(a.title for a in c.articles)) for c in loaded.columns) == [("items", ["四", "第1篇", "第3篇"]), ("专栏", ["九"])]
    assert [(p.where, p.kind, p.detail) for p in loaded.problems] == [
        ("2:9", "not valid JSON", "Unterminated string starting at"),
        ("4:voteup_count", "number ignored", "NaN is not a JSON number"),
        ("5", "unknown archive shape", "found a JSON number"),
    ]


def test_a_file_of_zhihu_questions_says_what_it_lists_and_where_the_answers_are(tmp_path):
    followed = {"data": [{"id": 555, "type": "question", "title": "如何入门？", "url": "https://www.zhihu.com/api/v4/questions/555"}],
                "paging": {"is_end": True}}
    loaded = load_content(make_project(tmp_path, {"following_questions.json": json.dumps(followed, ensure_ascii=False)}) / "content")
    assert [(p.kind, p.detail) for p in loaded.problems] == [
        ("unknown archive shape", "found data, paging; Zhihu questions without their answers: save each question's answers "
                                  "(/api/v4/questions/<id>/answers)")]


def test_an_item_whose_type_is_no_text_is_an_unknown_shape_not_a_readers_bug(tmp_path):
    # Found by tests/load/test_any_input.py: {"content": "", "type": []} raised TypeError while the problem was worded.
    loaded = load_content(make_project(tmp_path, {"odd.json": '{"data": [{"content": "", "type": []}], "paging": {}}'}) / "content")
    assert [(p.kind, p.detail) for p in loaded.problems] == [("unknown archive shape", "found data, paging")]


def test_a_list_of_posts_saved_without_their_text_says_so_and_how_to_get_it(tmp_path):
    """A members/<id>/articles page fetched without include=content: titles and excerpts, no text to build a page of."""
    listing = {"data": [{"id": 1, "type": "article", "title": "第一篇", "excerpt": "开头的几句……", "url": "https://zhuanlan.zhihu.com/p/1"}],
               "paging": {"is_end": True}}
    loaded = load_content(make_project(tmp_path, {"articles.json": json.dumps(listing, ensure_ascii=False)}) / "content")
    assert [(p.kind, p.detail) for p in loaded.problems] == [
        ("unknown archive shape", "found data, paging; Zhihu articles or answers with an excerpt and no text: save the list again "
                                  "with include=data[*].content in its address")]
