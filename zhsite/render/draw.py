"""Drawing every page of a large site on every core.

Drawing a page needs the whole model (neighbours, topics, the site's
columns), which only ``fork`` shares for free: a worker started any other way
would first need hundreds of megabytes pickled across.  So on Linux the
pages are split in stripes, one per process; each forked worker draws its
stripe straight into the staging folder and reports which files it wrote (or
the template problem that stopped it).  The workers are forked before the
build starts any thread (the search indexing thread starts after), as forking
a process with threads is not safe.  Elsewhere, and for small sites, one
process draws everything.  A page is the same bytes whichever process drew it.
"""
from __future__ import annotations

import multiprocessing
import sys
from collections.abc import MutableMapping
from multiprocessing.connection import Connection

from zhsite.problems import BuildError
from zhsite.render import Renderer
from zhsite.write import StagedFiles


class Drawing:
    """Workers drawing their stripes from construction on; ``finish`` draws the first stripe here and waits.

    Into files that are not a :class:`StagedFiles` (``serve``, tests of
    ``generate``), or with one worker, everything is drawn here.
    """

    def __init__(self, renderer: Renderer, paths: list[str], files: MutableMapping[str, bytes], workers: int) -> None:
        self._renderer = renderer
        self._files = files
        if not isinstance(files, StagedFiles) or sys.platform != "linux":
            workers = 1  # a worker could not hand its files back but through the folder
        stripes = [paths[i::workers] for i in range(workers)]
        self._mine = stripes[0]
        self._workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
        context = multiprocessing.get_context("fork")
        for stripe in stripes[1:]:
            receive, send = context.Pipe(duplex=False)
            worker = context.Process(target=_draw_stripe, args=(renderer, files, stripe, send), daemon=True)
            worker.start()
            send.close()
            self._workers.append((worker, receive))

    def finish(self) -> dict[str, list[str]]:
        """Every file drawn and in the staging folder, and the bodies each read; a template problem in any process is raised here."""
        problems = []
        read: dict[str, list[str]] = {}
        try:
            for path in self._mine:
                self._files[path], read[path] = self._renderer.draw(path)
        except BuildError as exc:
            problems.append(exc.problem)
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


def _draw_stripe(renderer: Renderer, files: StagedFiles, paths: list[str], send: Connection) -> None:
    read = {}
    try:
        for path in paths:
            files[path], read[path] = renderer.draw(path)
    except BuildError as exc:
        send.send(("problem", exc.problem))
    else:
        send.send(("drawn", read))
    send.close()
