"""The memory of a long build: what glibc keeps of freed memory, given back to the system; Python's cycle collector
kept off what lasts the whole build.

Python's own small objects live in arenas it maps and unmaps itself; what
lxml, nh3 and large buffers (pickles sent to workers and back, a page's
HTML) allocate comes from the C library's heap, which keeps freed blocks
for reuse.  Over a build of 10,000 pages that kept memory added up to tens
of megabytes of the peak (issue #30).  Both calls are glibc's; elsewhere
(macOS, musl, Windows) nothing is done.
"""
from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
# Blocks from this size on are mapped apart and unmapped when freed.  glibc's default starts at 128 KiB and
# rises to the size of the largest such block freed (up to 32 MiB), after which large buffers come from the heap
# and stay there: a fixed threshold keeps them out of it.
LARGE_BLOCK = 256 * 1024


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim, libc.mallopt  # noqa: B018 - both there, or neither is used
    except (OSError, AttributeError, TypeError):  # no such C library functions here
        return None
    return libc


def map_large_blocks_apart() -> None:
    """From now on in this process, a freed large block goes back to the system at once (see LARGE_BLOCK)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK)


def give_back_freed_memory() -> None:
    """The heap freed so far returned to the system (glibc's ``malloc_trim``).

    lxml's trees and nh3's are made of small blocks in the C heap, which C keeps
    once freed; the large strings drawing a page makes are mapped afresh, never
    taken from it, so the two had added up: an article of 10^6 picture links
    kept 1.4 GB of freed heap through its drawing (issue #32; 300,000 links:
    the build's peak 1,044 -> 886 MB).
    """
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@contextmanager
def collector_spares_what_lasts() -> Iterator[None]:
    """Within it, Python's cycle collector is off until :func:`lasts_the_build`, which takes what exists then out of
    its walks and turns it on; after it, all is walked again, so that whatever became garbage in a cycle is
    collected (tests and ``serve`` build in one process).

    Python walks every object it tracks each time those that survived its
    young collections grow by a quarter: while a build loads and rewrites, the
    objects it keeps grow all the time (an edit's build of 100,000 articles
    walked them 33 times, 9.0 of its 53 s; of 10,000, seven times, 0.6 of 4.9 s;
    issue #30).  Loading, rewriting and planning make next to no garbage in
    cycles, and what lasts the build is not walked again; what the drawing and
    the index make is.  The drawing processes forked from a frozen build also leave
    its objects' memory shared rather than writing into each to collect it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def lasts_the_build() -> None:
    """What exists now lives until the build ends (the model, its bodies, its pages): frozen, and the collector on
    again for what is made from now on (the drawing processes forked after it collect their own); see
    :func:`collector_spares_what_lasts`."""
    gc.freeze()
    gc.enable()
