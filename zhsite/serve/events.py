"""Server-Sent Events fan-out: one queue per open page, fed by the rebuild thread.

The rebuild thread must never wait for a slow or vanished browser, so it only
puts messages on queues; each page's request thread writes its own queue to
its own socket.  ``close`` ends every stream, so shutdown never waits on one.
"""
from __future__ import annotations

import json
import queue
import threading

KEEP_ALIVE = b": keep-alive\n\n"


def message(event: str, data: str = "") -> bytes:
    """One SSE message; the data is JSON, which never contains a raw newline."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class Subscription:
    def __init__(self) -> None:
        self._queue: queue.Queue[bytes | None] = queue.Queue()  # None: the stream is over

    def put(self, data: bytes | None) -> None:
        self._queue.put(data)

    def next(self, timeout: float) -> bytes | None:
        """The next message, ``KEEP_ALIVE`` after *timeout* seconds of silence, None once closed."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return KEEP_ALIVE


class Broadcaster:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: set[Subscription] = set()
        self._closed = False

    def subscribe(self) -> Subscription:
        subscription = Subscription()
        with self._lock:
            if self._closed:
                subscription.put(None)
            else:
                self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)

    def send(self, data: bytes) -> None:
        with self._lock:
            for subscription in self._subscriptions:
                subscription.put(data)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for subscription in self._subscriptions:
                subscription.put(None)
            self._subscriptions.clear()
