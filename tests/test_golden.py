"""A small project cut from the seeds, built and compared file by file with the site it must give.

Like Pelican's functional tests, the expected site is kept whole in
``tests/golden/expected`` so any change to the output shows up as a diff in
review.  Static assets (the stylesheets) are left out: their looks are tested
in the browser.  After an intended change, regenerate the expected site with

    ZHSITE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and review the diff before committing it.
"""
from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from zhsite.build import build
from zhsite.rewrite.local_images import PLAIN_HTTP

GOLDEN = Path(__file__).resolve().parent / "golden"


def pages(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith("static/")
    }


def test_small_project_builds_to_the_expected_site(tmp_path):
    result = build(GOLDEN / "project", tmp_path / "site")
    # The only problems: the note's four pictures on a host not known to serve https, loaded over plain http.
    assert [(p.file, p.message.split(": ", 1)[0]) for p in result.problems] == [("content/lecture-and-kl-excerpt.md", PLAIN_HTTP)] * 4
    got = pages(tmp_path / "site")
    if os.environ.get("ZHSITE_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN / "expected", ignore_errors=True)
        for name, data in got.items():
            (GOLDEN / "expected" / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / "expected" / name).write_bytes(data)
    expected = pages(GOLDEN / "expected")
    assert sorted(got) == sorted(expected)
    for name in expected:
        if got[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(), got[name].decode().splitlines(), f"expected/{name}", f"built/{name}", lineterm="", n=2
            )
            raise AssertionError("\n".join(list(diff)[:60]))
