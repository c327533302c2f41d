"""A rebuild draws again only the pages whose outline or bodies changed, and gives the bytes a fresh build gives."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import CONTENT, REPO
from zhsite.build import build

EDITED = "p/60692852.html"  # the first article of the shallow-learning column


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path) -> Path:
    """The seeds, built once: the next build has a previous site and its records."""
    shutil.copytree(CONTENT, tmp_path / "p" / "content")
    shutil.copy(REPO / "zhsite.toml", tmp_path / "p" / "zhsite.toml")
    build(tmp_path / "p")
    return tmp_path / "p"


def edit_column(project: Path, change) -> None:
    path = project / "content" / "shallow-learning-column.json"
    column = json.loads(path.read_text(encoding="utf-8"))
    change(column)
    path.write_text(json.dumps(column, ensure_ascii=False), encoding="utf-8")


def as_built_fresh(project: Path, tmp_path: Path) -> dict[str, bytes]:
    """The same project built with no previous site and no cache."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("site", ".zhsite-cache"))
    return snapshot(build(fresh).output)


def test_a_rebuild_with_nothing_changed_draws_nothing(project):
    before = snapshot(project / "site")
    result = build(project)
    assert result.drawn == [] and result.kept > 100
    assert snapshot(project / "site") == before


def test_an_edited_article_text_redraws_its_page_and_the_feed_showing_it(project, tmp_path):
    edit_column(project, lambda c: c["article"][0].update(content=c["article"][0]["content"] + "<p>补充一段新的文字</p>"))
    result = build(project)
    assert sorted(result.drawn) == ["columns/shallow-learning.xml", EDITED]
    assert "补充一段新的文字" in (project / "site" / EDITED).read_text(encoding="utf-8")
    assert snapshot(project / "site") == as_built_fresh(project, tmp_path)


def test_an_edited_title_redraws_every_page_that_may_show_it(project, tmp_path):
    edit_column(project, lambda c: c["article"][0].update(title="新标题"))
    result = build(project)
    assert result.kept == 0
    assert snapshot(project / "site") == as_built_fresh(project, tmp_path)


def test_a_template_reading_a_neighbours_body_is_redrawn_when_that_body_changes(project, tmp_path):
    # The neighbour of the edited article shows the last words of it: its page read that body too.
    # (An edit of the first words changes the article's excerpt, which every list shows: every page is drawn.)
    theme = REPO / "themes" / "default" / "templates" / "article.html"
    template = theme.read_text(encoding="utf-8").replace(
        "{{ article.body.html | safe }}", "{{ article.body.html | safe }}{% if later %}<aside>{{ later.body.html[-2000:] | striptags }}</aside>{% endif %}")
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text(template, encoding="utf-8")
    build(project)
    edit_column(project, lambda c: c["article"][0].update(content=c["article"][0]["content"] + "<p>全新的结尾</p>"))
    result = build(project)
    older = set(result.drawn) - {EDITED, "columns/shallow-learning.xml"}
    assert len(older) == 1 and "全新的结尾" in (project / "site" / older.pop()).read_text(encoding="utf-8")
    assert snapshot(project / "site") == as_built_fresh(project, tmp_path)


def test_a_page_changed_or_removed_in_the_output_is_drawn_again(project, tmp_path):
    page = project / "site" / EDITED
    page.write_text("edited by hand", encoding="utf-8")
    (project / "site" / "index.html").unlink()
    result = build(project)
    assert sorted(result.drawn) == ["index.html", EDITED]
    assert snapshot(project / "site") == as_built_fresh(project, tmp_path)


def test_a_configuration_change_redraws_every_page(project, tmp_path):
    config = project / "zhsite.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('title = "', 'title = "新 ', 1), encoding="utf-8")
    result = build(project)
    assert result.kept == 0
    assert snapshot(project / "site") == as_built_fresh(project, tmp_path)


def test_what_pages_drawn_in_worker_processes_read_is_recorded_too(project, tmp_path):
    config = project / "zhsite.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('title = "', 'title = "新 ', 1), encoding="utf-8")
    assert build(project, workers=3).kept == 0  # every page drawn, two thirds of them in forked workers
    edit_column(project, lambda c: c["article"][0].update(content=c["article"][0]["content"] + "<p>补充一段新的文字</p>"))
    result = build(project, workers=3)
    assert sorted(result.drawn) == ["columns/shallow-learning.xml", EDITED]
    assert snapshot(project / "site") == as_built_fresh(project, tmp_path)


def test_after_an_edit_every_page_record_is_still_there_for_the_next_builds(project, tmp_path):
    # Issue #30: the records are kept in buckets by path and an edit's build writes again only its drawn pages'
    # buckets: the others, read and left as they were, must survive the cache's trim, and a bucket written again
    # must hold its kept pages beside the drawn one.
    edit_column(project, lambda c: c["article"][0].update(content=c["article"][0]["content"] + "<p>第一处修改</p>"))
    assert sorted(build(project).drawn) == ["columns/shallow-learning.xml", EDITED]
    assert build(project).drawn == []
    edit_column(project, lambda c: c["article"][1].update(content=c["article"][1]["content"] + "<p>第二处修改</p>"))
    second = json.loads((project / "content" / "shallow-learning-column.json").read_text(encoding="utf-8"))["article"][1]
    drawn = build(project).drawn
    assert len(drawn) == 2 and "columns/shallow-learning.xml" in drawn and EDITED not in drawn
    assert "第二处修改" in (project / "site" / next(p for p in drawn if p.endswith(".html"))).read_text(encoding="utf-8")
    assert second["title"] in (project / "site" / next(p for p in drawn if p.endswith(".html"))).read_text(encoding="utf-8")
    assert snapshot(project / "site") == as_built_fresh(project, tmp_path)


def test_an_edit_past_the_excerpt_but_within_a_previews_first_lines_redraws_that_preview_file(project, tmp_path):
    # A link preview shows a page's first 120 characters, a list its first paragraphs (here the first, 73 characters):
    # an edit between the two changes no list, and the one previews/<n>.js holding the article (zhsite/render/links.py).
    first = "这一句话" * 18 + "。"
    edit_column(project, lambda c: c["article"][0].update(content=f"<p>{first}</p><p>第二句话的开头。</p>" + c["article"][0]["content"]))
    build(project)
    edit_column(project, lambda c: c["article"][0].update(content=c["article"][0]["content"].replace("第二句话的开头", "改过的第二句话")))
    result = build(project)
    assert [path for path in result.drawn if path.startswith("previews/")] and result.kept > 100, result.drawn
    assert snapshot(project / "site") == as_built_fresh(project, tmp_path)
