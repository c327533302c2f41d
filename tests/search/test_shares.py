"""A part's routing shares: packed as static/search.js reads them, made afresh as their definition says, and edited in place to those bytes."""
from __future__ import annotations

import random
from array import array
from itertools import pairwise

from tests.test_search import unpacked as read_as_the_browser
from zhsite.search.canonical import bigram_file
from zhsite.search.crossing import shares
from zhsite.search.shares import edited, packed, page_values, share, unpacked, unshared

WORDS = ["卷积", "神经网络", "感受野", "梯度消失", "注意力", "语义分割", "Grad-CAM", "的", "是", "ResNet50"]


def page(rng: random.Random, title: str = "") -> dict:
    """A page's document as shown, of words drawn from a few, so pages share most of their sequences."""
    text = "".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 40)))
    return {"t": title or rng.choice(WORDS), "x": text, "c": "专栏", "a": "作者", "g": [rng.choice(WORDS)]}


def test_packed_data_reads_back_as_the_browser_reads_it():
    rng = random.Random(7)
    for size in [0, 1, 6, 7, 8, 13, 14, 15, 300, 4096]:
        data = bytes(rng.randrange(256) for _ in range(size))
        text = packed(data)
        assert unpacked(text) == data == read_as_the_browser(text.decode("utf-8"))


def test_a_share_unpacks_to_the_postings_it_was_packed_from():
    rng = random.Random(1)
    for _, data in shares([page(rng) for _ in range(60)], 4):
        postings = unshared(data)
        assert postings and all(len(gaps) == len(values) for gaps, values in postings.values())
        assert share(postings) == data


def test_a_part_with_pages_edited_is_the_part_made_afresh_byte_for_byte():
    rng = random.Random(3)
    before = [page(rng) for _ in range(200)]
    for changed in ([0], [199], [5, 77, 150], list(range(0, 200, 9))):
        after = list(before)
        for n in changed:
            after[n] = page(rng, title="全新的标题")  # sequences no page held before, in routing files that may have had none
        values = {n: (page_values(before[n]), page_values(after[n])) for n in changed}
        assert edited(shares(before, 8), 8, values) == shares(after, 8)


def test_a_page_emptied_takes_its_sequences_out_and_a_file_left_empty_goes():
    one = {"t": "", "x": "独角兽", "c": "", "a": "", "g": []}
    empty = {"t": "", "x": "", "c": "", "a": "", "g": []}
    before = shares([one, empty], 16)
    assert before and edited(before, 16, {0: (page_values(one), page_values(empty))}) == shares([empty, empty], 16) == []


def crossed_one_by_one(shown: list[dict], files: int) -> list[tuple[int, bytes]]:
    """The shares as their definition says: each page's sequences and values (page_values), page after page, put
    in their routing file's postings (pages as distances, the first from -1), each file packed by ``share``."""
    postings: dict[int, dict[str, tuple[list[int], bytearray]]] = {}
    for number, doc in enumerate(shown):
        for bigram, value in page_values(doc).items():
            pages, values = postings.setdefault(bigram_file(bigram, files), {}).setdefault(bigram, ([], bytearray()))
            pages.append(number)
            values.append(value)
    return [(n, share({bigram: (array("H", [b - a for a, b in pairwise([-1, *pages])]), values) for bigram, (pages, values) in by_bigram.items()}))
            for n, by_bigram in sorted(postings.items())]


def test_a_part_made_at_once_holds_what_each_page_holds_crossed_one_by_one():
    """shares() counts and sorts every page's sequences as arrays: the bytes are those of the plain definition."""
    rng = random.Random(11)
    often = {"t": "卷积卷积", "x": "卷积" * 100 + "ab" * 70 + "Z9", "c": "专栏", "a": "作者", "g": ["卷积"]}  # counts past the top level
    nothing = {"t": "", "x": "", "c": "", "a": "", "g": []}
    for shown in ([], [nothing], [often, nothing, often], [page(rng) for _ in range(150)] + [often]):
        for files in (1, 8, 256):
            assert shares(shown, files) == crossed_one_by_one(shown, files)
