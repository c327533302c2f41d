"""Pages drawn by forked processes (zhsite/render/draw.py) are the files one process draws."""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading

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


def eight_articles(tmp_path):
    column = '{"title": "专栏", "article": [' + ", ".join(
        f'{{"url": "https://zhuanlan.zhihu.com/p/{i}", "title": "第{i}篇", "content": "<p>正文</p>"}}' for i in range(1, 9)
    ) + "]}"
    return make_project(tmp_path, {"c.json": column}, "search = false\n")


def test_workers_are_stopped_when_drawing_here_is_interrupted(tmp_path):
    """Not only a template error: Ctrl-C sent to zhsite alone while every process draws leaves no drawing process behind."""
    project = eight_articles(tmp_path)
    build(project, workers=3)  # the rewrite cached: the build below goes straight to drawing
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text(  # every page takes seconds to draw
        '{% extends "base.html" %}{% block main %}{% for i in range(10**8) %}{% endfor %}{{ article.title }}{% endblock %}', encoding="utf-8")
    interrupt = threading.Timer(3.0, os.kill, (os.getpid(), signal.SIGINT))
    # Ctrl-C as a terminal sends it: a test run started in the background (``make test &``) inherits SIGINT
    # ignored, and Python then never raises KeyboardInterrupt for it.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        interrupt.start()
        with pytest.raises(KeyboardInterrupt):
            build(project, workers=3)
    finally:
        signal.signal(signal.SIGINT, inherited)
    assert multiprocessing.active_children() == []


def test_drawing_workers_are_never_forked_while_a_thread_of_zhsite_runs(tmp_path):
    project = eight_articles(tmp_path)
    release = threading.Event()
    early = threading.Thread(target=release.wait, name="zhsite-search", daemon=True)
    early.start()
    try:
        with pytest.raises(RuntimeError, match="forked before zhsite starts a thread; running: zhsite-search"):
            build(project, workers=3)
    finally:
        release.set()
        early.join()
    assert build(project, workers=3).pages > 8  # and once it is gone, they are
