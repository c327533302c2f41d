"""``zhsite serve`` from the command line: its options, a busy port, Ctrl-C."""
from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys

from click.testing import CliRunner

from tests.conftest import make_project
from tests.images.server import picture_for
from tests.serve.helpers import fetch
from zhsite.cli import main


def test_help_lists_the_options():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--project", "--host", "--port", "--open", "--base-path", "--poll"):
        assert option in result.output
    assert "Docker" in result.output and "WSL" in result.output


def test_a_port_in_use_is_one_clear_line(project):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "-s", str(project), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == f"error: port {port} on 127.0.0.1 is already in use; stop the other server or choose another with --port\n"


def test_ctrl_c_stops_cleanly(project):
    server = subprocess.Popen(
        [sys.executable, "-m", "zhsite", "serve", "-s", str(project), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell without job control starts background commands with Ctrl-C ignored; a terminal does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        line = server.stdout.readline()
        assert line.startswith("serving http://127.0.0.1:"), line
        url = line.split()[1]
        assert fetch(url, "/index.html")[0] == 200
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0, err
    assert "Traceback" not in err
    assert "stopping" in err


def test_images_local_serves_the_local_copies(tmp_path, image_server):
    """``--images local``, as for build: the page shows the site's own copy, the server has it."""
    column = {"title": "图片", "article": [{"url": "https://zhuanlan.zhihu.com/p/1", "title": "一",
                                          "content": '<p><img src="https://img.example.org/a.png" alt="图"></p>'}]}
    project = make_project(tmp_path, {"col.json": json.dumps(column)}, image_server.config(mode="remote"))
    server = subprocess.Popen([sys.executable, "-m", "zhsite", "serve", "-s", str(project), "--port", "0", "--images", "local"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().split()[1]
        status, _, page = fetch(url, "/p/1.html")
        src = re.search(r'<img src="\.\./(images/[0-9a-f]+\.png)"', page.decode("utf-8"))
        assert status == 200 and src, page
        assert fetch(url, "/" + src[1])[2] == picture_for("/ex/a.png")
    finally:
        server.terminate()
        server.communicate(timeout=60)


def test_offline_with_images_remote_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["serve", "-s", str(tmp_path), "--images", "remote", "--offline"])
    assert result.exit_code == 2 and "--offline needs --images local" in result.output
