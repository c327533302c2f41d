"""What the server answers: only the snapshot's files, with the right types, under the base path."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest import CONTENT
from tests.serve.conftest import running, seed_copy
from tests.serve.helpers import fetch, first_events

SECRET = "# not-for-the-web-7f3a"
NOTE = CONTENT / "dl-hotpot-faq.txt"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the tests that only read: its project has a zhsite.toml no request may see."""
    project = seed_copy(tmp_path_factory.mktemp("served"))
    (project / "zhsite.toml").write_text(SECRET + "\n", encoding="utf-8")
    with running(project) as handle:
        yield handle


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The same site under a GitHub Pages project path."""
    with running(seed_copy(tmp_path_factory.mktemp("demo")), base_path="/zhsite-demo/") as handle:
        yield handle


@pytest.mark.parametrize(
    "raw",
    [
        "/../zhsite.toml",
        "/%2e%2e/zhsite.toml",
        "/%2E%2E/%2E%2E/zhsite.toml",
        "/p/..%2f..%2fzhsite.toml",
        "/p/%2e%2e%2F%2e%2e%2Fzhsite.toml",
        "/static/../../content/dl-hotpot-faq.txt",
        "/..\\zhsite.toml",
        "/static/..%5c..%5czhsite.toml",
        "/zhsite.toml%00.html",
        "/zhsite.toml",
        "/content/dl-hotpot-faq.txt",
        "//etc/passwd",
        "/p//60692852.html",
        "/%ff",
    ],
)
def test_traversal_gets_404_and_no_file(server, raw):
    status, headers, body = fetch(server.url, raw)
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert SECRET.encode() not in body
    assert NOTE.read_bytes()[:40] not in body
    assert "root:" not in body.decode("utf-8")


def test_missing_page_is_the_sites_404(server):
    status, _, body = fetch(server.url, "/p/0000.html")
    _, _, page = fetch(server.url, "/404.html")
    assert status == 404
    assert body == page  # the site's own 404.html, reload script included


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/p/60692852.html", "text/html; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
    ],
)
def test_content_types(server, raw, kind):
    status, headers, body = fetch(server.url, raw)
    assert (status, headers["Content-Type"]) == (200, kind)
    assert headers["Cache-Control"] == "no-store"
    assert int(headers["Content-Length"]) == len(body)


def test_reload_script_only_in_html(server):
    _, _, page = fetch(server.url, "/p/60692852.html")
    _, _, feed = fetch(server.url, "/feed.xml")
    _, _, css = fetch(server.url, "/static/style.css")
    assert page.count(b'<script id="zhsite-live">') == 1
    assert page.rindex(b'<script id="zhsite-live">') < page.rindex(b"</body>")
    assert b"zhsite-live" not in feed and b"zhsite-live" not in css


def test_head_and_other_methods(server):
    _, got, body = fetch(server.url, "/index.html")
    status, head, head_body = fetch(server.url, "/index.html", "HEAD")
    assert (status, head_body) == (200, b"")
    assert head["Content-Length"] == got["Content-Length"] == str(len(body))
    for method in ("POST", "PUT", "DELETE"):
        status, headers, _ = fetch(server.url, "/index.html", method)
        assert status == 405
        assert headers["Allow"] == "GET, HEAD"


def test_base_path(demo):
    server = demo
    assert urlsplit(server.url).path == "/zhsite-demo/"
    status, headers, index = fetch(server.url, "/zhsite-demo/index.html")
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert fetch(server.url, "/zhsite-demo/")[2] == index
    for outside in ("/", "/zhsite-demo"):
        status, headers, _ = fetch(server.url, outside)
        assert (status, headers["Location"]) == (302, "/zhsite-demo/")
    status, headers, _ = fetch(server.url, "/zhsite-demo/notes")
    assert (status, headers["Location"]) == (302, "/zhsite-demo/notes/")
    assert fetch(server.url, "/index.html")[0] == 404
    assert fetch(server.url, "/zhsite-demo/../index.html")[0] == 404


def test_relative_links_resolve_under_the_base_path(demo):
    server = demo
    checked = set()
    for page in ("/zhsite-demo/index.html", "/zhsite-demo/p/60692852.html", "/zhsite-demo/notes/index.html"):
        soup = BeautifulSoup(fetch(server.url, page)[2], "html.parser")
        for tag in soup.find_all(["a", "link", "img", "script"]):
            target = tag.get("href") or tag.get("src")
            if not target:
                continue
            url = urljoin(urljoin(server.url, page), target).partition("#")[0]
            if urlsplit(url).netloc != urlsplit(server.url).netloc or url in checked:
                continue
            checked.add(url)
            assert urlsplit(url).path.startswith("/zhsite-demo/"), (page, target)
            assert fetch(server.url, urlsplit(url).path)[0] == 200, (page, target)
    assert len(checked) > 20


def test_built_site_has_no_reload_script(seed_site):
    pages = list(seed_site.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_bytes()
        assert b"zhsite-live" not in html and b"__zhsite__" not in html, page


def test_a_stale_page_is_told_to_reload(server):
    assert first_events(server.url, "/__zhsite__/events?v=an-older-site", 1) == [("reload", "")]


def test_a_site_that_never_built_shows_its_errors(serve, tmp_path):
    broken = tmp_path / "broken"
    (broken / "content").mkdir(parents=True)
    (broken / "content" / "column.json").write_text('{"title": "x", "article": [', encoding="utf-8")
    (broken / "zhsite.toml").write_text('title = 3\n', encoding="utf-8")
    server = serve(broken)
    status, _, body = fetch(server.url, "/")
    assert status == 404 and b"zhsite-live" in body
    snapshot = body.split(b"?v=")[1].split(b'"')[0].decode()
    [(event, text)] = first_events(server.url, f"/__zhsite__/events?v={snapshot}", 1)
    assert event == "problem"
    assert "zhsite.toml" in text and "title" in text
