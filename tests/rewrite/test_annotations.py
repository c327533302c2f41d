"""Coloured remarks → ``span.annotation.mark-*``; no inline style reaches the page."""
from __future__ import annotations

import pytest

from tests.rewrite.conftest import note_snippet, run, run_all
from zhsite.rewrite.annotations import mark_annotations


def test_real_red_remark_becomes_a_marked_span_without_style():
    # content/cv-lecture-notes.md: "…视频集锦。<span style="color:red;">这也可以</span>"
    remark = note_snippet("cv-lecture-notes.md", r'<span style="color:red;">这也可以</span>')
    root, _ = run_all(f"<p>有的人做一些有意思的东西。{remark}</p>")
    (span,) = root.iter("span")
    assert span.get("class").split() == ["annotation", "mark-red"]
    assert span.text == "这也可以"
    assert not [e for e in root.iter() if e.get("style") is not None or e.get("color") is not None]


@pytest.mark.parametrize(
    ("html", "mark"),
    [
        ('<span style="color:red;">x</span>', "mark-red"),
        ('<span style="font-weight:bold; color: #FF0000">x</span>', "mark-red"),
        ('<span style="color:#f00">x</span>', "mark-red"),
        ('<font color="red">x</font>', "mark-red"),
        ('<span style="color:blue">x</span>', "mark-blue"),
        ('<span style="color: green;">x</span>', "mark-green"),
        ('<span style="color:purple">x</span>', "mark-other"),
    ],
)
def test_colours_become_classes(html, mark):
    root, _ = run_all(f"<p>{html}</p>")
    span = root.find("p/span")
    assert span.get("class").split() == ["annotation", mark]
    assert span.text == "x" and span.get("style") is None and root.find(".//font") is None


@pytest.mark.parametrize(
    "html", ['<span style="background-color: yellow">x</span>', '<span style="font-size:20px">x</span>', "<span>x</span>"]
)
def test_spans_without_a_text_colour_are_not_annotations(html):
    root, _ = run(f"<p>{html}</p>", mark_annotations)
    assert "annotation" not in (root.find("p/span").get("class") or "")
