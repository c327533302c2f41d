"""Make zhsite/chinese-bigrams.xz, the table zhsite/chinese.py reads, from jieba's dictionary.

Run at development time only (zhsite does not depend on jieba):

    pip download jieba==0.42.1 --no-deps --no-binary :all: -d /tmp/jieba
    tar xzf /tmp/jieba/jieba-0.42.1.tar.gz -C /tmp/jieba jieba-0.42.1/jieba/dict.txt
    python tools/chinese_bigrams.py /tmp/jieba/jieba-0.42.1/jieba/dict.txt

jieba's dict.txt (MIT licence, Copyright (c) 2013 Sun Junyi) lists 349,046
words of ordinary modern Chinese with their frequencies.  The table keeps only
which two Han characters stand next to each other inside some word of it (about
300,000 pairs): every pair, sorted, written one after the other, below one line
that says where they come from.  The same dictionary gives the same bytes.
"""
from __future__ import annotations

import lzma
import re
import sys
from pathlib import Path

HAN = re.compile(r"[\u4e00-\u9fff]+")
HEADER = "character pairs inside the words of jieba 0.42.1's dict.txt (MIT licence, Copyright (c) 2013 Sun Junyi)\n"


def pairs(dictionary: Path) -> list[str]:
    found = set()
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word = line.split(" ")[0]
        for run in HAN.findall(word):
            found.update(run[i:i + 2] for i in range(len(run) - 1))
    return sorted(found)


def main() -> None:
    table = HEADER + "".join(pairs(Path(sys.argv[1])))
    out = Path(__file__).resolve().parent.parent / "zhsite" / "chinese-bigrams.xz"
    out.write_bytes(lzma.compress(table.encode("utf-8"), preset=9 | lzma.PRESET_EXTREME))
    print(f"{out}: {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
