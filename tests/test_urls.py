"""One relative URL for every link the site writes: it must lead to the file it names from any page, at any base."""
from __future__ import annotations

import posixpath
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from zhsite import urls

# Where the same output is published: a domain's root, a GitHub Pages project site, a folder on disk.
BASES = ("http://127.0.0.1:8000/", "https://user.github.io/repo/", "file:///home/读者/存档%20site/")

# File and folder names as they come: URL syntax, spaces, Chinese, and names that look like a scheme.
segment = st.one_of(
    st.sampled_from(["C# 与 50% 的?", "a b", "100%", "?q=1&x", "#top", "c:d", "..x", "图片", "a+b;c,d", "~x", "%E4%B8%8E"]),
    st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/"), min_size=1, max_size=8),
).filter(lambda s: s not in (".", ".."))
site_path = st.lists(segment, min_size=1, max_size=3).map("/".join)
# What the site links to: never a scheme before the first "/" (its files are p/…, notes/…, static/…, index.html).
target_path = site_path.filter(lambda path: ":" not in path.split("/")[0])


def opened(url: str, page: str, base: str) -> str:
    """The site path a browser opens for *url* written on *page*: resolved against the page's own URL, decoded."""
    page_url = urljoin(base, urls.quote_path(page))
    resolved = urlsplit(urljoin(page_url, url))
    assert not resolved.query and not resolved.fragment, f"{url!r} from {page!r} lost part of its path to ?/#"
    return unquote(resolved.path).removeprefix(unquote(urlsplit(base).path))


@given(target=target_path, page=site_path)
def test_every_link_opens_its_target_from_every_page_at_every_base(target, page):
    assume(not page.startswith(target + "/") and not target.startswith(page + "/"))  # a file is no folder
    url = urls.relative(target, page)
    assert not url.startswith("/"), "a link from the site's root would break under /repo/ and file://"
    for base in BASES:
        assert opened(url, page, base) == posixpath.normpath(target)


@pytest.mark.parametrize(
    ("target", "page", "url"),
    [
        ("notes/c-与-50-的.html", "index.html", "notes/c-%E4%B8%8E-50-%E7%9A%84.html"),
        ("images/0123456789abcdef.png", "p/1.html", "../images/0123456789abcdef.png"),
        ("notes/C# 与 50% 的?.html", "notes/index.html", "C%23%20%E4%B8%8E%2050%25%20%E7%9A%84%3F.html"),
        ("static/a:b.png", "static/x.html", "a%3Ab.png"),  # not read as a URL of scheme "a"
        ("index.html", "topics/x.html", "../index.html"),
    ],
)
def test_what_a_page_writes(target, page, url):
    assert urls.relative(target, page) == url


@pytest.mark.parametrize("url", ["https://pic1.zhimg.com/v2-ab_r.jpg", "//pic1.zhimg.com/v2-ab.jpg", "mailto:a@b.c", "data:image/png;base64,AA"])
def test_a_url_of_its_own_is_left_as_it_is(url):
    assert urls.relative(url, "p/1.html") == url == urls.relative(url, "index.html")



@given(target=st.one_of(site_path, st.sampled_from(["", ".", "./a", "a/./b", "a//b", "a/../b", "../a", "/a", "a/", "..x/y"])),
       folder=st.one_of(site_path.map(posixpath.dirname), st.sampled_from([".", "", "a", "a/b", "./a", "a/", "..", "/"])))
def test_a_path_from_a_folder_is_what_relpath_says(target, folder):
    """urls works paths out from their text alone; posixpath.relpath, which it replaces, asked the system each time."""
    try:
        expected = posixpath.relpath(target, folder)
    except ValueError:
        expected = ValueError
    try:
        found = urls._path_from(folder, target)
    except ValueError:
        found = ValueError
    assert found == expected
