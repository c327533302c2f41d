"""A served site whose pages are drawn when a browser first asks for them.

Drawing every page of a large archive takes seconds; drawing the one page a
reader has open takes milliseconds.  So a rebuild publishes
the planned site at once, and each page is rendered on its first request and
kept.  The same :class:`~zhsite.render.Renderer` draws the pages ``zhsite
build`` writes, so they are the same bytes.

The search bundle comes later, from a background thread; until then the
previous site's bundle answers, so search keeps working during a reindex.
"""
from __future__ import annotations

import threading
from collections import ChainMap
from collections.abc import Iterator, Mapping

from zhsite.build import Planned
from zhsite.output import published
from zhsite.problems import BuildError
from zhsite.serve.inject import error_page


class DrawnOnDemand(Mapping[str, bytes]):
    def __init__(self, planned: Planned, search: Mapping[str, bytes] | None = None) -> None:
        self.planned = planned
        self._renderer = planned.renderer
        self._paths = frozenset(planned.renderer.paths)
        self._made = planned.files
        self._files = ChainMap(planned.files, planned.copies)
        self._drawn: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self.search: Mapping[str, bytes] = search or {}

    def probe(self) -> None:
        """Compile every template in use now, so a syntax error keeps the last good site on screen.

        A mistake that only some page's data trips (an undefined attribute)
        shows on that page when it is drawn: drawing one page of each
        template here would cost more than the rest of the rebuild (the
        site feed alone lists every article).
        """
        self._renderer.compile()

    def __getitem__(self, path: str) -> bytes:
        if path in self._made or path in self._paths:
            with self._lock:
                drawn = self._drawn.get(path)
            if drawn is None:
                drawn = self._draw(path)
                with self._lock:
                    drawn = self._drawn.setdefault(path, drawn)
            return drawn
        if path in self._files:  # a picture's copy, read from its file
            return self._files[path]
        return self.search[path]

    def __contains__(self, path: object) -> bool:
        return path in self._files or path in self._paths or path in self.search

    def __iter__(self) -> Iterator[str]:
        yield from self._files
        yield from (path for path in self._renderer.paths if path not in self._files)
        yield from (path for path in self.search if path not in self._files and path not in self._paths)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _draw(self, path: str) -> bytes:
        """A page (or a link preview's script, made now: zhsite/render/links.py), or a theme file as a build puts it:
        an SVG among them as filtered as any other (zhsite/output.py published)."""
        if path in self._made:
            return published(path, self._made[path])
        try:
            return self._renderer.render(path)
        except BuildError as exc:  # a mistake only this page's data trips: the page says so
            return error_page(str(exc.problem))
