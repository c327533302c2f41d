"""A reader on a post archived twice with different text finds the older version and what changed (docs/archives.md, Versions)."""
from __future__ import annotations

from tests.browser.conftest import collect_errors, http_served
from tests.conftest import site_built_as_a_user
from tests.test_versions import FILES


def test_the_newest_page_links_the_older_version_which_marks_the_differences(tmp_path, page):
    site, run = site_built_as_a_user(tmp_path, FILES)
    assert run.returncode == 0, run.stderr
    errors = collect_errors(page)
    with http_served(site) as url:
        page.goto(url + "p/5.html")
        notice = page.locator(".notice-versions")
        assert notice.inner_text().startswith("本文有 2 个存档版本")
        notice.get_by_role("link", name="2020-01-02").click()
        page.wait_for_url("**/p/5/v1.html")
        assert page.locator(".diff del").all_inner_texts() == ["原", "直接"]
        assert page.locator(".diff ins").first.inner_text() == "后"
        struck = page.locator(".diff del").first.evaluate("e => getComputedStyle(e).textDecorationLine")
        assert "line-through" in struck
        page.get_by_role("link", name="最新版本").click()
        page.wait_for_url("**/p/5.html")
        assert "委婉" in page.locator(".entry-body").inner_text()
    assert errors == []
