"""The rebuild thread's idle work (freeing what earlier builds left, zhsite/serve/rebuild.py) comes after a rebuild, once no change follows."""
from __future__ import annotations

import threading

from zhsite.serve.watch import Debouncer


def test_idle_work_follows_a_rebuild_once():
    calls: list[str] = []
    idle = threading.Event()

    def on_idle() -> None:
        calls.append("idle")
        idle.set()

    debouncer = Debouncer(lambda: calls.append("rebuild"), quiet=0.01, idle=on_idle, idle_after=0.05)
    debouncer.start()
    try:
        debouncer.poke()
        assert idle.wait(timeout=30)
        idle.clear()
        debouncer.poke()
        assert idle.wait(timeout=30)
    finally:
        debouncer.stop()
    assert calls == ["rebuild", "idle", "rebuild", "idle"]

