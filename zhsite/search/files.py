"""The index files under ``search/``.

- ``index.js``: how many pages and files there are, and the columns, authors
  and topics the results page offers as filters;
- ``text-N.js``: the pages' text, about ``GROUP_PAGES`` pages a file (a hash
  of the page's path picks it, so an edit rewrites one text file).  A page's
  number is its place in the text files read in order, so the manifest's
  group starts say which text file holds a page;
- ``terms-N.js``: the routing index.  For every two-character sequence of a
  page's normalised text (zhsite/search/canonical.py), the pages holding it,
  with how often and whether in the title; a hash of the sequence picks its
  file.  A query loads the files of its sequences only and intersects them
  into candidates.
"""
from __future__ import annotations

import hashlib
import json

from zhsite.cache import BuildCache, key
from zhsite.search.canonical import bigram_file, bigrams
from zhsite.search.documents import Document, boilerplate

BUNDLE = "search"
MANIFEST = "index.js"
# Pages per text file (about 85 KB of the seeds' text): the box's 8 results load at most 8 of them.
GROUP_PAGES = 10
# Pages per routing file: 10,000 pages give 256 files of about 0.3 MB, one or two of which a term loads.
TERM_PAGES = 40
# Counts in the routing index stop here: enough to rank by.
MOST = 50


def file_count(pages: int, per_file: int) -> int:
    """A power of two: files are split again only when the site doubles, not at every page added."""
    count = 1
    while count * per_file < pages:
        count *= 2
    return count


def groups(documents: list[Document]) -> list[list[Document]]:
    """The documents split by a hash of their path, each group by path: a page stays in its group."""
    count = file_count(len(documents), GROUP_PAGES)
    out: list[list[Document]] = [[] for _ in range(count)]
    for doc in documents:
        out[int(hashlib.sha256(doc.path.encode("utf-8")).hexdigest()[:8], 16) % count].append(doc)
    return [sorted(group, key=lambda d: d.path) for group in out]


def index_files(documents: list[Document], keys: dict[str, str], cache: BuildCache | None) -> dict[str, bytes]:
    """The index files, cached under their file sizes and every page's document key (*keys*, by path) in order:
    a rebuild with no page's search text changed takes them from *cache* (crossing 14 million page-sequence
    pairs at 10,000 articles is most of a no-change build)."""
    index_key = key(("search index", str(GROUP_PAGES), str(TERM_PAGES), *(keys[d.path] for d in documents)))
    found = cache.get(index_key) if cache is not None else None
    if found is None:
        found = _files(documents)
        if cache is not None:
            cache.put(index_key, found)
    return found


def _files(documents: list[Document]) -> dict[str, bytes]:
    """``search/index.js``, ``terms-N.js`` and ``text-N.js``: calls that hand their part to ``static/search.js``."""
    common = boilerplate(documents)
    by_group = groups(documents)
    shown = [[d.json(common) for d in group] for group in by_group]
    starts = [0]
    for group in shown[:-1]:
        starts.append(starts[-1] + len(group))
    term_files = file_count(len(documents), TERM_PAGES)
    postings = _postings([doc for group in shown for doc in group])
    by_file: list[dict[str, list[int]]] = [{} for _ in range(term_files)]
    for bigram in sorted(postings):
        by_file[bigram_file(bigram, term_files)][bigram] = postings[bigram]
    manifest = {
        "pages": len(documents), "starts": starts, "terms": term_files,
        "columns": sorted({d.column for d in documents} - {""}),
        "authors": sorted({d.author for d in documents} - {""}),
        "topics": sorted({t for d in documents for t in d.topics}),
    }
    files = {f"{BUNDLE}/{MANIFEST}": _call("index", manifest)}
    files.update((f"{BUNDLE}/terms-{n}.js", _call("terms", n, found)) for n, found in enumerate(by_file))
    files.update((f"{BUNDLE}/text-{n}.js", _call("text", n, group)) for n, group in enumerate(shown))
    return files


def _postings(shown: list[dict]) -> dict[str, list[int]]:
    """Each sequence's pages, each as its distance from the page before (the first from -1), and its
    value ``min(count, MOST) * 2``, plus 1 when the title holds the sequence.  The most common value, 2
    (once, not in the title), is left out; a page with another value is written negated, its value after it:
    [3, -2, 7] is page 2 (value 2) and page 4 (value 7)."""
    postings: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for number, doc in enumerate(shown):
        title = bigrams(doc["t"])
        found = bigrams("\n".join([doc["t"], doc["x"], doc["c"], doc["a"], *doc["g"]]))
        for bigram, count in found.items():
            distance, value = number - last.get(bigram, -1), min(count, MOST) * 2 + (bigram in title)
            postings.setdefault(bigram, []).extend((distance,) if value == 2 else (-distance, value))
            last[bigram] = number
    return postings


def _json(value: object) -> bytes:
    """JSON with "<" escaped: no text of an archive can read as markup to anything that sniffs the file."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").encode()


def _call(name: str, *arguments: object) -> bytes:
    """``zhsiteSearch.name(…);``."""
    return b"zhsiteSearch.%s(%s);\n" % (name.encode(), b",".join(_json(a) for a in arguments))
