"""An image server per test, so request counts belong to one test."""
from __future__ import annotations

import pytest

from tests.images.server import ImageServer


@pytest.fixture
def image_server():
    server = ImageServer(slow=2.0).start()
    yield server
    server.stop()
