"""The default theme as a reader meets it: narrow phones, dark mode, keyboard, print, no network."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest

STYLE = Path(__file__).resolve().parents[2] / "themes" / "default" / "static" / "style.css"
ARTICLE = "p/46566618.html"  # code blocks, link cards, a comment thread, a pager
NARROW_PAGES = [ARTICLE, "p/60692852.html", "index.html", "notes/cv-lecture-notes.html", "notes/dl-hotpot-faq.html", "topics/index.html"]

# Things wider than any phone, as the rewrite passes emit them inside .entry-body.
WIDE_CONTENT = (
    '<math display="block"><mrow>' + "<mi>x</mi><mo>+</mo>" * 80 + "<mi>y</mi></mrow></math>"
    + '<code class="math-fallback math-display">' + r"\unknown{a} + " * 40 + "</code>"
    + '<div class="highlight"><pre><code class="language-text">' + "long_identifier_" * 30 + "</code></pre></div>"
    + "<table><tr>" + "<th>column heading</th>" * 12 + "</tr><tr>" + "<td>cell</td>" * 12 + "</tr></table>"
    + '<p><a href="https://example.com/' + "segment/" * 30 + '">https://example.com/' + "segment/" * 30 + "</a></p>"
    + '<p><span class="image-missing">图片已丢失</span></p>'
)


@contextmanager
def reader(browser, site_url, path, *, width=1280, scheme="light"):
    """A fresh page for one reader: viewport, colour scheme, and no request ever leaves 127.0.0.1."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    try:
        page = context.new_page()
        remote = []
        page.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: (remote.append(route.request), route.abort()))
        page.goto(site_url + path, wait_until="load")
        page.remote_requests = remote
        yield page
    finally:
        context.close()


def rgb(css: str) -> tuple[float, float, float]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def luminance(css: str) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def computed(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, "(el, p) => getComputedStyle(el).getPropertyValue(p)", prop)


def backdrop(page, selector: str) -> str:
    """The colour a reader sees behind *selector*: its own background or the nearest painted ancestor's."""
    return page.eval_on_selector(
        selector,
        """el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
                     if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; }""",
    )


@pytest.mark.parametrize("path", NARROW_PAGES)
def test_no_sideways_scroll_on_a_360px_phone(browser, site_url, path):
    with reader(browser, site_url, path, width=360) as page:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_wide_formulas_code_tables_and_urls_scroll_inside_themselves(browser, site_url):
    with reader(browser, site_url, ARTICLE, width=360) as page:
        page.eval_on_selector(".entry-body", "(body, html) => body.insertAdjacentHTML('afterbegin', html)", WIDE_CONTENT)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        column = page.eval_on_selector(".entry-body", "el => el.getBoundingClientRect().right")
        for selector in ('math[display="block"]', ".math-fallback", ".highlight pre", ".entry-body table"):
            box = page.eval_on_selector(selector, "el => ({right: el.getBoundingClientRect().right, sw: el.scrollWidth, cw: el.clientWidth})")
            assert box["right"] <= column + 0.5, selector
            assert box["sw"] > box["cw"], f"{selector} should scroll within itself"
        assert page.eval_on_selector(".image-missing", "el => getComputedStyle(el).borderTopStyle") == "dashed"


def test_images_never_overflow_the_text_column(browser, site_url):
    with reader(browser, site_url, "p/60692852.html", width=360) as page:
        too_wide = page.evaluate(
            """() => { const col = document.querySelector('.entry-body').getBoundingClientRect().width;
                       return [...document.querySelectorAll('.entry-body img')].filter(i => i.getBoundingClientRect().width > col + 0.5).length; }"""
        )
        assert too_wide == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("path", "selectors"), [
    ("p/81681440.html", ("body", ".entry-body p", ".entry-body p a", ".entry-meta span", ".kicker a", ".site-nav a", ".topic", ".link-card-host")),
    ("notes/cv-lecture-notes.html", (".annotation.mark-red", ".toc a")),
    ("index.html", (".lead", ".stats", ".card-title", ".item-meta time", ".site-footer p")),
])
def test_colour_scheme_follows_the_reader_with_readable_contrast(browser, site_url, scheme, path, selectors):
    with reader(browser, site_url, path, scheme=scheme) as page:
        background = computed(page, "body", "background-color")
        assert (luminance(background) > 0.8) if scheme == "light" else (luminance(background) < 0.05)
        for selector in selectors:
            colour, behind = computed(page, selector, "color"), backdrop(page, selector)
            assert contrast(colour, behind) >= 4.5, (selector, colour, behind)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_red_remarks_in_notes_stay_red(browser, site_url, scheme):
    with reader(browser, site_url, "notes/cv-lecture-notes.html", scheme=scheme) as page:
        red, green, blue = rgb(computed(page, ".annotation.mark-red", "color"))
        assert red > green + 60 and red > blue + 60


def test_body_links_keep_their_underline(browser, site_url):
    with reader(browser, site_url, "p/81681440.html") as page:
        for selector in (".entry-body p a", ".entry-meta .source-link", ".toc a, .entry-body li a, .entry-body p a"):
            assert "underline" in computed(page, selector, "text-decoration-line"), selector


def test_skip_link_appears_only_when_focused(browser, site_url):
    with reader(browser, site_url, ARTICLE) as page:
        box = page.locator(".skip-link").bounding_box()
        assert box["y"] + box["height"] <= 0
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        box = page.locator(".skip-link").bounding_box()
        assert box["y"] >= 0 and box["height"] > 0
        assert computed(page, ".skip-link", "outline-style") != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"


def test_keyboard_focus_is_visible_on_links(browser, site_url):
    with reader(browser, site_url, "index.html") as page:
        for _ in range(3):  # skip link, site title, first nav link
            page.keyboard.press("Tab")
        focused = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()")
        assert focused[0] != "none" and float(focused[1].rstrip("px")) >= 2


def test_print_is_black_on_white_without_site_chrome(browser, site_url):
    with reader(browser, site_url, ARTICLE, scheme="dark") as page:
        page.emulate_media(media="print")
        for selector in (".skip-link", ".site-nav", ".site-footer", ".pager"):
            assert computed(page, selector, "display") == "none", selector
        assert luminance(computed(page, "body", "background-color")) > 0.95
        assert luminance(computed(page, ".entry-body p", "color")) < 0.01


def test_the_stylesheet_fetches_nothing_from_the_network(browser, site_url):
    css = STYLE.read_text(encoding="utf-8")
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    with reader(browser, site_url, "index.html") as page:  # the home page has no hot-linked images
        assert page.evaluate("document.styleSheets.length") >= 2
        assert page.remote_requests == []
    with reader(browser, site_url, ARTICLE) as page:  # an article's only remote requests are its Zhihu images
        assert [r.url for r in page.remote_requests if r.resource_type != "image"] == []
