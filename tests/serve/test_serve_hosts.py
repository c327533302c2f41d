"""serve answers only requests that name it: a page of another site that rebinds its own name to 127.0.0.1
(DNS rebinding) gets 421, never the preview."""
from __future__ import annotations

import http.client
import ipaddress
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from zhsite.serve.server import every_interface_warning


def get(url: str, path: str, host: str | None) -> tuple[int, bytes]:
    """GET *path* with the given Host header (None: none at all, as an HTTP/1.0 tool sends)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "attacker.test.", "localhost.evil.example:{port}", "127.0.0.1.nip.io"])
def test_a_foreign_host_name_gets_421_and_none_of_the_site(serve, project, host):
    server = serve(project)
    port = urlsplit(server.url).port
    status, body = get(server.url, "/index.html", host.format(port=port))
    assert status == 421
    assert b"DNS rebinding" in body and b"<html" not in body.lower()
    assert get(server.url, "/__zhsite__/events", host.format(port=port))[0] == 421, "nor the event stream"


@pytest.mark.parametrize("host", ["localhost", "localhost:{port}", "LOCALHOST:{port}", "127.0.0.1", "127.0.0.1:{port}", "[::1]", "[::1]:{port}", None])
def test_the_names_it_is_bound_to_with_or_without_the_port_are_answered(serve, project, host):
    server = serve(project)
    port = urlsplit(server.url).port
    status, body = get(server.url, "/index.html", host.format(port=port) if host else None)
    assert status == 200
    assert b"<html" in body.lower()


def test_listening_on_every_interface_warns_with_the_address_others_reach_it_at():
    warning = every_interface_warning("0.0.0.0", 8123, "/repo/")
    assert warning.startswith("warning: listening on every network interface (0.0.0.0): anyone who can reach this machine can read the site, at http://")
    address = re.fullmatch(r".* at http://([^:/]+):8123/repo/", warning).group(1)
    assert address != "127.0.0.1"
    try:
        assert not ipaddress.ip_address(address).is_loopback
    except ValueError:
        assert address, "the machine's name when it has no network"


def test_zhsite_serve_run_as_a_user_refuses_a_foreign_host(project):
    server = subprocess.Popen([sys.executable, "-m", "zhsite", "serve", "-s", str(project), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().split()[1]
        port = urlsplit(url).port
        assert get(url, "/index.html", f"rebound.example:{port}")[0] == 421
        assert get(url, "/index.html", f"localhost:{port}")[0] == 200
    finally:
        server.terminate()
        _, err = server.communicate(timeout=60)
    assert "warning: listening on every network interface" not in err, "bound to loopback only"
