"""Peak memory of builds whose input is one huge thing: the largest process must stay far below the input's multiple.

Usage: python bench/memory.py [--article-mb 5,20,35] [--images 1000000] [--file-gb 5]

Each case is a project in a temporary folder, built cold as a user builds it
(``python -m zhsite build -s P -o OUT`` in a subprocess, no build cache);
the figure is ``wait4``'s ru_maxrss, the largest single process (zhsite or a
worker it waited for), as in bench/scale.py:

Each project is written piece by piece: a child's ru_maxrss counts the
memory of this process at the fork, so this process stays small.

- one article of N MB of random CJK text (UTF-8; paragraphs of 500
  characters), search on;
- one article showing N distinct Zhihu image URLs in ``[images] mode =
  "local"``, offline (the first 5,000 each a placeholder with a warning, no
  network; the rest links to their addresses, with one warning);
- a note showing a sparse file of N GB made with ``truncate`` (no disk used):
  ``video.mp4`` (not an image, left out with a warning) and ``big.png`` (PNG
  magic, then zeros: hashed and copied into the site whole, which does write
  N GB, removed afterwards).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import Run, zhsite_build  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def column(path: Path, content: Iterator[str]) -> None:
    """A column dump of one article whose content is the pieces of *content* (nothing JSON escapes), in the seed
    dump's shape, written piece by piece: the build's ru_maxrss counts this process's memory at the fork too."""
    article = {"url": "https://zhuanlan.zhihu.com/p/1", "userName": "作者", "title": "长文", "content": "CONTENT",
               "topic": "[]", "comments": [], "created": 1700000000}
    head, tail = json.dumps({"title": "专栏", "url": "https://zhuanlan.zhihu.com/c1", "article": [article]},
                            ensure_ascii=False).split("CONTENT")
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        out.writelines(content)
        out.write(tail)


def random_cjk(mb: int) -> Iterator[str]:
    """*mb* megabytes of random CJK characters (3 bytes each in UTF-8) in paragraphs of 500; the same bytes every run."""
    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    rng = random.Random(mb)
    for _ in range(mb * 1_000_000 // 3 // 500):
        yield f"<p>{''.join(rng.choices(chars, k=500))}</p>"


def image_urls(n: int) -> Iterator[str]:
    return (f"<img src='https://pic1.zhimg.com/v2-{i:032x}_r.jpg'>" for i in range(n))  # no '"': nothing JSON escapes


def project(root: Path, files: dict[str, str] | None = None, config: str = "") -> Path:
    (root / "content").mkdir(parents=True)
    for name, text in (files or {}).items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    (root / "zhsite.toml").write_text(config, encoding="utf-8")
    return root


def sparse(path: Path, head: bytes, gb: int) -> None:
    """A file of *gb* GB: *head*, then a hole (``truncate``): no disk used."""
    path.write_bytes(head)
    os.truncate(path, gb * 1024**3)


def measured(name: str, root: Path) -> None:
    built: Run = zhsite_build(root, root / "site")
    warnings = sum(1 for line in built.stderr.splitlines() if "warning" in line)
    print(f"{name:44} {built.seconds:7.1f} s {built.peak_mb:8.0f} MB   ({warnings} warning lines)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--article-mb", default="5,20,35")
    parser.add_argument("--images", type=int, default=1_000_000)
    parser.add_argument("--file-gb", type=int, default=5)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; wall time, peak RSS")
    for mb in [int(s) for s in args.article_mb.split(",") if s]:
        with tempfile.TemporaryDirectory() as tmp:
            root = project(Path(tmp))
            column(root / "content" / "long.json", random_cjk(mb))
            measured(f"one article of {mb} MB random CJK, search on", root)
    if args.images:
        with tempfile.TemporaryDirectory() as tmp:
            root = project(Path(tmp), config='[images]\nmode = "local"\noffline = true\n')
            column(root / "content" / "images.json", image_urls(args.images))
            measured(f"{args.images:,} image URLs, local mode", root)
    if args.file_gb:
        for name, head in (("video.mp4", b"\x00\x00\x00\x18ftypmp42"), ("big.png", PNG)):
            with tempfile.TemporaryDirectory() as tmp:
                root = project(Path(tmp), {"note.md": f"# 笔记\n\n![文件]({name})\n"})
                sparse(root / "content" / name, head, args.file_gb)
                measured(f"a note showing a {args.file_gb} GB sparse {name}", root)


if __name__ == "__main__":
    main()
