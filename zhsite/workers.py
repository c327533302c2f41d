"""How many processes a stage uses (one per core, when there is enough work to pay for starting them), and
that none of them outlives the build that started it."""
from __future__ import annotations

import multiprocessing
import os
import select
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

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


def process_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes that do not inherit the caller's threads (``serve`` has several, search indexes on one):
    started by the forkserver where there is one, and gone with this process (:func:`exit_with`)."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method), initializer=exit_with, initargs=(os.getpid(),))


def in_order(pool: Executor, calls: Iterable[tuple[Callable[..., T], tuple[Any, ...]]], ahead: int) -> Iterator[T]:
    """Each call's result, in the order of *calls*, with no more than *ahead* sent to *pool* and not yet taken.

    Enough ahead, and no worker waits for the caller to send the next; few enough, and the calls' arguments
    (a chunk's posts, a part's documents) are made only as they are sent, and their results do not pile up.
    """
    waiting: deque[Future[T]] = deque()
    for function, arguments in calls:
        waiting.append(pool.submit(function, *arguments))
        if len(waiting) > ahead:
            yield waiting.popleft().result()
    while waiting:
        yield waiting.popleft().result()


def exit_with(main: int) -> None:
    """Called first in a worker process: it exits as soon as process *main* (the build) has.

    A build killed outright (``kill -9``, the out-of-memory killer) runs no
    cleanup, and its workers would go on rewriting or drawing for nobody,
    holding their memory.  The rewrite's workers are not even its children
    (the forkserver starts them), so the parent's death signal
    (PR_SET_PDEATHSIG) would not reach them: a thread waits on a pidfd of
    the build instead, which becomes readable when it ends, however it ends.
    Without pidfds (not Linux, or before 5.3) a worker finishes its chunk.
    """
    try:
        build = os.pidfd_open(main)
    except ProcessLookupError:  # gone already
        os._exit(1)
    except (AttributeError, OSError):
        return
    threading.Thread(target=_exit_when_readable, args=(build,), name="zhsite-exit-with-build", daemon=True).start()


def _exit_when_readable(pidfd: int) -> None:
    select.select([pidfd], [], [])
    os._exit(1)
