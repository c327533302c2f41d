"""A part's routing shares: packed as static/search.js reads them, and edited in place to the bytes made afresh."""
from __future__ import annotations

import random

from tests.test_search import unpacked as read_as_the_browser
from zhsite.search.shares import edited, packed, page_values, share, shares, unpacked, unshared

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
