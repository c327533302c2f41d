"""Does a post's text read as Chinese?  Tells text Zhihu's anti-crawler scrambled from text a person wrote.

Zhihu answers some requests with text whose characters are swapped for other
common ones, shown right only through the page's own font (docs/scrambled.md).
Every character is then still a common one, but neighbours no longer make
words: in ordinary Chinese about 55-75 % of the pairs of adjacent Han
characters occur inside some word of a dictionary, in scrambled text about 3 %.
The table is every such pair of jieba's dictionary (349,046 words of modern
Chinese, MIT; tools/chinese_bigrams.py made ``chinese-bigrams.xz`` from it,
387 KB): one binary search per pair, all of a post's at once (numpy), so a post is judged in microseconds and
no cache is needed.  bench/scrambled.py measures it.

A text is judged only when it can be: with fewer than :data:`MIN_PAIRS` pairs
(a short comment, a post of code and English) chance decides too much, and
traditional characters or Japanese kana mean a writing the table does not
describe (Zhihu's swaps are among simplified characters); those read as None.
A leaf: imports nothing of zhsite, so the loaders (restoring from a font) and
the step that marks pages both ask it.
"""
from __future__ import annotations

import hashlib
import itertools
import lzma
import operator
import re
from array import array
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where a text is read: a build with nothing to do reads REFERENCE_FONTS alone
    import numpy as np

# Where Linux distributions put Noto Sans CJK (Debian and Ubuntu first: fonts-noto-cjk): the glyphs a scrambled
# page's font is matched against (zhsite/load/fonts.py); a build's inputs, as files outside the project (zhsite/unchanged.py).
REFERENCE_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
)
REFERENCE_FAMILY = "Noto Sans CJK SC"

MIN_PAIRS = 30
# A text is read in stretches of WINDOW pairs, so that a post scrambled only from its middle on is caught:
# below SCRAMBLED_BELOW known pairs in its worst stretch (or in the whole, when shorter) it is scrambled.  The
# seeds' worst stretches read 0.42 and more, classical prose more; scrambled stretches 0.00-0.05, or about 0.2
# with only a third of the common characters swapped (bench/scrambled.py).
WINDOW = 100
SCRAMBLED_BELOW = 0.3
_KANA = re.compile(r"[\u3040-\u30ff]")
# Traditional forms of very common characters, never written in simplified Chinese.
_TRADITIONAL = re.compile("[們這個說為會來時對還過後與學國裡麼開關種樣點當現發經長問無頭動實體進見機氣從業應電]")


@dataclass(frozen=True)
class Reading:
    """How much of a text reads as Chinese: of its *pairs* of adjacent Han characters, how many are *known* in words."""

    pairs: int
    known: int
    worst: float  # the share of known pairs in the stretch of WINDOW pairs that reads worst (the whole, when shorter)
    judged: bool  # enough simplified Chinese to tell

    @property
    def scrambled(self) -> bool:
        return self.judged and self.worst < SCRAMBLED_BELOW


@cache
def _pairs() -> np.ndarray:
    """The table's pairs as sorted ``uint32`` codes (first character << 16 | second): 1.2 MB, read in 0.05 s, where a set of
    300,000 strings took 32 MB and 0.15-0.2 s, which a build editing one post paid to judge it."""
    import numpy as np
    text = lzma.decompress(files("zhsite").joinpath("chinese-bigrams.xz").read_bytes()).decode("utf-8")
    chars = _code_points(text.split("\n", 1)[1])  # below the line naming the source
    return np.sort((chars[0::2] << 16) | chars[1::2])


def _code_points(text: str) -> np.ndarray:
    import numpy as np
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@cache
def common_characters(n: int = 3500) -> tuple[str, ...]:
    """The *n* characters in the most word pairs of the table: those Zhihu's anti-crawler swaps among."""
    import numpy as np
    pairs = _pairs()
    counts = np.bincount(np.concatenate((pairs >> 16, pairs & 0xFFFF)))
    ranked = np.lexsort((np.arange(len(counts)), -counts))  # ties by code point: the same every run
    return tuple(chr(char) for char in ranked[:n] if counts[char])


def read_text(text: str) -> Reading:
    """Judge plain text or HTML (a tag or entity is a break between words: few fall inside one).

    A post's pairs are found and looked up together, in numpy's arrays: about 0.6 ms for a 2,000-pair post.  A text this process
    read before is not read again (a post archived by two crawls, the bench's 10,000 copies of 51 seed articles):
    kept by its SHA-1, up to :data:`READINGS_KEPT` of them.
    """
    key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()
    found = _readings.get(key)
    if found is None:
        if len(_readings) >= READINGS_KEPT:
            _readings.clear()
        found = _readings[key] = _read(text)
    return found


READINGS_KEPT = 20_000  # about 3 MB of readings
_readings: dict[bytes, Reading] = {}


def _read(text: str) -> Reading:
    import numpy as np
    table = _pairs()
    found = bytearray()  # a byte a pair: a list held a pointer each, and its running sums an int object each (20 MB of text: 290 MB)
    han = 0
    for at in range(0, len(text), READ_AT_ONCE):  # a chunk and the next character: a pair across the cut is counted once
        chars = _code_points(text[at:at + READ_AT_ONCE + 1])
        is_han = (chars >= _FIRST_HAN) & (chars <= _LAST_HAN)
        han += int(np.count_nonzero(is_han[:READ_AT_ONCE]))
        both = is_han[:-1] & is_han[1:]
        codes = (chars[:-1][both] << 16) | chars[1:][both]
        found += (table[np.minimum(np.searchsorted(table, codes), len(table) - 1)] == codes).tobytes()
    foreign = len(_TRADITIONAL.findall(text)) * 50 >= han or len(_KANA.findall(text)) * 10 > han
    return Reading(len(found), sum(found), _worst_stretch(found), judged=len(found) >= MIN_PAIRS and not foreign)


# Characters judged at once: their arrays take about 40 bytes a character, so a post of any length is read 40 MB at a time.
READ_AT_ONCE = 1 << 20
_FIRST_HAN, _LAST_HAN = 0x4E00, 0x9FFF  # CJK Unified Ideographs, the Han characters of the table (tools/chinese_bigrams.py)


def _worst_stretch(found: bytearray) -> float:
    """The lowest share of known pairs in any WINDOW pairs in a row (in all of them, when fewer)."""
    window = min(WINDOW, len(found)) or 1
    running = array("q", itertools.accumulate(found, initial=0))
    return min(map(operator.sub, running[window:], running), default=0) / window
