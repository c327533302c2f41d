"""Worker processes die with the build that started them: ``kill -9`` of a build leaves none behind; results come in order, a few calls sent ahead."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import make_project
from zhsite.workers import in_order, process_pool

ARTICLES = 3_000  # enough that the rewrite runs in worker processes (zhsite.workers.PARALLEL_FROM) for seconds


def heavy_column() -> str:
    paragraph = "<p>卷积神经网络 <b>加粗</b> <a href='https://zhuanlan.zhihu.com/p/1'>链接</a> $x^2$</p>" * 40
    articles = [{"url": f"https://zhuanlan.zhihu.com/p/{i}", "title": f"第{i}篇", "content": f"<p>第{i}篇</p>{paragraph}"}
                for i in range(1, ARTICLES + 1)]
    return json.dumps({"title": "大专栏", "article": articles}, ensure_ascii=False)


def parents() -> dict[int, int]:
    """Each live process's parent, from /proc (zombies left out: they hold no memory)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, parent = stat.rpartition(")")[2].split()[:2]
            if state != "Z":
                found[int(entry.name)] = int(parent)
    return found


def descendants(pid: int) -> dict[int, int]:
    """Every process below *pid*, by its depth (1: a child)."""
    tree = parents()
    found: dict[int, int] = {}
    for process in tree:
        depth, above = 1, tree.get(process)
        while above is not None and above != pid and above in tree:
            depth, above = depth + 1, tree.get(above)
        if above == pid:
            found[process] = depth
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def rewriting(seen: dict[int, int]) -> bool:
    """A worker of the rewrite's pool: the forkserver's child."""
    return any(depth >= 2 for depth in seen.values())


def test_kill_9_of_a_build_while_its_workers_rewrite_leaves_no_worker(tmp_path):
    """The pool's workers once waited for more work for ever (~150 MB).  (A drawing worker, forked, stops at
    the latest when its stripe is drawn and it cannot report; since exit_with, at once: not told apart here.)"""
    project = make_project(tmp_path, {"big.json": heavy_column()})
    build = subprocess.Popen([sys.executable, "-m", "zhsite", "build", "-o", "fresh"], cwd=project, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    seen: dict[int, int] = {}
    deadline = time.monotonic() + 300
    while not rewriting(seen):
        assert build.poll() is None, "the build ended before its workers were seen: " + build.stderr.read().decode()
        assert time.monotonic() < deadline, "no worker process seen"
        seen.update(descendants(build.pid))
        time.sleep(0.02)
    seen.update(descendants(build.pid))
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 60
    while any(alive(pid) for pid in seen):
        assert time.monotonic() < deadline, f"still running after their build was killed: {[pid for pid in seen if alive(pid)]}"
        time.sleep(0.1)


def echo_after(n: int, wait: float) -> int:
    time.sleep(wait)
    return n


def test_results_come_in_the_order_of_the_calls_with_few_sent_ahead():
    taken: list[int] = []

    def calls():
        for n in range(12):
            taken.append(n)
            yield echo_after, (n, 0.3 if n % 3 == 0 else 0.0)  # each third call ends after the two behind it

    with process_pool(2) as pool:
        results = in_order(pool, calls(), 2)
        first = next(results)
        assert (first, taken) == (0, [0, 1, 2])  # two sent ahead of the one waited for, no more made
        assert [first, *results] == list(range(12))
