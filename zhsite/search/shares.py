"""A part's share of a routing file (zhsite/search/files.py): made from its pages, packed, and edited in place.

A share lists, for each two-character sequence of the part's pages that its
routing file holds, the pages holding it and a value for each: the count's
level (``LEVELS``) times 2, plus 1 when the title holds the sequence.  Packed
(:func:`share`), it is a third of the same lists as JSON, deflated.

An edit changes a few pages of a part of 1,000.  Making the part's shares
again crosses all its pages with their sequences (most of an edited build's
index time), so :func:`edited` unpacks the part's previous shares instead and
moves only the edited pages' entries: the same bytes as made afresh, which the
tests hold it to.
"""
from __future__ import annotations

import struct
import sys
import zlib
from array import array
from bisect import bisect_left
from itertools import accumulate
from operator import sub

from zhsite.search.canonical import bigram_file, bigrams

# The routing index keeps how often a page holds a sequence as a level, the count's bit length (1; 2-3; 4-7; …),
# up to this one (32 times and more): enough to choose which candidates to check first, and a fifth smaller than
# the counts themselves.  The results are ranked by their exact counts, from their text.
LEVELS = 6
LEVEL = bytes(min(count.bit_length(), LEVELS) * 2 for count in range(64))  # by count, the level times 2
# Each byte's low 7 bits, and its high bit.
LOW_BITS = bytes(b & 127 for b in range(256))
HIGH_BIT = bytes(b >> 7 for b in range(256))
# What a string in a script file cannot hold as it is (NUL, line ends, quote, backslash) or should not ("<": nothing in
# an index file reads as markup).
NOT_AS_IS = (0, 10, 13, 34, 60, 92)

Postings = tuple[array, bytearray]  # a sequence's pages in a part, each as its distance from the page before, and their values
Shares = list[tuple[int, bytes]]  # a part's share of each routing file that has one, by the file's number


def page_values(doc: dict) -> dict[str, int]:
    """Each sequence of a page (its document as shown) and its value in the routing index."""
    values = {bigram: LEVEL[count] if count < len(LEVEL) else LEVELS * 2
              for bigram, count in bigrams("\n".join([doc["t"], doc["x"], doc["c"], doc["a"], *doc["g"]])).items()}
    for bigram in bigrams(doc["t"]):  # each is in the text too
        values[bigram] += 1
    return values


def edited(before: Shares, term_files: int, pages: dict[int, tuple[dict[str, int], dict[str, int]]]) -> Shares:
    """The shares *before* with each page of *pages* (by its number) changed from its old values to its new
    (:func:`page_values`): only the routing files holding one of their sequences are unpacked and packed again."""
    by_file = dict(before)
    for number, sequences in touched(term_files, pages).items():
        postings = unshared(by_file[number]) if number in by_file else {}
        for bigram in sequences:
            _moved(postings, bigram, {page: new.get(bigram) for page, (_, new) in pages.items()})
        if postings:
            by_file[number] = share(postings)
        else:
            del by_file[number]
    return sorted(by_file.items())


def touched(term_files: int, pages: dict[int, tuple[dict[str, int], dict[str, int]]]) -> dict[int, set[str]]:
    """The routing files an edit of *pages* (as for :func:`edited`) changes, each with the sequences whose value it
    changes there (a page holds a sequence now and did not, or no longer, or as many times as another level).  The
    other files' shares stay the same bytes: a typo fixed changes a few sequences, a few of 4,096 files at 100,000 pages."""
    found: dict[int, set[str]] = {}
    for old, new in pages.values():
        for bigram in old.keys() | new.keys():
            if old.get(bigram) != new.get(bigram):
                found.setdefault(bigram_file(bigram, term_files), set()).add(bigram)
    return found


def _moved(postings: dict[str, Postings], bigram: str, now: dict[int, int | None]) -> None:
    """The sequence's entries for the pages in *now* set to their values there (None: the page no longer holds it)."""
    gaps, values = postings.get(bigram, (array("H"), bytearray()))
    pages, values = list(accumulate(gaps, initial=-1)), bytearray(values)  # pages[0]: the -1 the first distance is from
    for page, value in sorted(now.items()):
        at = bisect_left(pages, page, 1)
        if at < len(pages) and pages[at] == page:
            if value is None:
                del pages[at], values[at - 1]
            else:
                values[at - 1] = value
        elif value is not None:
            pages.insert(at, page)
            values.insert(at - 1, value)
    if len(pages) > 1:
        postings[bigram] = (array("H", map(sub, pages[1:], pages[:-1])), values)
    else:
        postings.pop(bigram, None)


def share(postings: dict[str, Postings]) -> bytes:
    """A part's share of a routing file, packed: the numbers of sequences and of postings (32-bit little-endian),
    then 16-bit numbers, each list as its low bytes, then its high bytes (the high bytes, nearly all 0, deflate to
    almost nothing): the sequences' first characters, each as its distance from the one before, their second
    characters, each as its distance from the one before when the first is the same, else as it is, each sequence's
    page count and all the pages' distances; then the values, a byte each.  A third of the JSON's size, deflated."""
    keys = sorted(postings)
    firsts, seconds, counts, gaps, values = array("H"), array("H"), array("H"), array("H"), bytearray()
    before = "\0\0"
    for key in keys:
        firsts.append(ord(key[0]) - ord(before[0]))
        seconds.append(ord(key[1]) - (ord(before[1]) if key[0] == before[0] else 0))
        counts.append(len(postings[key][0]))
        gaps += postings[key][0]
        values += postings[key][1]
        before = key
    return packed(struct.pack("<2I", len(keys), len(gaps)) + b"".join(map(planes, (firsts, seconds, counts, gaps))) + values)


def unshared(data: bytes) -> dict[str, Postings]:
    """What :func:`share` packed into *data*."""
    raw = unpacked(data)
    keys, total = struct.unpack_from("<2I", raw)
    firsts, seconds, counts = (_unplaned(raw[8 + 2 * keys * k:8 + 2 * keys * (k + 1)]) for k in range(3))
    at = 8 + 6 * keys
    gaps, values = _unplaned(raw[at:at + 2 * total]), raw[at + 2 * total:]
    postings, one, two, start = {}, 0, 0, 0
    for first, second, count in zip(firsts, seconds, counts, strict=True):
        one, two = one + first, (two if first == 0 else 0) + second
        postings[chr(one) + chr(two)] = (gaps[start:start + count], bytearray(values[start:start + count]))
        start += count
    return postings


def planes(numbers: array) -> bytes:
    """16-bit *numbers* (an ``array("H")``, or numpy's uint16 in zhsite/search/crossing.py) as their low bytes, then their high bytes."""
    if sys.byteorder == "big":
        numbers = array("H", numbers)
        numbers.byteswap()
    data = numbers.tobytes()
    return data[0::2] + data[1::2]


def _unplaned(data: bytes) -> array:
    """The 16-bit numbers :func:`planes` wrote as *data*."""
    size = len(data) // 2
    joined = bytearray(2 * size)
    joined[0::2], joined[1::2] = data[:size], data[size:]
    numbers = array("H", bytes(joined))
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


def packed(data: bytes) -> bytes:
    """Raw deflate (the browser's ``DecompressionStream("deflate-raw")`` undoes it), 7 bits a character."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return _sevens(deflate.compress(data) + deflate.flush())


def unpacked(text: bytes) -> bytes:
    """What :func:`packed` made *text* of, read back as ``static/search.js`` reads it."""
    for value in NOT_AS_IS:  # their two bytes (U+0100 plus the value, in UTF-8) hold no byte a character is
        text = text.replace(chr(0x100 + value).encode(), bytes([value]))
    size = len(text) - -(-len(text) // 8)  # each 7 bytes of data are 8 characters
    lows, high_bits = text[:size], text[size:]
    bits, ones = int.from_bytes(high_bits, "big"), int.from_bytes(b"\1" * len(high_bits), "big")
    highs = bytearray(7 * len(high_bits))
    for k in range(7):
        highs[k::7] = ((bits >> (6 - k)) & ones).to_bytes(len(high_bits), "big")
    data = int.from_bytes(lows, "big") | int.from_bytes(highs[:size], "big") << 7
    return zlib.decompress(data.to_bytes(size, "big"), wbits=-15)


def _sevens(data: bytes) -> bytes:
    """*data* in a JavaScript string's characters, 7 bits each: every byte's low 7 bits, then their high bits, 7 a
    character.  A character is one byte in the file but the 6 that cannot stand as they are, which are 2 (U+0100
    plus their value): 8 characters for 7 bytes, 1.2 bytes a byte, where base 64 takes 1.33 and base 85 1.25."""
    highs = data.translate(HIGH_BIT) + bytes(-len(data) % 7)
    # The 7 high bits of each character added up at once: each digit of these base-256 numbers is 0 or 1.
    high_bits = sum(int.from_bytes(highs[k::7], "big") << (6 - k) for k in range(7)).to_bytes(len(highs) // 7, "big")
    out = data.translate(LOW_BITS) + high_bits
    for value in NOT_AS_IS:
        out = out.replace(bytes([value]), chr(0x100 + value).encode())
    return out
