"""Pages drawn on demand and the search index made in the background are the files ``zhsite build`` writes."""
from __future__ import annotations

from urllib.parse import quote

from tests.serve.helpers import fetch
from tests.test_search import indexed_text, manifest
from zhsite.build import generate
from zhsite.config import load_config
from zhsite.serve.inject import inject_reload_script
from zhsite.serve.routes import EVENTS


def served(server, path: str) -> bytes:
    status, _, body = fetch(server.url, "/" + quote(path))
    assert status == 200, path
    return body


def test_every_served_file_is_the_built_file(serve, project):
    server = serve(project)
    server.wait_for_search()
    built = generate(project, load_config(project, {"base_url": server.url})).files
    snapshot = server.app.published.state.site.id
    assert any(path.startswith("search/") for path in built)
    for path, data in built.items():
        expected = inject_reload_script(data, "/" + EVENTS, snapshot) if path.endswith(".html") else data
        assert served(server, path) == expected, path


def test_a_deleted_file_leaves_the_site_and_the_search_index(serve, project):
    server = serve(project)
    server.wait_for_search()
    indexed = manifest({"search/index.js": served(server, "search/index.js")})["pages"]
    note = project / "content" / "dl-hotpot-faq.txt"
    assert fetch(server.url, "/notes/dl-hotpot-faq.html")[0] == 200
    note.unlink()
    assert server.wait_for_builds(2, timeout=120)
    assert fetch(server.url, "/notes/dl-hotpot-faq.html")[0] == 404
    server.wait_for_search()
    assert manifest({"search/index.js": served(server, "search/index.js")})["pages"] == indexed - 1, "the deleted note is no longer indexed"


def test_an_edit_while_the_index_is_made_ends_indexed(serve, project):
    # A rebuild stops the index run in progress; the newest site is indexed.
    server = serve(project)
    note = project / "content" / "dl-hotpot-faq.txt"
    note.write_text(note.read_text(encoding="utf-8") + "\n独角兽测试词出现在这里。\n", encoding="utf-8")
    assert server.wait_for_builds(2, timeout=120)
    server.wait_for_search()
    files = server.app.published.state.site.files
    assert "独角兽" in indexed_text(files)


def test_serve_links_no_e_book_it_cannot_serve(serve, project):
    """With epub = true a build writes each column's book and links it; serve draws pages only, so it links none."""
    (project / "zhsite.toml").write_text("epub = true\n", encoding="utf-8")
    server = serve(project)
    page = served(server, "columns/shallow-learning.html").decode("utf-8")
    assert "浅度学习" in page and "EPUB" not in page
