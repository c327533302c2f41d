"""Untrusted ids and titles never become unsafe file names."""
from __future__ import annotations

import pytest

from zhsite.slug import MAX_LENGTH, safe_name


@pytest.mark.parametrize("name", ["../../etc/passwd", "/abs/path", "a\x00b", "..", ".", "", "   ", "CON", "nul", "x" * 5000, "a/b\\c", "<script>"])
def test_hostile_names_stay_inside_one_folder(name):
    slug = safe_name(name)
    assert slug and "/" not in slug and "\\" not in slug and "\x00" not in slug
    assert not slug.startswith(".") and len(slug) <= MAX_LENGTH
    assert slug.lower() not in {"con", "nul", "prn", "aux"}


def test_readable_names_stay_readable_and_stable():
    assert safe_name("目标检测") == "目标检测"
    assert safe_name("c_1074249022222409728") == "c_1074249022222409728"
    assert safe_name("Deep Learning Notes") == "deep-learning-notes"
    assert safe_name("x" * 5000) == safe_name("x" * 5000) != safe_name("x" * 4999)
