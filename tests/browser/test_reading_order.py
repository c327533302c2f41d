"""The column page read oldest first or newest first without a script (with one: tests/browser/test_reading.py)."""
from __future__ import annotations


def test_column_page_reads_newest_or_oldest_first_without_a_script(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}columns/c_1074249022222409728.html")

    def first_title() -> str:
        return page.evaluate(
            """() => [...document.querySelectorAll('.item-list .item-title')]
                  .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0].textContent"""
        )

    assert first_title() == "Anchor Free第四篇CenterNet: Keypoint Triplets"
    page.click("text=最早在前")
    assert first_title() == '"undefined reference to XXX"问题总结'
    page.click("text=最新在前")
    assert first_title() == "Anchor Free第四篇CenterNet: Keypoint Triplets"
    context.close()
