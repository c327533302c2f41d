"""What a first search loads, counted in headless Chromium: zhsite's search box against Pagefind's default UI.

Each site is served on 127.0.0.1 (a plain static server, files sent as they
are, no compression), its page opened in a fresh browser context (an empty
cache) and left until its network is quiet; then the term is put into the
search box as an input method commits a word, and every request the page makes
from then until the results show and the network is quiet again is counted,
in bytes of the file served.  What the page had loaded of its search code and
index before the typing (zhsite's search.js, Pagefind's UI script) is counted apart.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, http_served  # noqa: E402

# In 25 and 1 of the 51 seed articles: about half the pages of a bench site hold the first, one in 51 the second.
TERMS = ("卷积", "交叉验证")


@dataclass(frozen=True)
class SearchUI:
    """Where a site's search is: the page to open, its box, a result as shown, where its code and index are,
    and which of those files are the index's data (not code: scripts, WebAssembly)."""

    page: str
    box: str
    result: str
    files: tuple[str, ...]  # prefixes of their paths in the site
    data: str  # a pattern their paths match


ZHSITE = SearchUI("index.html", ".site-search input", ".site-search .search-result", ("search/", "static/search.js"), r"^search/")
PAGEFIND = SearchUI("search.html", ".pagefind-ui__search-input", ".pagefind-ui__result", ("pagefind/",),
                    r"\.pf_(meta|index|fragment)$|/pagefind-entry\.json$")


@dataclass(frozen=True)
class Loaded:
    requests: int  # made after typing
    bytes: int  # their files' bytes
    data: int  # of which the index's data
    before: int  # bytes of the search code and index loaded before typing


def first_search(site: Path, ui: SearchUI, term: str) -> Loaded:
    """Type *term* into *ui* on *site* in a fresh Chromium context; what the page fetched for it."""
    from playwright.sync_api import sync_playwright

    with http_served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context().new_page()
            asked: list[str] = []
            page.on("request", lambda request: asked.append(request.url))
            page.goto(url + ui.page, wait_until="networkidle")
            typed = len(asked)
            page.locator(ui.box).fill(term)
            page.locator(ui.result).first.wait_for(timeout=600_000)
            quiet(page, asked)
        finally:
            browser.close()
    files = [served_file(site, url, u) for u in asked]
    before = [f for f in files[:typed] if f is not None and f.relative_to(site).as_posix().startswith(ui.files)]
    after = [f for f in files[typed:] if f is not None]
    data = [f for f in after if re.search(ui.data, f.relative_to(site).as_posix())]
    return Loaded(len(files) - typed, *(sum(f.stat().st_size for f in group) for group in (after, data, before)))


def quiet(page, asked: list[str], seconds: float = 1.0) -> None:
    """Wait until the page has asked for nothing new for *seconds* (results fetch their excerpts after showing)."""
    while True:
        seen = len(asked)
        page.wait_for_timeout(seconds * 1000)
        if len(asked) == seen:
            return


def served_file(site: Path, base: str, url: str) -> Path | None:
    """The file the static server sends for *url*, None for one outside the site or missing."""
    if not url.startswith(base):
        return None
    path = unquote(urlsplit(url).path).lstrip("/")
    file = site / (path + "index.html" if path.endswith("/") or not path else path)
    return file if file.is_file() else None


def main() -> None:
    """Measure built sites: ``python bench/first_search.py ZHSITE_SITE HUGO_PUBLIC`` (either may be ``-``)."""
    for folder, ui in zip(sys.argv[1:3], (ZHSITE, PAGEFIND), strict=False):
        if folder != "-":
            for term in TERMS:
                print(folder, term, first_search(Path(folder), ui, term))


if __name__ == "__main__":
    main()
