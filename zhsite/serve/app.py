"""What the request threads share, in a module of its own so imports flow one way: server → handler → app."""
from __future__ import annotations

from dataclasses import dataclass

from zhsite.serve.events import Broadcaster
from zhsite.serve.snapshot import Published


@dataclass
class App:
    """What request threads share: the published site and the open pages' event streams."""

    base_path: str
    published: Published
    broadcaster: Broadcaster
