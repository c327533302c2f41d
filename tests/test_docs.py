"""The documentation: a short README that links every page of docs/, and `make docs` building those pages with zhsite."""
from __future__ import annotations

import re
import subprocess
import sys

from bs4 import BeautifulSoup

from tests.conftest import REPO

PAGES = sorted(p.name for p in (REPO / "docs").glob("*.md"))


def test_the_readme_is_short_and_links_every_page_of_the_docs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    assert PAGES and sorted(set(re.findall(r"\]\(docs/([\w-]+\.md)\)", readme))) == PAGES


def test_make_docs_builds_every_page_with_its_links_between_pages(tmp_path):
    done = subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", REPO / "tools" / "docs", "-o", tmp_path / "docs"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr and "error" not in done.stderr, done.stderr
    pages = {p.stem for p in (tmp_path / "docs" / "notes").glob("*.html")} - {"index"}
    assert pages == {name.removesuffix(".md") for name in PAGES}
    linked = 0
    for name in pages:
        soup = BeautifulSoup((tmp_path / "docs" / "notes" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        for a in soup.select(".entry-body a[href]"):
            target = a["href"].split("#")[0]
            assert not target.endswith(".md"), (name, a["href"])  # a link to another page's file goes to its page
            if target.endswith(".html") and "//" not in target:
                linked += 1
                assert (tmp_path / "docs" / "notes" / target).is_file(), (name, a["href"])
    assert linked >= 5
