"""How many processes a stage uses: one per core, when there is enough work to pay for starting them."""
from __future__ import annotations

import os

# Below this many items (articles to rewrite, files to draw), a second process costs more than it saves.
PARALLEL_FROM = 400


def workers_for(items: int, requested: int | None = None) -> int:
    """*requested* when given (tests force both ways), else one per core for many items, else one."""
    if requested is not None:
        return max(1, requested)
    return cores() if items >= PARALLEL_FROM else 1


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
