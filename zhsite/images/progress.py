"""The one line a terminal shows while images download: ``images: 120/431 downloaded, 3 failed``.

A first local build of a large archive downloads for minutes; without a sign
of life it looks hung.  Only a terminal gets the line (rewritten in place on
stderr, then cleared); a log, a pipe or CI gets nothing but the closing
summary the CLI prints.
"""
from __future__ import annotations

import sys
from typing import TextIO


class DownloadProgress:
    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.shown = total > 0 and self.stream.isatty()
        self.total = total
        self.downloaded = 0
        self.failed = 0

    def advance(self, ok: bool) -> None:
        """One more picture finished, downloaded or failed."""
        if ok:
            self.downloaded += 1
        else:
            self.failed += 1
        if self.shown:
            self.stream.write(f"\rimages: {self.downloaded}/{self.total} downloaded, {self.failed} failed\x1b[K")
            self.stream.flush()

    def close(self) -> None:
        """Clear the line, so what is printed next starts at the left edge of an empty line."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
