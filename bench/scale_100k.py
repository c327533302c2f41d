"""Issue #30's rows at 100,000 articles in one run, within this machine's memory.

Usage: python bench/scale_100k.py [--n 100000] [--limit-gb 18] [--keep DIR] [--no-hugo]

``bench/scale.py --sizes 100000`` measures every row (template changed,
cold with search off, Hugo's rebuilds: hours) and lets a process take what
memory it asks for.  This takes the issue's rows alone, with bench/scale.py's
own functions: zhsite cold, with nothing changed and with one article
edited (``python -m zhsite build`` in a subprocess, every process's peak),
its index and site bytes and what a first search loads in Chromium; then
Hugo and Pagefind cold on the same articles (bench/archive.py's Hugo site).
Any process of the bench's past --limit-gb of resident memory is killed and
the row says so: Pagefind 1.5 passes 18 GB on 100,000 pages, and on a 23 GB
machine the kernel's out-of-memory killer would otherwise pick a process of
its own choosing.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import (
    TERMS,
    ZHSITE,
    Descendants,
    Rival,
    edit_article,
    first_search,
    folder_size,
    forget,
    make_archive,
    make_hugo_site,
    run,
    save,
    zhsite_build,  # noqa: E402
)


class Limit:
    """Kills any process below this one whose resident memory passes *limit_kb*, and remembers which it killed."""

    def __init__(self, limit_kb: int) -> None:
        self.limit_kb = limit_kb
        self.killed: list[str] = []
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        while True:
            for pid in Descendants._below(os.getpid()):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                    rss = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)[1])
                    if rss > self.limit_kb:
                        name = re.search(r"^Name:\s+(\S+)", status, re.M)[1]
                        os.kill(pid, signal.SIGKILL)
                        self.killed.append(f"{name} killed at {rss / 1024**2:.1f} GB")
                except (OSError, TypeError):  # ended meanwhile
                    continue
            time.sleep(0.5)


def mb(size: tuple[int, int]) -> str:
    return f"{size[0] / 1e6:.1f} MB in {size[1]:,} files"


def measure_zhsite(n: int, work: Path, limit: Limit) -> None:
    project, out = make_archive(n, work / f"zhsite-{n}"), work / f"site-{n}"
    forget(project, out)
    for label, before in (("cold", None), ("no change", None), ("one changed", lambda: save(edit_article(project, 1)))):
        if before:
            before()
        try:
            r = zhsite_build(project, out)
        except SystemExit:  # as in measure_rival
            print(f"zhsite {label}: failed ({'; '.join(limit.killed) or 'see its output'})", flush=True)
            return
        print(f"zhsite {label}: {r.seconds:.1f} s, peak {r.own_mb:.0f} MB own, {r.workers_mb:.0f} MB largest worker", flush=True)
        for line in r.stderr.splitlines():
            if label == "cold" and ("built" in line or "too big" in line):
                print("   ", line, flush=True)
    print(f"zhsite search index: {mb(folder_size(out / 'search'))}; whole site: {mb(folder_size(out))}", flush=True)
    for term in TERMS:
        print(f"zhsite first search for {term}: {first_search(out, ZHSITE, term)}", flush=True)


def measure_rival(n: int, work: Path, rival: Rival, limit: Limit) -> None:
    site, public = make_hugo_site(n, work / f"hugo-{n}"), work / f"hugo-public-{n}"
    for name, cmd in (("Hugo", [str(rival.hugo), "--quiet", "-s", str(site), "-d", str(public)]),
                      ("Pagefind", [str(rival.pagefind), "--site", str(public), "--quiet"])):
        try:
            r = run(cmd)
        except SystemExit:  # run() stops the bench on a failed command: here it is a row
            print(f"{name} cold: failed ({'; '.join(limit.killed) or 'see its output'})", flush=True)
            return
        print(f"{name} cold: {r.seconds:.1f} s, peak {r.peak_mb:.0f} MB", flush=True)
    print(f"Hugo + Pagefind whole site: {mb(folder_size(public))}; Pagefind index: {mb(folder_size(public / 'pagefind'))}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles (default 100,000)")
    parser.add_argument("--limit-gb", type=float, default=18, help="kill a process of the bench past this resident memory")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it, instead of a temporary one")
    parser.add_argument("--no-hugo", action="store_true", help="zhsite alone")
    args = parser.parse_args()
    limit = Limit(int(args.limit_gb * 1024**2))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="zhsite-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        measure_zhsite(args.n, work, limit)
        rival = None if args.no_hugo else Rival.installed()
        if rival:
            measure_rival(args.n, work, rival, limit)


if __name__ == "__main__":
    main()
