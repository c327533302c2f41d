"""``zhsite serve`` from the command line: its options, a busy port, Ctrl-C."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys

from click.testing import CliRunner

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
