"""The content model (zhsite/model.py): what a body read from the build cache reads, and how often."""
from __future__ import annotations

from zhsite.model import Body, Heading


def test_a_page_showing_a_bodys_contents_list_and_html_reads_its_entry_once():
    # Issue #30: the contents list went to the HTML's entry; a page shows both, and each read is a cache read.
    made = Body.from_html("<h2 id='a'>一</h2><p>正文</p>", (Heading(2, "一", "a"),))
    reads = []

    def fetch():
        reads.append(1)
        return made.held
    body, other = made.apart(), made.apart()
    body.read_by(fetch)
    other.read_by(fetch)
    assert body.toc == made.toc and body.html == made.html
    assert len(reads) == 1
    assert other.html == made.html and body.toc == made.toc
    assert len(reads) == 3, "only the last body read keeps what it read"
