"""What the routing index keeps of a text, and which routing file a two-character sequence is in.

``static/search.js`` does the same to a query (its ``DROPPED`` and
``fileOf``): the two sides must agree character for character, or a query's
sequences are looked up where the index did not put them.
"""
from __future__ import annotations

import re
from collections import Counter
from operator import add

# What the routing index keeps of the text, lowercased: CJK characters, Latin letters and digits.
DROPPED = re.compile(r"[^a-z0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def normalised(text: str) -> str:
    return DROPPED.sub("", text.lower())


def bigrams(text: str) -> Counter:
    """How often each two-character sequence occurs in the normalised *text*."""
    text = normalised(text)
    return Counter(map(add, text, text[1:]))  # each character and the next, joined in C: the index's inner loop


def bigram_file(bigram: str, files: int) -> int:
    """32-bit FNV-1a of the sequence, modulo *files*: static/search.js computes the same."""
    h = 0x811C9DC5
    for char in bigram:
        h = ((h ^ ord(char)) * 16777619) & 0xFFFFFFFF
    return h % files
