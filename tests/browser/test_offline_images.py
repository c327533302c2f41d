"""A site built with ``[images] mode = "local"`` in headless Chromium: every picture from the site itself.

The seed column is built against a real image server (its mirrors), then the
site is served from another port; the page must load everything, images
included, from the site's own origin, and never ask any other address.
"""
from __future__ import annotations

import functools
import shutil
import threading
from http.server import ThreadingHTTPServer

import pytest

from tests.browser.conftest import QuietHandler
from tests.conftest import SHALLOW
from tests.images.server import ImageServer
from zhsite.build import build

ARTICLE = "p/60692852.html"  # 浅度学习: YOLO, five figures


def serve(folder):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture(scope="module", params=["downloaded", "offline"])
def local_site(request, tmp_path_factory):
    """The seed column built in local mode: with every image, or offline with an empty cache."""
    root = tmp_path_factory.mktemp(f"offline-images-{request.param}")
    images = ImageServer().start()
    (root / "content").mkdir()
    shutil.copy(SHALLOW, root / "content" / SHALLOW.name)
    (root / "zhsite.toml").write_text(images.config(offline=request.param == "offline"), encoding="utf-8")
    result = build(root, root / "site")
    images.stop()
    site = serve(root / "site")
    yield request.param, result, f"http://127.0.0.1:{site.server_address[1]}/"
    site.shutdown()
    site.server_close()


def test_a_page_loads_only_from_the_site(local_site, page):
    kind, result, url = local_site
    errors: list[str] = []  # as collect_errors, less the browser's own /favicon.ico probe (same origin, not the page's)
    page.on("console", lambda m: m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    failed: list[str] = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(url + ARTICLE, wait_until="load")
    # Lazy images load as they come into view: scroll through the whole article.
    page.evaluate("""async () => {
        for (const img of document.querySelectorAll('img')) { img.loading = 'eager'; img.scrollIntoView(); }
        await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
    }""")
    page.wait_for_load_state("networkidle")
    assert requests and all(r.startswith(url) for r in requests), [r for r in requests if not r.startswith(url)]
    images = page.evaluate("""() => [...document.querySelectorAll('.entry-body img')]
        .map(img => ({src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0}))""")
    holders = page.locator(".entry-body .image-unavailable")
    if kind == "downloaded":
        assert result.images.counts["failed"] == 0
        assert len(images) >= 5 and all(i["loaded"] for i in images), images
        assert any(r.startswith(url + "images/") for r in requests)
        assert holders.count() == 0
    else:
        assert result.images.counts["failed"] > 0 and images == [], "offline, empty cache: placeholders, no broken images"
        assert holders.count() >= 5
        first = holders.first
        assert first.is_visible() and first.inner_text().startswith("图片未能保存")
        box = first.bounding_box()
        assert box["width"] > 100 and box["height"] > 40, "a placeholder the reader sees, in the figure's place"
    assert failed == [] and errors == [], (failed, errors)
