"""``zhsite serve``: the site built in memory, served on localhost, rebuilt on change.

Nothing but the build cache is written to disk.  Each build becomes an immutable snapshot that
replaces the previous one in a single assignment, so a request never sees half
of a site; a build with errors keeps the last good snapshot on screen and shows
the errors over it.  Modules, one concern each:

- ``rebuild``: one build in memory, reusing what did not change, every failure turned into problems;
- ``drawn``: the served files, each page drawn on its first request;
- ``indexer``: the search index, made in the background after each build;
- ``snapshot``: the published state and what a new build changes in it;
- ``routes``: a request path → a snapshot key (only keys are ever served);
- ``mime``: content types;
- ``inject``: the live-reload script added to HTML responses;
- ``events``: Server-Sent Events fan-out to open pages;
- ``watch``: file watching and debouncing a burst into one rebuild;
- ``app``: what the request threads share (the published state, the event streams);
- ``handler``: the HTTP request handler;
- ``server``: wiring it together, :func:`start_server`.
"""
from zhsite.serve.server import ServeError, ServerHandle, start_server

__all__ = ["ServeError", "ServerHandle", "start_server"]
