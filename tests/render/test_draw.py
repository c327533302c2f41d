"""Pages drawn by forked processes (zhsite/render/draw.py) are the files one process draws."""
from __future__ import annotations

import pytest

from tests.conftest import make_project
from zhsite.build import build, prepare
from zhsite.config import load_config
from zhsite.problems import BuildError
from zhsite.session import Session


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_site_drawn_in_three_processes_is_byte_identical_to_one(seed_project, tmp_path):
    alone = build(seed_project, tmp_path / "one", workers=1)
    together = build(seed_project, tmp_path / "three", workers=3)
    assert together.pages == alone.pages and together.files.keys() == alone.files.keys()
    assert snapshot(tmp_path / "three") == snapshot(tmp_path / "one")


def test_a_template_error_in_a_worker_stops_the_build_and_keeps_the_old_site(tmp_path):
    column = '{"title": "专栏", "article": [' + ", ".join(
        f'{{"url": "https://zhuanlan.zhihu.com/p/{i}", "title": "第{i}篇", "content": "<p>正文</p>"}}' for i in range(1, 9)
    ) + "]}"
    project = make_project(tmp_path, {"c.json": column}, "search = false\n")
    build(project, workers=3)
    before = snapshot(project / "site")
    # Only one page trips the mistake: one the first process does not draw (stripe i::3, i > 0).
    paths = prepare(project, load_config(project), Session(project)).renderer.paths
    victim = next(path for i, path in enumerate(paths) if i % 3 and path.startswith("p/"))
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ article.title }}'
        f'{{% if article.path == "{victim}" %}}{{{{ article.no_such_field.oops }}}}{{% endif %}}{{% endblock %}}', encoding="utf-8")
    with pytest.raises(BuildError, match=r"article\.html:1: error: template error"):
        build(project, workers=3)
    assert snapshot(project / "site") == before
