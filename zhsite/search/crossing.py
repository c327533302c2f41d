"""A part's pages crossed with their sequences: its share of each routing file, made afresh (zhsite/search/files.py).

A part of 1,000 pages holds about 1.4 million (sequence, page) postings.  Put in
their lists one at a time in Python, they were half of a cold build's index work
(docs/speed.md); here each page's sequences are counted, and all the postings
sorted by routing file, sequence and page, as numpy arrays, and
zhsite/search/shares.py's layout is cut from those.  Imported only where a part
is made afresh: an edited build moves its pages in the previous shares instead,
and does not pay for importing numpy.
"""
from __future__ import annotations

import struct
from itertools import pairwise

import numpy as np

from zhsite.search.canonical import normalised
from zhsite.search.shares import LEVEL, Shares, packed, planes

_LEVEL_OF = np.frombuffer(LEVEL, dtype=np.uint8)


def shares(shown: list[dict], term_files: int) -> Shares:
    """The shares of a part whose pages, in order, are *shown*: each page numbered by its place in the part.
    The same bytes as ``share`` of the postings ``page_values`` gives, page after page (tests/search/test_shares.py)."""
    found = [_page_sequences(doc) for doc in shown]
    codes = np.concatenate([np.zeros(0, np.uint32), *(codes for codes, _ in found)])
    values = np.concatenate([np.zeros(0, np.uint8), *(values for _, values in found)])
    pages = np.repeat(np.arange(len(shown), dtype=np.int64), [len(codes) for codes, _ in found])
    files = _file_of(codes, term_files)
    order = np.argsort(files.astype(np.uint64) << 32 | codes, kind="stable")  # stable: pages stay in order
    codes, values, pages, files = codes[order], values[order], pages[order], files[order]
    starts = np.flatnonzero(np.diff(codes, prepend=np.uint32(0)))  # each sequence's first posting (no code is 0)
    counts = np.diff(starts, append=len(codes))
    gaps = np.diff(pages, prepend=-1)
    gaps[starts] = pages[starts] + 1  # each sequence's pages start from -1
    keys, key_files = codes[starts], files[starts]
    firsts, seconds = keys >> 16, keys & 0xFFFF
    opens = np.diff(key_files, prepend=np.uint32(term_files)) != 0  # a file's first sequence follows "\0\0"
    before_first = np.where(opens, 0, np.roll(firsts, 1))
    before_second = np.where(opens, 0, np.roll(seconds, 1))
    by_sequence = (firsts - before_first, np.where(firsts == before_first, seconds - before_second, seconds), counts)
    lists = [numbers.astype(np.uint16) for numbers in (*by_sequence, gaps)]  # every number below 2**16
    out: Shares = []
    posting = [*starts.tolist(), len(codes)]  # where each sequence's postings start, and their end
    for k0, k1 in pairwise([*np.flatnonzero(opens).tolist(), len(keys)]):  # each routing file's sequences
        spans = [(k0, k1)] * len(by_sequence) + [(posting[k0], posting[k1])]
        body = b"".join(planes(numbers[a:b]) for numbers, (a, b) in zip(lists, spans, strict=True))
        counted = struct.pack("<2I", k1 - k0, posting[k1] - posting[k0])
        out.append((int(key_files[k0]), packed(counted + body + values[posting[k0]:posting[k1]].tobytes())))
    return out


def _page_sequences(doc: dict) -> tuple[np.ndarray, np.ndarray]:
    """A page's sequences as codes (first character << 16 | second), in order, and each one's value (zhsite/search/shares.py's ``page_values``)."""
    found, counts = np.unique(_codes("\n".join([doc["t"], doc["x"], doc["c"], doc["a"], *doc["g"]])), return_counts=True)
    values = _LEVEL_OF[np.minimum(counts, len(LEVEL) - 1)]  # the last level is every count from there on
    values[np.isin(found, _codes(doc["t"]))] += 1
    return found, values


def _codes(text: str) -> np.ndarray:
    """Each two-character sequence of the normalised *text* as one number: its characters are all in the BMP."""
    chars = np.frombuffer(normalised(text).encode("utf-16-le"), dtype="<u2").astype(np.uint32)
    return chars[:-1] << 16 | chars[1:]


def _file_of(codes: np.ndarray, files: int) -> np.ndarray:
    """:func:`~zhsite.search.canonical.bigram_file` of each code."""
    h = np.full(len(codes), 0x811C9DC5, dtype=np.uint64)
    for char in (codes >> 16, codes & 0xFFFF):
        h = (h ^ char) * 16777619 & 0xFFFFFFFF
    return (h % files).astype(np.uint32)

