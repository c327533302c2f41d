"""Drawing every page of a large site on every core.

Drawing a page needs the whole model (neighbours, topics, the site's
columns), which only ``fork`` shares for free: a worker started any other way
would first need hundreds of megabytes pickled across.  So on Linux the
pages are split in stripes, one per process; each forked worker draws its
stripe straight into the output (an :class:`~zhsite.output.Output` whose
``forked_workers_may_write``: the staging folder) and reports which files it
put (or the template problem that stopped it).  The workers must be forked
before the build starts any thread, as forking a process with threads is not
safe: :class:`zhsite.build.RenderAndSearch` starts the drawing, then the
search thread.  Elsewhere, into an output in memory, and for small sites, one
process draws everything.  A page is the same bytes whichever process drew it.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from multiprocessing.connection import Connection

from zhsite.output import Output
from zhsite.problems import BuildError
from zhsite.render import Renderer
from zhsite.workers import exit_with


class Drawing:
    """Workers drawing their stripes from construction on; ``finish`` draws the first stripe here and waits.

    Into an output forked workers cannot write into (a site in memory), or
    with one worker, everything is drawn here.  With *busy_here* (this
    process makes the search index meanwhile, on a thread), every stripe is
    a forked worker's: a stripe drawn here would share this process's one
    interpreter lock with the indexing, leaving a core idle for as long.
    """

    def __init__(self, renderer: Renderer, paths: list[str], files: Output, workers: int, busy_here: bool = False) -> None:
        self._renderer = renderer
        self._files = files
        if not files.forked_workers_may_write or sys.platform != "linux":
            workers = 1  # a worker could not hand its files back but through the folder
        stripes = [paths[i::workers] for i in range(workers)]
        if len(stripes) > 1:
            _no_thread_of_ours_runs()
            files.before_forking()
            stripes = [[], *stripes] if busy_here else stripes
        self._mine = stripes[0]
        self._workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
        context = multiprocessing.get_context("fork")
        for stripe in stripes[1:]:
            receive, send = context.Pipe(duplex=False)
            worker = context.Process(target=_draw_stripe, args=(renderer, files, stripe, send, os.getpid()), daemon=True)
            worker.start()
            send.close()
            self._workers.append((worker, receive))

    def finish(self) -> dict[str, list[str]]:
        """Every file drawn and in the staging folder, and the bodies each read; a template problem in any process is raised here."""
        problems = []
        read: dict[str, list[str]] = {}
        try:
            for path in self._mine:
                data, read[path] = self._renderer.draw(path)
                self._files.put(path, data)
        except BuildError as exc:
            problems.append(exc.problem)
        except BaseException:  # a full disk, Ctrl-C: the workers go with this build, not on drawing after it
            self._stop_workers()
            raise
        for worker, receive in self._workers:
            try:
                kind, value = receive.recv()
            except EOFError:
                kind, value = "crash", f"a drawing process stopped (exit status {worker.exitcode})"
            worker.join()
            if kind == "drawn":
                self._files.adopt(list(value))
                read.update(value)
            elif kind == "problem":
                problems.append(value)
            else:
                raise RuntimeError(value)
        if problems:
            raise BuildError(problems[0])
        return read

    def _stop_workers(self) -> None:
        for worker, receive in self._workers:
            worker.terminate()
            worker.join()
            receive.close()


def _no_thread_of_ours_runs() -> None:
    """The rule forking rests on, checked where it forks: no thread of zhsite's (``zhsite-*``: search, serve) runs yet.

    A thread holding a lock when the process forks leaves that lock held for
    ever in the child; zhsite's own threads are the ones that would draw into
    the same model, so their order is the build's to keep (RenderAndSearch).
    """
    running = sorted(t.name for t in threading.enumerate() if t.name.startswith("zhsite-"))
    if running:
        raise RuntimeError(f"drawing workers must be forked before zhsite starts a thread; running: {', '.join(running)}")


def _draw_stripe(renderer: Renderer, files: Output, paths: list[str], send: Connection, build: int) -> None:
    exit_with(build)
    read = {}
    try:
        for path in paths:
            data, read[path] = renderer.draw(path)
            files.put(path, data)
    except BuildError as exc:
        send.send(("problem", exc.problem))
    else:
        send.send(("drawn", read))
    send.close()
