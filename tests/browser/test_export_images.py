"""A Markdown export's own pictures, opened from disk (file://) in headless Chromium: each one shows.

Exporters save a post's pictures beside it; the site must carry its own
copies by relative URL, so a page opened straight from the folder shows them
and asks no other address.
"""
from __future__ import annotations

from tests.browser.conftest import collect_errors
from tests.conftest import make_project
from tests.load.test_exports import EXPORTS
from zhsite.build import build


def test_export_pictures_show_from_file_urls(tmp_path, page):
    root = make_project(tmp_path, EXPORTS["qtqz/zhihu-backup-collect"] | EXPORTS["zimya/zhihu_obsidian"])
    result = build(root, root / "site")
    assert result.problems == []
    errors = collect_errors(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for post in ("p/1301.html", "p/1401.html"):
        page.goto((root / "site" / post).as_uri(), wait_until="load")
        shown = page.evaluate("""async () => {
            const images = [...document.querySelectorAll('.entry-body img, .comments img')];
            for (const img of images) { img.loading = 'eager'; img.scrollIntoView(); }
            await Promise.all(images.map(img => img.decode().catch(() => null)));
            return images.map(img => [img.getAttribute('src'), img.complete && img.naturalWidth > 0]);
        }""")
        assert shown and all(ok for _, ok in shown), shown
    assert errors == []
    assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file://")]
