"""The build's spill file (zhsite/spill.py): what is kept there reads back the same, in the build and in a forked worker."""
from __future__ import annotations

import hashlib
import os

import pytest

from zhsite.build import gather
from zhsite.config import load_config
from zhsite.model import KEPT_FROM, packed, text_key
from zhsite.session import Session
from zhsite.spill import Spill


def test_what_is_kept_reads_back_the_same_in_any_order_and_from_a_forked_process(tmp_path):
    spill = Spill(tmp_path)
    texts = [f"<p>第{i}篇</p>".encode() * (i * 97 + 1) for i in range(50)]
    readers = [spill.keep(text) for text in texts]
    assert [read() for read in reversed(readers)] == texts[::-1]
    assert list(tmp_path.iterdir()) == [], "an unnamed file: nothing left in the folder, whatever ends the build"
    child = os.fork()
    if child == 0:  # a drawing worker is forked from the build
        os._exit(0 if all(read() == text for read, text in zip(readers, texts, strict=True)) else 1)
    assert os.waitpid(child, 0)[1] == 0


def test_a_closed_spill_reads_nothing_rather_than_another_files_bytes(tmp_path):
    spill = Spill(tmp_path)
    read = spill.keep(b"kept")
    spill.close()
    with pytest.raises(OSError):
        read()
    assert spill.keep(b"other")() == b"other"  # a new file after the close
    with pytest.raises(OSError):
        read()


def test_a_cache_folder_that_is_gone_spills_to_the_systems_temporary_folder(tmp_path):
    spill = Spill(tmp_path / "removed")  # the cache folder removed mid-build
    assert spill.keep(b"kept")() == b"kept"
    assert not (tmp_path / "removed").exists()


def test_a_build_reads_the_posts_html_back_from_its_spill_file_and_holds_only_the_short(seed_project, tmp_path):
    # Issue #30: the posts' HTML as loaded, held from the load to the end of the rewrite, was 540 MB at 100,000 articles.
    config = load_config(seed_project)
    spill = Spill(tmp_path)
    site = gather(seed_project, config, Session(seed_project), spill).site
    held = gather(seed_project, config, Session(seed_project)).site
    assert [a.content for a in site.articles] == [a.content for a in held.articles]
    spill.close()
    read_back, still_held = [], []
    for article in site.articles:
        try:
            article.content  # noqa: B018 - read, or not, once the spill file is closed
            still_held.append(article)
        except OSError:
            read_back.append(article)
    assert len(read_back) >= 40, "nearly every post's HTML waits in the spill file"
    assert all(len(packed(a)) < KEPT_FROM for a in still_held), "only a short one is held"


def test_a_post_in_the_spill_file_is_keyed_by_its_digest_without_being_read_back_and_a_new_text_by_its_own(seed_project, tmp_path):
    # Issue #30: the rewrite's and the scrambled-text check's keys read 10,000 posts back from the spill file, 0.25 s each.
    config = load_config(seed_project)
    spill = Spill(tmp_path)
    site = gather(seed_project, config, Session(seed_project), spill).site
    held = {a.path: a for a in gather(seed_project, config, Session(seed_project)).site.articles}
    spill.close()  # nothing can be read back now
    spilled = [a for a in site.articles if len(text_key(a)) == 32]
    assert len(spilled) >= 40 and all(text_key(a) == hashlib.sha256(packed(held[a.path])).digest() for a in spilled)
    first = spilled[0]
    first.content = "<p>改过的文字</p>"
    assert text_key(first) == packed(first)
