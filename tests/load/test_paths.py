"""Items whose names slug alike each get a page of their own: no collision errors, nothing listed without a page."""
from __future__ import annotations

import json

import pytest

from tests.conftest import build_as_a_user, make_project
from zhsite.slug import distinct_slugs

FILES = {
    "a.json": json.dumps({"id": 1, "title": "一", "content": "<p>x</p>", "topics": ["LGBTQ"], "column": {"id": "c"}}, ensure_ascii=False),
    "b.json": json.dumps({"id": 2, "title": "二", "content": "<p>y</p>", "topics": ["LGBTQ+"], "column": {"id": "c"}}, ensure_ascii=False),
    "one/笔记.md": "# 第一份笔记\n\n正文",
    "two/笔记.md": "# 第二份笔记\n\n正文",
    "index.md": "# 名为 index 的笔记\n\n正文",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("paths"), FILES)
    result = build_as_a_user(project)
    return project / "site", result


def test_topics_that_slug_alike_get_their_own_pages(built):
    site, result = built
    assert result.returncode == 0 and "error" not in result.stderr, result.stderr
    plus = "topics/lgbtq-" + distinct_slugs([("LGBTQ", "LGBTQ"), ("LGBTQ+", "LGBTQ+")])[1].split("-")[1] + ".html"
    assert "<h1>LGBTQ</h1>" in (site / "topics/lgbtq.html").read_text(encoding="utf-8")
    assert "<h1>LGBTQ+</h1>" in (site / plus).read_text(encoding="utf-8")
    assert f'href="../{plus}"' in (site / "p/2.html").read_text(encoding="utf-8")


def test_notes_that_slug_alike_and_an_index_note_each_keep_a_page_listed_once(built):
    site, _ = built
    notes = sorted(p.name for p in (site / "notes").glob("*.html"))
    assert len(notes) == 4 and "index.html" in notes  # the list of notes, and three notes
    listing = (site / "notes/index.html").read_text(encoding="utf-8")
    for title in ("第一份笔记", "第二份笔记", "名为 index 的笔记"):
        assert listing.count(title) == 1
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('href="notes/') - home.count('href="notes/index.html"') == 3


def test_distinct_slugs_are_stable_whatever_the_order():
    items = [("LGBTQ+", "LGBTQ+"), ("LGBTQ", "LGBTQ"), ("lgbtq", "lgbtq")]
    first = distinct_slugs(items)
    assert first[1] == "lgbtq" and len(set(first)) == 3
    assert distinct_slugs(items[::-1]) == first[::-1]
    assert distinct_slugs([("index", "x")], reserved={"index"})[0].startswith("index-")
