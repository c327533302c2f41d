"""How well zhsite/chinese.py tells scrambled posts from Chinese: recall, precision, false alarms.

Usage: python bench/scrambled.py

The posts are the seeds (content/: 51 articles, 3 notes) and scrambled copies
of them, made the ways Zhihu's anti-crawler garbles an archive (docs/scrambled.md):

- fixed: one substitution among the 3,000 most common characters for every post
  (a crawl served one font throughout);
- per-article: a new substitution for each post;
- some characters: each post with a substitution of a random 1,000 of those
  3,000 characters, the rest left as they are (as in the reports: 要原本行中仙女);
- second half: only the second half of each post's text scrambled;

and ordinary Chinese of other kinds, which must not be flagged: classical
prose, posts that are mostly code with Chinese comments, short passages cut
from the seeds, traditional characters.  "Common" is ranked by how many
word pairs of the detector's table a character is in.  Deterministic: the same
seeds give the same figures.
"""
from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from zhsite.chinese import common_characters, read_text  # noqa: E402
from zhsite.load import load_content  # noqa: E402

_TAG = re.compile(r"(<[^<>]*>)")

CLASSICAL = {
    "论语·学而": "子曰：学而时习之，不亦说乎？有朋自远方来，不亦乐乎？人不知而不愠，不亦君子乎？有子曰：其为人也孝弟，而好犯上者，鲜矣；"
                 "不好犯上，而好作乱者，未之有也。君子务本，本立而道生。孝弟也者，其为仁之本与！子曰：巧言令色，鲜矣仁！"
                 "曾子曰：吾日三省吾身：为人谋而不忠乎？与朋友交而不信乎？传不习乎？",
    "道德经·一二章": "道可道，非常道。名可名，非常名。无名天地之始；有名万物之母。故常无欲，以观其妙；常有欲，以观其徼。此两者，同出而异名，"
                     "同谓之玄。玄之又玄，众妙之门。天下皆知美之为美，斯恶已。皆知善之为善，斯不善已。故有无相生，难易相成，长短相形，"
                     "高下相倾，音声相和，前后相随。",
    "出师表": "先帝创业未半而中道崩殂，今天下三分，益州疲弊，此诚危急存亡之秋也。然侍卫之臣不懈于内，忠志之士忘身于外者，"
              "盖追先帝之殊遇，欲报之于陛下也。诚宜开张圣听，以光先帝遗德，恢弘志士之气，不宜妄自菲薄，引喻失义，以塞忠谏之路也。",
    "桃花源记": "晋太元中，武陵人捕鱼为业。缘溪行，忘路之远近。忽逢桃花林，夹岸数百步，中无杂树，芳草鲜美，落英缤纷。渔人甚异之，"
                "复前行，欲穷其林。林尽水源，便得一山，山有小口，仿佛若有光。便舍船，从口入。初极狭，才通人。复行数十步，豁然开朗。",
    "岳阳楼记": "庆历四年春，滕子京谪守巴陵郡。越明年，政通人和，百废具兴。乃重修岳阳楼，增其旧制，刻唐贤今人诗赋于其上，属予作文以记之。"
                "予观夫巴陵胜状，在洞庭一湖。衔远山，吞长江，浩浩汤汤，横无际涯；朝晖夕阴，气象万千。此则岳阳楼之大观也。",
    "将进酒": "君不见黄河之水天上来，奔流到海不复回。君不见高堂明镜悲白发，朝如青丝暮成雪。人生得意须尽欢，莫使金樽空对月。"
              "天生我材必有用，千金散尽还复来。烹羊宰牛且为乐，会须一饮三百杯。岑夫子，丹丘生，将进酒，杯莫停。与君歌一曲，请君为我倾耳听。",
}
TRADITIONAL = {
    "繁体技术文": "我們這個時代的人，對於機器學習的理解還很膚淺。深度學習之所以會紅起來，是因為資料變多了，運算能力也變強了。"
                  "這篇文章會說明卷積神經網路的基本概念，並且討論為什麼它在影像辨識上表現這麼好。",
}


def seed_posts() -> dict[str, str]:
    """Each seed article's and note's HTML (or Markdown), by title."""
    loaded = load_content(REPO / "content")
    posts = {a.title: a.content for c in loaded.columns for a in c.articles}
    return posts | {n.title: n.content for n in loaded.notes}


def substitution(rng: random.Random, among: list[str]) -> dict[str, str]:
    """A permutation of *among*: what a page's font swaps each character for."""
    shuffled = among[:]
    rng.shuffle(shuffled)
    return dict(zip(among, shuffled, strict=True))


def scramble(html: str, swap: dict[str, str], start: float = 0.0) -> str:
    """*html* with the characters of its text (not its tags) swapped, from the fraction *start* of the text on."""
    parts = _TAG.split(html)
    text_length = sum(len(p) for p in parts if not p.startswith("<"))
    seen, out = 0, []
    for part in parts:
        if part.startswith("<"):
            out.append(part)
            continue
        out.append("".join(swap.get(c, c) if seen + i >= start * text_length else c for i, c in enumerate(part)))
        seen += len(part)
    return "".join(out)


def code_heavy(posts: dict[str, str]) -> dict[str, str]:
    """Posts that are mostly code: a seed's first paragraphs, then Python whose comments are the seed's sentences."""
    out = {}
    for title, text in list(posts.items())[:10]:
        sentences = [s for s in re.split(r"[。！？\n]", _TAG.sub("", text)) if len(s) > 8][:12]
        code = "\n".join(f"    x{i} = conv(x{i - 1}, kernel=3)  # {s}" for i, s in enumerate(sentences, 1))
        out[f"{title} (code)"] = f"<p>{sentences[0]}</p><pre><code>def forward(x0):\n{code}\n    return x{len(sentences)}</code></pre>"
    return out


def short_passages(posts: dict[str, str], length: int = 60) -> dict[str, str]:
    """A passage of *length* characters from the middle of each seed: a short answer or comment."""
    out = {}
    for title, text in posts.items():
        plain = _TAG.sub("", text)
        middle = len(plain) // 2
        out[f"{title} (short)"] = plain[middle:middle + length]
    return out


def flagged(posts: dict[str, str]) -> tuple[int, int, list[str]]:
    """(how many posts, how many flagged, the titles flagged)."""
    hits = [title for title, text in posts.items() if read_text(text).scrambled]
    return len(posts), len(hits), hits


def scrambled_sets(posts: dict[str, str]) -> dict[str, Callable[[], dict[str, str]]]:
    common = list(common_characters(3000))
    fixed = substitution(random.Random(1), common)
    rng = random.Random(2)
    return {
        "fixed substitution": lambda: {t: scramble(h, fixed) for t, h in posts.items()},
        "per-article substitution": lambda: {t: scramble(h, substitution(rng, common)) for t, h in posts.items()},
        "some characters (1,000 of 3,000)": lambda: {t: scramble(h, substitution(rng, rng.sample(common, 1000))) for t, h in posts.items()},
        "second half of each post": lambda: {t: scramble(h, substitution(rng, common), start=0.5) for t, h in posts.items()},
    }


def main() -> None:
    posts = seed_posts()
    print(f"{'posts':40} {'n':>4} {'flagged':>8}  {'recall':>6}")
    caught = total = 0
    for name, make in scrambled_sets(posts).items():
        n, hits, _ = flagged(make())
        caught, total = caught + hits, total + n
        print(f"{'scrambled: ' + name:40} {n:4} {hits:8}  {hits / n:6.3f}")
    alarms = 0
    clean_sets = {"seeds": posts, "classical prose": CLASSICAL, "code-heavy posts": code_heavy(posts),
                  "short passages (60 characters)": short_passages(posts), "traditional characters": TRADITIONAL}
    for name, clean in clean_sets.items():
        n, hits, titles = flagged(clean)
        alarms += hits
        print(f"{'clean: ' + name:40} {n:4} {hits:8}  {'false alarms: ' + ', '.join(titles) if titles else ''}")
    print(f"precision {caught / max(caught + alarms, 1):.3f}, recall {caught / total:.3f} over every scrambled post")


if __name__ == "__main__":
    main()
