"""Your own archive from zero: `zhsite init`, an export dropped into content/, a build, the site in Chromium."""
from __future__ import annotations

import subprocess
import sys

from tests.browser.conftest import collect_errors, http_served
from tests.load.test_exports import EXPORTS


def test_a_new_project_with_an_export_dropped_in_builds_and_reads(tmp_path, page):
    project = tmp_path / "my-archive"
    created = subprocess.run([sys.executable, "-m", "zhsite", "init", str(project)], capture_output=True, text=True)
    assert created.returncode == 0, created.stderr
    for name, data in EXPORTS["chenluda/zhihu-download"].items():  # the export folder, as the tool wrote it
        path = project / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    built = subprocess.run([sys.executable, "-m", "zhsite", "build"], cwd=project, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "error" not in built.stderr and "warning" not in built.stderr, built.stderr
    failed: list[str] = []  # what the site asks for and does not have (the browser's own /favicon.ico probe aside)
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and failed.append(r.url))
    errors = collect_errors(page)
    with http_served(project / "site") as url:
        page.goto(url, wait_until="load")
        assert page.title().startswith("我的知乎存档")
        page.get_by_role("link", name="深度专栏").first.click()  # the export's folder is its column
        page.get_by_role("link", name="注意力机制").first.click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text() == "注意力机制"
        assert page.get_by_role("link", name="知乎原文").get_attribute("href") == "https://zhuanlan.zhihu.com/p/1001"
        assert "张三" in page.locator("article").first.inner_text()
        picture = page.locator(".entry-body img").first
        picture.scroll_into_view_if_needed()
        assert picture.evaluate("img => img.decode().then(() => img.naturalWidth > 0)")
        page.goto(url + "search.html?q=注意力", wait_until="load")
        page.wait_for_function("document.querySelector('.search-page-results li') !== null")
        assert "注意力机制" in page.locator(".search-page-results").inner_text()
    assert failed == [] and [e for e in errors if "status of 404" not in e] == []  # a 404 is in failed, by its URL
