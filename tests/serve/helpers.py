"""Raw HTTP, so paths reach the server exactly as written (no client-side normalising of ``..``)."""
from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit


def fetch(url: str, raw_path: str, method: str = "GET") -> tuple[int, http.client.HTTPMessage, bytes]:
    """*raw_path* is sent as the request target, byte for byte."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest(method, raw_path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def first_events(url: str, raw_path: str, count: int) -> list[tuple[str, str]]:
    """The first *count* (event, data) messages of an event stream; comments and retry lines are skipped."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", raw_path)
        response = connection.getresponse()
        messages: list[tuple[str, str]] = []
        event, data = "", ""
        while len(messages) < count:
            line = response.fp.readline().decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data = json.loads(line.removeprefix("data: "))
            elif line == "" and event:
                messages.append((event, data))
                event, data = "", ""
        return messages
    finally:
        connection.close()
