"""What cannot be drawn or read while serving is answered with the error overlay, never an empty reply."""
from __future__ import annotations

import json

from tests.conftest import make_project
from tests.images.server import picture_for
from tests.serve.helpers import fetch

ARTICLE = {"url": "https://zhuanlan.zhihu.com/p/1", "title": "第一篇", "content": '<p>正文</p><p><img src="https://img.example.org/saved/cat.png"></p>'}


def project_with(tmp_path, template: str = ""):
    project = make_project(tmp_path / "project", {"col.json": json.dumps({"title": "专栏", "article": [ARTICLE]}, ensure_ascii=False)},
                           '[images]\nmode = "local"\noffline = true\ndirs = ["saved"]\n')
    (project / "saved").mkdir()
    (project / "saved" / "cat.png").write_bytes(picture_for("/cat.png"))
    if template:
        (project / "templates").mkdir()
        (project / "templates" / "article.html").write_text(template, encoding="utf-8")
    return project


def test_a_template_that_raises_on_a_page_shows_the_overlay_naming_template_and_line(serve, tmp_path):
    project = project_with(tmp_path, '{% extends "base.html" %}\n{% block main %}\n{{ "%s" | format(1, 2) }}\n{% endblock %}\n')
    server = serve(project)
    status, headers, body = fetch(server.url, "/p/1.html")
    text = body.decode("utf-8")
    assert 'id="zhsite-error"' in text
    assert "templates/article.html:3: error: template error: not all arguments converted during string formatting" in text
    assert "zhsite-live" in text, "the reload script too: fixing the template reloads the page"


def test_a_local_picture_deleted_while_serving_is_an_error_page_not_an_empty_reply(serve, tmp_path):
    project = project_with(tmp_path)
    server = serve(project)
    page = fetch(server.url, "/p/1.html")[2].decode("utf-8")
    picture = page.split('src="../images/')[1].split('"')[0]
    assert fetch(server.url, f"/images/{picture}")[0] == 200
    for copy in [*project.rglob("cat.png"), *(project / ".zhsite-cache").rglob(picture.split(".")[0] + "*")]:
        copy.unlink()
    status, headers, body = fetch(server.url, f"/images/{picture}")
    assert status == 500
    assert headers["Content-Type"].startswith("text/html")
    assert b'id="zhsite-error"' in body and b"cannot read: No such file or directory" in body
