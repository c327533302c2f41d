"""Time `zhsite build` on the seed content, as a user runs it (interpreter start included).

Usage: python bench/run.py [--runs N]
Prints the median and the spread of N cold builds (fresh output folder each time).
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def time_build(output: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "zhsite", "build", "-s", str(REPO), "-o", str(output)], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = [time_build(Path(tmp) / f"site-{i}") for i in range(args.runs)]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"seed site, cold build ({args.runs} runs): median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s")


if __name__ == "__main__":
    main()
