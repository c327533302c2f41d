"""Time loading and rewriting inputs made to be slow: each must cost a second or two at most.

Usage: python bench/hostile.py [--sizes 80000,200000]
For each input and size, the seconds load_file (decode, sniff, read) and
rewrite take, each measured once in this process (no interpreter start).
"""
from __future__ import annotations

import argparse
import platform
import time

from zhsite.load import Loaded, load_file
from zhsite.rewrite import RewriteContext, rewrite

INPUTS = {
    "one line of [": lambda n: "[" * n,
    "[a]( repeated (note)": lambda n: "笔记\n" + "[a](" * (n // 4),
    "< repeated (note)": lambda n: "笔记\n" + "<" * n,
    "$ repeated (note)": lambda n: "笔记\n" + "$" * n,
    "* run (note)": lambda n: "笔记\n" + "*" * n,
    "_ run (note)": lambda n: "笔记\n" + "_" * n,
    "*a repeated (note)": lambda n: "笔记\n" + "*a" * (n // 2),
    "**a repeated (note)": lambda n: "笔记\n" + "**a" * (n // 3),
    "_a repeated (note)": lambda n: "笔记\n" + "_a" * (n // 2),
    "one line of CJK (note)": lambda n: "笔记\n" + "中文" * (n // 2),
    "[ then text (note)": lambda n: "笔记\n" + "[" * n,
    "blank lines then text": lambda n: "笔记" + "\n" * n + "x",
    "spaces then text": lambda n: "笔记\n" + " " * n + "x",
    "$ then \\a repeated": lambda n: "笔记\n$x" + "\\a" * (n // 2),
    "来源: then one long line": lambda n: "标题\n来源:" + "a " * (n // 2),
    "element with n attributes": lambda n: "<p " + " ".join(f"a{i}" for i in range(n)) + ">x</p>",
    "n attributes with values": lambda n: "<p " + " ".join(f'a{i}="v"' for i in range(n)) + ">x</p>",
    "n/100 elements of 99 attrs": lambda n: ("<p " + " ".join(f"a{i}" for i in range(99)) + ">x</p>") * (n // 100),
    "one tag of n spaces": lambda n: "<p" + " " * n + 'class="x">x</p>',
    "n nested <div>": lambda n: "<div>" * n + "x",
    "n unclosed <a": lambda n: "<a" * n,
}


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="80000,200000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"Python {platform.python_version()} on {platform.machine()}; seconds (load_file, rewrite)")
    for name, make in INPUTS.items():
        cells = []
        for n in sizes:
            text = make(n)
            load = timed(lambda text=text: load_file(text.encode(), "content/x.txt", Loaded()))
            html = timed(lambda text=text: rewrite(text, RewriteContext(page="notes/x.html")))
            cells.append(f"{n:>7,}: {load:6.2f} {html:6.2f}")
        print(f"{name:28} " + "   ".join(cells), flush=True)


if __name__ == "__main__":
    main()
