"""Time `zhsite build` on the seed content, as a user runs it (interpreter start included).

Usage: python bench/run.py [--runs N]
Prints the median and the spread of N cold builds: a copy of this project,
with no output folder and no build cache each time.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def copy_project(dest: Path) -> Path:
    for name in ("content", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "zhsite.toml", dest / "zhsite.toml")
    with (dest / "zhsite.toml").open("a", encoding="utf-8") as config:  # a build's time, not Zhihu's (bench/archive.py)
        config.write('\n[images]\nmode = "remote"\n')
    return dest


def time_cold_build(project: Path) -> float:
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.rmtree(project / ".zhsite-cache", ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(project)], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp))
        times = [time_cold_build(project) for _ in range(args.runs)]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"seed site, cold build ({args.runs} runs): median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s")


if __name__ == "__main__":
    main()
