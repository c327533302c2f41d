"""Data that used to raise inside a loader: each case is one line naming file and place, and the rest builds.

Each case is a real project holding the broken file beside a good note, built
through the CLI; the "Broken input" table in docs/broken-input.md lists the same lines.
Built all together, no case stops the others.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tests.conftest import make_project
from zhsite.cli import main

GOOD = {"good.md": "# 好笔记\n\n正文\n"}


def column_with(**fields) -> str:
    """A column dump of article 7, with *fields* added to or replacing the article's, written as given."""
    article = {"url": '"https://zhuanlan.zhihu.com/p/7"', "title": '"一篇"', "content": '"<p>正文</p>"', **fields}
    pairs = ", ".join(f'"{key}": {value}' for key, value in article.items())
    return '{"title": "专栏", "article": [{' + pairs + "}]}"


def replies(depth: int) -> list:
    """One comment with a thread of replies *depth* levels deep."""
    thread: list = []
    for level in range(depth, 0, -1):
        thread = [{"userName": f"第{level}层", "content": f"<p>回复第{level}层</p>", "childComments": thread}]
    return thread


def yaml_bomb() -> str:
    """Nine lines of aliases that expand to 9⁹ strings ("billion laughs")."""
    lines = ['a: &a ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "---\n" + "\n".join(lines) + "\ntitle: *i\n---\n正文\n"


# name → (file, the line(s) the build prints for it, exit status, a page of the broken file that is still built)
CASES = {
    "nan.json": (column_with(upvote="NaN"), "content/nan.json:article[0].upvote: error: number ignored: NaN is not a JSON number", 1, "p/7.html"),
    "infinity.json": (column_with(upvote="Infinity"), "content/infinity.json:article[0].upvote: error: number ignored: Infinity is not a JSON number", 1, "p/7.html"),
    "minus-infinity.json": (column_with(upvote="-Infinity"), "content/minus-infinity.json:article[0].upvote: error: number ignored: -Infinity is not a JSON number", 1, "p/7.html"),
    "huge-float.json": (column_with(upvote="1e999"), "content/huge-float.json:article[0].upvote: error: number ignored: 1e999 is out of range", 1, "p/7.html"),
    "huge-number.json": (column_with(upvote="9" * 5000), "content/huge-number.json:article[0].upvote: error: number ignored: a 5000-digit number is out of range", 1, "p/7.html"),
    "huge-id.json": (  # the post is then the same as one with no id
        '{"id": ' + "1" * 5000 + ', "title": "接口文章", "content": "<p>x</p>"}',
        "content/huge-id.json:id: error: number ignored: a 5000-digit number is out of range\ncontent/huge-id.json: error: no id: an API article or answer needs 'id'",
        1, None,
    ),
    "huge-count-text.json": (column_with(upvote='"' + "9" * 5000 + '"'), None, 0, "p/7.html"),
    "surrogate.json": (
        column_with(title=r'"标题\ud800"', userName=r'"作者\udc00"'),
        "warning: text holds a lone UTF-16 surrogate; replaced with U+FFFD (2×): content/surrogate.json:article[0].title, content/surrogate.json:article[0].userName",
        0, "p/7.html",
    ),
    "surrogate-key.json": ('{"title": "专栏", "article": [], "\\ud83d": 1}', "content/surrogate-key.json:\ufffd: warning: key holds a lone UTF-16 surrogate; replaced with U+FFFD", 0, "columns/surrogate-key.html"),
    "surrogate.md": ('---\ntitle: "笔记\\ud800"\ntags: ["标签\\udfff"]\n---\n正文\n', "warning: text holds a lone UTF-16 surrogate; replaced with U+FFFD (2×): content/surrogate.md:2, content/surrogate.md:3", 0, "notes/surrogate.html"),
    "odd-utf16.txt": (b"\xff\xfe" + "笔记".encode("utf-16-le") + b"\x0a", "content/odd-utf16.txt: error: cannot decode: UTF-16 byte-order mark, but an odd number of bytes (7): the last character is cut off", 1, None),
    "broken-utf16.txt": (b"\xff\xfe" + "笔".encode("utf-16-le") + b"\x00\xd8" + "记".encode("utf-16-le"), "content/broken-utf16.txt: error: cannot decode: UTF-16 byte-order mark, but byte 4 is not UTF-16", 1, None),
    "broken-bom.md": (b"\xef\xbb\xbf# t\n\xff\xfe", "content/broken-bom.md: error: cannot decode: UTF-8 byte-order mark, but byte 7 is not UTF-8", 1, None),
    "year-zero.md": ("---\ntitle: 零年\ndate: 0000-01-01\n---\n正文\n", "content/year-zero.md:3: warning: not a date: date '0000-01-01'; the note has none", 0, "notes/year-zero.html"),
    "february-30.md": ("---\ntitle: 二月\ndate: 2024/02/30\n---\n正文\n", "content/february-30.md:3: warning: not a date: date '2024/02/30'; the note has none", 0, "notes/february-30.html"),
    "huge-yaml-number.md": ("---\ntitle: 大数\nweight: " + "7" * 5000 + "\n---\n正文\n", None, 0, "notes/huge-yaml-number.html"),
    "deep-yaml.md": ("---\ntitle: " + "[" * 10_000 + "\n---\n正文\n", "content/deep-yaml.md:2:57: error: front matter does not parse: nested deeper than 50 levels", 1, "notes/deep-yaml.html"),
    "deep-toml.md": ("+++\ntitle = " + "[" * 10_000 + "\n+++\n正文\n", "content/deep-toml.md:1: error: front matter does not parse: nested too deeply", 1, "notes/deep-toml.html"),
    "yaml-bomb.md": (yaml_bomb(), "content/yaml-bomb.md:6:4: error: front matter does not parse: aliases expand to more than 10,000 values", 1, "notes/yaml-bomb.html"),
    "deep-comments.json": (
        json.dumps({"title": "深", "article": [{"url": "https://zhuanlan.zhihu.com/p/8", "title": "深评论", "content": "<p>x</p>", "comments": replies(200)}]}),
        "content/deep-comments.json:article[0] (id 8): warning: comments nested too deep: 200 deep; replies below level 64 are shown at level 64",
        0, "p/8.html",
    ),
}


def build_cli(project) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["build", "-s", str(project)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr.splitlines()


@pytest.mark.parametrize("name", CASES)
def test_broken_data_is_one_line_and_the_rest_builds(tmp_path, name):
    data, line, status, page = CASES[name]
    project = make_project(tmp_path, {name: data, **GOOD})
    exit_code, lines = build_cli(project)
    problems = lines[:-2] if line else lines[:-1]  # then the count of problems, then "built … pages"
    assert sorted(problems) == (sorted(line.split("\n")) if line else [])
    assert exit_code == status
    assert "好笔记" in (project / "site" / "notes" / "good.html").read_text(encoding="utf-8")
    if page:
        assert (project / "site" / page).is_file()


def test_surrogates_become_replacement_characters_on_the_page(tmp_path):
    project = make_project(tmp_path, {"surrogate.json": CASES["surrogate.json"][0]})
    build_cli(project)
    html = (project / "site" / "p" / "7.html").read_text(encoding="utf-8")
    assert "标题\ufffd" in html and "作者\ufffd" in html


def test_a_huge_count_written_as_text_counts_as_none(tmp_path):
    project = make_project(tmp_path, {"count.json": CASES["huge-count-text.json"][0]})
    build_cli(project)
    assert "9" * 100 not in (project / "site" / "p" / "7.html").read_text(encoding="utf-8")


def test_replies_below_the_limit_keep_their_order_at_the_last_level(tmp_path):
    project = make_project(tmp_path, {"deep.json": CASES["deep-comments.json"][0]})
    build_cli(project)
    html = (project / "site" / "p" / "8.html").read_text(encoding="utf-8")
    positions = [html.index(f"回复第{level}层<") for level in (1, 64, 65, 200)]
    assert positions == sorted(positions)
    assert html.count('class="comment-list') == 64


def test_all_together_no_case_stops_the_others(tmp_path):
    """One build of every case, as a user's folder would hold them: each problem's line (--verbose: not grouped), and no traceback."""
    project = make_project(tmp_path, {**{name: data for name, (data, *_) in CASES.items()}, **GOOD})
    result = subprocess.run([sys.executable, "-m", "zhsite", "build", "--verbose"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for _, line, _, _ in CASES.values():
        assert line is None or line.startswith("warning: ") or set(line.split("\n")) <= set(lines)  # a group's line is not --verbose's
    assert (project / "site" / "notes" / "good.html").is_file()
    assert (project / "site" / "notes" / "yaml-bomb.html").is_file()


def test_a_reader_that_raises_costs_its_file_not_the_build(tmp_path, monkeypatch):
    """The last line of defence, for bugs not yet known: so no real input can trigger it, a reader is made to fail."""

    def broken_rendering(lines):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("zhsite.load.plaintext.render_text", broken_rendering)  # inside the plain-text reader
    project = make_project(tmp_path, {"plain.txt": "纯文本\n\n正文\n", **GOOD})
    exit_code, lines = build_cli(project)
    assert lines[0] == "content/plain.txt: error: internal error while reading: ZeroDivisionError: division by zero (a bug in zhsite; the file is skipped)"
    assert exit_code == 1
    assert (project / "site" / "notes" / "good.html").is_file()
