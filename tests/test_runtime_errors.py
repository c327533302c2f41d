"""Mistakes that show only while drawing or writing: one line naming the template or folder, exit status 1, no traceback."""
from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys

import pytest

from tests.conftest import make_project

GOOD = {"title": "好专栏", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "第一篇", "content": "<p>正文</p>"}]}


def zhsite(*args, cwd):
    return subprocess.run([sys.executable, "-m", "zhsite", *args], cwd=cwd, capture_output=True, text=True)


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


@pytest.mark.parametrize(("line", "message"), [
    ("{{ 1 / 0 }}", "template error: division by zero"),
    ('{{ "%s" | format(1, 2) }}', "template error: not all arguments converted during string formatting"),
    ("{{ column.title.nothing.deeper }}", "template error: 'str object' has no attribute 'nothing'"),
])
def test_a_template_that_raises_while_drawing_is_one_line_naming_template_and_line(tmp_path, line, message):
    make_project(tmp_path, {"col.json": json.dumps(GOOD)})
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "column.html").write_text(f"<h1>{{{{ column.title }}}}</h1>\n{line}\n", encoding="utf-8")
    (tmp_path / "site").mkdir()
    result = zhsite("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [error] = errors(result.stderr)
    assert error.endswith(f"templates/column.html:2: error: {message}")
    assert list((tmp_path / "site").iterdir()) == [], "the failed build wrote nothing"


@pytest.mark.parametrize(("output", "why"), [
    ("/sys/zhsite-site", "Operation not permitted"),  # sysfs: even root cannot make a folder there
    ("/proc/zhsite-site", "No such file or directory"),
    ("a-file/site", "File exists"),  # a file where a folder must be
])
def test_an_output_folder_that_cannot_be_written_is_one_line_naming_it(tmp_path, output, why):
    make_project(tmp_path, {"col.json": json.dumps(GOOD)})
    (tmp_path / "a-file").write_text("mine\n", encoding="utf-8")
    result = zhsite("build", "-o", output, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert errors(result.stderr) == [f"{(tmp_path / output).resolve() if not output.startswith('/') else output}: error: cannot write the site: {why}"]
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "mine\n"


def no_room_past(size: int):
    """As a full disk does to a build, in the build's process only: writing a file past *size* bytes fails
    (EFBIG rather than ENOSPC; the build sees the same OSError in the middle of writing the site)."""
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


def test_a_disk_that_fills_up_midway_is_one_line_and_the_previous_site_stays(tmp_path):
    make_project(tmp_path, {"col.json": json.dumps(GOOD)}, "search = false\n")  # Pagefind would stop on the limit too
    assert zhsite("build", cwd=tmp_path).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    edited = dict(GOOD, article=[dict(GOOD["article"][0], content="<p>" + "改过的正文" * 400 + "</p>")])
    (tmp_path / "content" / "col.json").write_text(json.dumps(edited), encoding="utf-8")  # so pages are written anew
    full = subprocess.run([sys.executable, "-m", "zhsite", "build"], cwd=tmp_path, capture_output=True, text=True,
                          preexec_fn=no_room_past(3000))
    assert full.returncode == 1
    assert "Traceback" not in full.stderr
    [error] = errors(full.stderr)
    assert error.startswith(str(tmp_path / "site") + "/") and error.endswith(": error: cannot write the site: File too large")
    assert {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".zhsite-cache", "content", "site", "zhsite.toml"], "no half-written folder left"
