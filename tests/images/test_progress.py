"""The download progress line: on a terminal only, as a user running ``zhsite images`` sees it."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

from tests.conftest import make_project


def project_with(tmp_path, image_server, *names: str):
    content = "".join(f'<p><img src="https://img.example.org/{name}"></p>' for name in names)
    column = {"title": "图片", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "一", "content": content}]}
    return make_project(tmp_path, {"col.json": json.dumps(column)}, image_server.config(retries=0))


def stderr_on_a_terminal(*args: str, cwd) -> str:
    """Run zhsite with stderr on a pseudo-terminal (stdout on a pipe); what the terminal received."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "zhsite", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    received = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the program has ended and closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(controller)
    process.communicate()
    return received.decode("utf-8")


def test_a_terminal_sees_one_updating_line_then_the_summary(tmp_path, image_server):
    project_with(tmp_path, image_server, "one.png", "two.png", "missing.png")
    shown = stderr_on_a_terminal("images", cwd=tmp_path)
    assert "\rimages: 2/3 downloaded, 1 failed\x1b[K" in shown, repr(shown)
    assert shown.count("\rimages: ") == 3, "one update per picture"
    line_cleared, summary = shown.rsplit("\r\x1b[K", 1)
    assert summary.startswith("images: 3 pictures, 0 found locally, 0 cached, 2 downloaded")
    assert "\n" not in line_cleared, "the progress stays on one line"


def test_a_pipe_sees_only_the_summary(tmp_path, image_server):
    project_with(tmp_path, image_server, "one.png", "missing.png")
    result = subprocess.run([sys.executable, "-m", "zhsite", "images"], cwd=tmp_path, capture_output=True, text=True)
    assert result.stderr.startswith("images: 2 pictures, 0 found locally, 0 cached, 1 downloaded")
    assert "\r" not in result.stderr and "\x1b" not in result.stderr
