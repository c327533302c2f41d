"""One build works everywhere it is published: under a GitHub Pages sub-path and opened from disk.

Chromium crawls every page reachable from the home page and records every
link, stylesheet, script or image inside the site that does not load.
"""
from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest

from tests.browser.conftest import QuietHandler

PREFIX = "/zhsite-demo/"

LINKED = """() => [...document.querySelectorAll('a[href], link[href], img[src], script[src]')]
    .map(e => e.href || e.src)"""


class SubPathHandler(QuietHandler):
    """GitHub Pages for a project site: everything lives under /<repo>/, nothing else exists."""

    def send_head(self):
        if not self.path.startswith(PREFIX):
            self.send_error(404)
            return None
        self.path = "/" + self.path[len(PREFIX):]
        return super().send_head()


@pytest.fixture(scope="module")
def sub_path_url(seed_site):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SubPathHandler, directory=str(seed_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    server.shutdown()
    server.server_close()


def crawl(page, root: str) -> tuple[int, list[str]]:
    """(pages visited, broken references) for every page under *root* reachable from its home page."""
    broken: list[str] = []
    page.route(lambda url: not url.startswith(root), lambda route: route.abort())
    # A picture still loading when the crawl goes on to the next page is cut off (net::ERR_ABORTED), not broken:
    # every reference is fetched on its own below.
    page.on("requestfailed", lambda r: r.url.startswith(root) and r.failure != "net::ERR_ABORTED" and broken.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: r.url.startswith(root) and r.status >= 400 and broken.append(f"{r.url} ({r.status})"))
    queue, seen = [root + "index.html"], {root + "index.html"}
    while queue:
        url = queue.pop()
        page.goto(url, wait_until="load")
        for target in page.evaluate(LINKED):
            target = target.split("#", 1)[0]
            if target.endswith("/"):
                target += "index.html"
            if not target.startswith(root) or target in seen:
                continue
            seen.add(target)
            if target.endswith(".html"):
                queue.append(target)
            else:
                response = page.request.get(target) if root.startswith("http") else page.goto(target)
                if response is None or not response.ok:
                    broken.append(f"{target} (linked from {url})")
    return len([u for u in seen if u.endswith(".html")]), broken


@pytest.mark.parametrize("where", ["sub-path", "file"])
def test_every_page_and_asset_resolves(browser, seed_build, sub_path_url, where):
    root = sub_path_url if where == "sub-path" else seed_build.output.resolve().as_uri() + "/"
    context = browser.new_context()
    visited, broken = crawl(context.new_page(), root)
    context.close()
    assert broken == []
    assert visited >= seed_build.pages - 1  # every page but 404.html, which nothing links
