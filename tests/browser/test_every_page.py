"""Every page of the seed site on a 360 px phone: no errors, nothing broken, no sideways scroll, accessible.

axe-core (from npm, see package.json) is injected into each page; serious and
critical violations fail the test.
"""
from __future__ import annotations

import pytest

from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def page_paths(site) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    yield context
    context.close()


def test_every_page_on_a_phone(phone, seed_site, site_url):
    axe = AXE.read_text(encoding="utf-8")
    page = phone.new_page()
    # Nothing leaves the site: remote images (offline until downloaded) are refused, and
    # the console lines Chromium logs for those refusals are not the page's errors.
    page.route(lambda url: not url.startswith(site_url), lambda route: route.abort())
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and m.location.get("url", "").startswith(site_url) and errors.append(f"{m.location['url']}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []
    page.on("requestfailed", lambda r: r.url.startswith(site_url) and failed.append(r.url))
    page.on("response", lambda r: r.url.startswith(site_url) and r.status >= 400 and "404.html" not in r.url and failed.append(r.url))
    findings: dict[str, list[str]] = {}
    for path in page_paths(seed_site):
        page.goto(site_url + path, wait_until="load")
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > 360:
            findings.setdefault(path, []).append(f"scrolls sideways: {wide}px")
        page.add_script_tag(content=axe)
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', ')}`)"""
        )
        findings.setdefault(path, []).extend(violations) if violations else None
    assert errors == []
    assert failed == []
    assert {k: v for k, v in findings.items() if v} == {}
