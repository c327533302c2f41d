"""The rewrite stage over a whole site: each article and note once, from the cache or across the cores.

An article's rewritten HTML depends on its own HTML and comments, on the page
it lands on, and on two site-wide maps: which articles are archived (to make
links local) and where local image copies are.  Keying the cache on the
whole maps would make one new article invalidate every page, so a rewrite
instead records the entries of the maps it looked at (:class:`Lookups`), and a
cached result is used only while those entries still say the same.

Misses are rewritten in worker processes when there are enough to pay for
starting them; each result is placed back where its item is, so the output
is the same bytes however the work was split.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, NamedTuple, TypeVar

from zhsite.cache import REWRITTEN, REWRITTEN_HTML, BuildCache, Key
from zhsite.chinese import Reading, read_text
from zhsite.model import Article, Body, Column, Comment, Note, Shown, Site, in_reading_order, notes_by_wikilink, pack, packed_later, text_key, unpack, with_comments
from zhsite.problems import BuildError, Problem
from zhsite.rewrite import RewriteContext, rewrite
from zhsite.workers import in_order, process_pool, workers_for

T = TypeVar("T")
# At most this many items go to a rewrite worker at once: a worker holds its chunk's HTML and results, and the
# build its results until the chunk is done (100,000 articles in 8 chunks: 700 MB a worker).
CHUNK_JOBS = 500
# The chunks shrink to this many as the jobs run out (_chunks).
LAST_CHUNK_JOBS = 10
# Chunks sent to each worker ahead of the one it works on: enough that none waits for the next.
WAITING_CHUNKS = 2
CACHE_LOST = "the build cache lost a page's text"


@dataclass(frozen=True)
class Job:
    """One article (with its comments, in reading order) or note to rewrite, and where it lands.

    The HTML is as the model holds it, packed (zhsite/model.py :class:`~zhsite.model.Packed`): a job holds no
    copy of it, is sent to a worker as a fifth of the bytes, and is unpacked there."""

    page: str
    source: str
    where: str
    content: bytes
    comments: tuple[bytes, ...] = ()
    judged: bool = False  # a post (article or note) whose text is read for scrambling (zhsite/rewrite/scrambled.py)


@dataclass(frozen=True)
class Done:
    body: Body
    comments: tuple[Body, ...]
    problems: tuple[Problem, ...]
    # (map, key, found, value) for every entry of the site-wide maps the rewrite read.
    looked_up: tuple[tuple[str, str, bool, str | None], ...]
    # How a post's HTML as loaded reads as Chinese (zhsite/chinese.py): read with the rewrite, on its cores and cached
    # with it, as a cold build of 10,000 posts read each in turn after it (about 1 ms a post).
    reading: Reading | None = None

    def bodies(self) -> tuple[Body, ...]:
        """The body and its comments', in reading order."""
        return (self.body, *self.comments)

    def apart(self) -> Done:
        """This result with its bodies apart from their HTML (Body.apart), to be read from the cache."""
        return replace(self, body=self.body.apart(), comments=tuple(comment.apart() for comment in self.comments))


class RewrittenHtml:
    """Where what one rewrite's bodies show (:class:`~zhsite.model.Shown`: the HTML, the contents list) is read when a
    page shows one: each body's REWRITTEN_HTML entry, else the rewrite made again.

    Each body has an entry of its own, so a page of 300 comments reads each
    comment's HTML once, not the whole article's for each.  An entry is
    missing only when the cache lost it (a damaged file set aside, another
    build's pruning while ``serve`` still shows the page): the rewrite is a
    pure function of its job and the maps, so making it again gives the same
    bytes, never a page without its text.  A build that lets go of the loaded
    HTML (zhsite/build.py) passes no *job* for the bodies it rewrote itself,
    whose entries it stored moments before: one lost then (the cache folder
    removed mid-build) is an error that stops the build, never a page without its text.  The *job* is made only
    then, its HTML read from the build's spill file (:func:`job_maker`).
    """

    def __init__(self, cache: BuildCache, job: Callable[[], Job] | None, maps: Mapping[str, Mapping[str, str | None] | None],
                 where: tuple[str, str]) -> None:
        self._cache, self._job, self._maps, self._where = cache, job, maps, where

    def give(self, result: Done) -> tuple[Key, ...]:
        """Each body of *result* with no way to its HTML yet (just unpickled) reads it from its entry; every entry is
        kept, and their keys given."""
        keys = []
        for index, body in enumerate(result.bodies()):
            keys.append(html_key(self._cache, body.digest))
            self._cache.use(keys[-1])
            if body.held is None and body.fetch is None:
                body.read_by(partial(self, index, body.digest))  # the digest, not the body: no cycle
        return tuple(keys)

    def __call__(self, index: int, digest: str) -> Shown:
        found = self._cache.get_unheld(html_key(self._cache, digest))
        job = self._the_job() if found is None else None
        if found is None and job is None:
            source, where = self._where
            raise BuildError(Problem(source, where, CACHE_LOST, "the build cache lost the rewritten text while the site was "
                                                                "being built (was its folder removed?); build again"))
        if found is None:
            made = run(job, self._maps["archived"], self._maps["images"], self._maps["files"]).bodies()
            for again in made:  # repaired for the next build (in a drawing worker: for its own pages)
                self._cache.put_unheld(html_key(self._cache, again.digest), again.shown)
            found = made[index].shown
        return found

    def _the_job(self) -> Job | None:
        if self._job is None:
            return None
        try:
            return self._job()
        except OSError:  # the spill file gone (read after its build ended)
            return None


class Lookups(Mapping):
    """A read-only view of one site-wide map that remembers which entries were read."""

    def __init__(self, name: str, mapping: Mapping[str, str | None]) -> None:
        self._name = name
        self._mapping = mapping
        self.seen: dict[str, tuple[bool, str | None]] = {}

    def __getitem__(self, item: str) -> str | None:
        found = item in self._mapping
        self.seen[item] = (found, self._mapping[item] if found else None)
        if not found:
            raise KeyError(item)
        return self._mapping[item]

    def __contains__(self, item: object) -> bool:
        try:
            self[item]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a rewrite pass may look entries up, not list them: the cache records entries, not whole maps")

    def __len__(self) -> int:
        raise TypeError("a rewrite pass may look entries up, not count them: the cache records entries, not whole maps")

    def entries(self) -> list[tuple[str, str, bool, str | None]]:
        return [(self._name, item, found, value) for item, (found, value) in self.seen.items()]


def items_of(site: Site) -> list[Article | Note | Column]:
    """What the rewrite gives a body: every article (and older version), note, and question shown above its answers."""
    return [*site.articles, *site.versions, *site.notes, *(question for question in site.columns if question.detail)]


def job_maker(item: Article | Note | Column) -> Callable[[], Job]:
    """What makes the item's job when called: its HTML read then (from the build's spill file, zhsite/build.py), also
    after the build let go of the item's, so a job is made only for what is rewritten or remade, never held: 100,000
    jobs hold every post's HTML."""
    if isinstance(item, Column):
        return partial(_job, item.path, item.source, _where(item), partial(pack, item.detail))
    text, *comments = map(packed_later, with_comments(item))
    return partial(_job, item.path, item.source, _where(item), text, tuple(comments), judged=True)


def _job(page: str, source: str, where: str, content: Callable[[], bytes], comments: tuple[Callable[[], bytes], ...] = (),
         judged: bool = False) -> Job:
    return Job(page, source, where, content(), tuple(comment() for comment in comments), judged)


def _where(item: Article | Note | Column) -> str:
    """Where in its source file an item's problems are said to be (a note is a file of its own)."""
    if isinstance(item, Article):
        return f"{item.kind} {item.id}"
    return f"question {item.slug}" if isinstance(item, Column) else ""


def rewrite_site(site: Site, images: Mapping[str, str | None] | None = None, cache: BuildCache | None = None, workers: int | None = None,
                 files: Mapping[str, str | None] | None = None, again: bool = True, kept: dict[str, Any] | None = None) -> Rewritten:
    """Fill in every ``body``; *workers* None picks one process per core when the misses are many.

    *images*: remote image URLs -> local copies (None: images stay remote); *files*: image paths on disk -> copies.
    Not *again*: the caller rewrites only once in this process and lets go of the loaded HTML, so the cached results are
    not held once read, and a body rewritten now cannot be made again if its entry is lost (RewrittenHtml).
    *kept*: ``serve``'s things kept from rebuild to rebuild (Session.kept), where each item's result stays for the next.
    """
    archived = {a.archive_key: a.path for a in site.articles} | by_file(site) | by_title(site) | blocks_by_id(site)
    files = files or {}
    maps = {"archived": archived, "images": images, "files": files}
    items = items_of(site)
    before = kept.get(REWRITES_KEPT, {}) if kept is not None else {}
    done, used = _kept_results(items, before, maps, cache)
    todo = [i for i, result in enumerate(done) if result is None]
    makers = [job_maker(items[i]) for i in todo]
    keys = [cache.key(REWRITTEN, key_parts(items[i], images is not None)) for i in todo] if cache is not None else []
    found: list[Done | None] = [_still_good(hit, maps) for hit in cache.get_many(keys, held=again)] if cache is not None else [None] * len(todo)
    misses = [n for n, hit in enumerate(found) if hit is None]
    for n, result in zip(misses, _run_all([makers[n] for n in misses], archived, images, files, workers), strict=True):
        found[n] = _stored(cache, keys[n], result, again) if cache is not None else result
    if cache is not None:  # each body read from the cache when a page shows it
        made_now = set(misses)  # entries an earlier build stored may be damaged on disk: theirs can always be made again
        for n, (i, result) in enumerate(zip(todo, found, strict=True)):
            job = makers[n] if again or n not in made_now else None
            used[i] = (keys[n], *RewrittenHtml(cache, job, maps, (items[i].source, _where(items[i]))).give(result))
    for i, result in zip(todo, found, strict=True):
        done[i] = result
    place_bodies(site, [(items[i], done[i]) for i in todo])
    if kept is not None:
        kept[REWRITES_KEPT] = {id(item): (item, result, used.get(i, ())) for i, (item, result) in enumerate(zip(items, done, strict=True))}
    readings = {item.path: result.reading for item, result in zip(items, done, strict=True) if result.reading is not None}
    return Rewritten([problem for result in done for problem in result.problems], readings)


class Rewritten(NamedTuple):
    """What the rewrite says: its problems, and how each article's and note's text reads as Chinese, by the item's path."""

    problems: list[Problem]
    readings: dict[str, Reading]


REWRITES_KEPT = "rewrites"  # in serve's kept things: each item rewritten, by id: (the item, its result, the cache keys it uses)


def _kept_results(items: list[Article | Note | Column], before: dict[int, tuple], maps: Mapping[str, Mapping[str, str | None] | None],
                  cache: BuildCache | None) -> tuple[list[Done | None], dict[int, tuple[Key, ...]]]:
    """Each item's result from the last rebuild (``serve``), when it is the very item rewritten then, with the same body,
    and every map entry it looked up still says the same; else None.  What a kept result's entries are keyed by is
    noted as used, as if read (serve's trim keeps them).  A save at 10,000 articles made 10,000 keys and looked them up."""
    done: list[Done | None] = []
    used: dict[int, tuple[Key, ...]] = {}
    for i, item in enumerate(items):
        was = before.get(id(item))
        result = was[1] if was is not None and was[0] is item and item.body is was[1].body else None
        done.append(_still_good(result, maps))
        if done[-1] is not None and cache is not None:
            used[i] = was[2]
            for key in was[2]:
                cache.use(key)
    return done, used


def place_bodies(site: Site, done: list[tuple[Article | Note | Column, Done]]) -> None:
    """Each item's body (and its comments'), set on the item while it has none or the same, else on a copy.

    ``serve`` keeps what it loaded from build to build, so an item may be
    shown by the snapshot on screen, or be part of the last good site a
    failed rebuild leaves there: giving it another body in place would change
    those pages under the reader.  An unchanged item comes back from the
    cache with the very same bodies, so only edited items are copied.  A post's
    older versions are made afresh by every assemble (``with_versions``), so they have no body yet.
    """
    copies: dict[int, Article | Note | Column] = {}
    for item, result in done:
        comments = list(in_reading_order(item.comments)) if isinstance(item, Article) else []
        if any(had is not None and had is not body for had, body in
               zip([item.body, *(c.body for c in comments)], [result.body, *result.comments], strict=True)):
            item = copies.setdefault(id(item), _copy(item))
            if isinstance(item, Article):
                item.comments = _copied(item.comments)
                comments = list(in_reading_order(item.comments))
        item.body = result.body
        for comment, body in zip(comments, result.comments, strict=True):
            comment.body = body
    if copies:
        site.columns = [copies.get(id(column), column) for column in site.columns]
        for column in site.columns:
            column.articles = [copies.get(id(article), article) for article in column.articles]
        site.notes = [copies.get(id(note), note) for note in site.notes]


def _copy(item: T) -> T:
    """A shallow copy: copy.copy would go through pickling's protocol (``__reduce_ex__``), every field copied by name."""
    copied = object.__new__(type(item))
    copied.__dict__.update(item.__dict__)
    return copied


def _copied(comments: list[Comment]) -> list[Comment]:
    copies = [_copy(comment) for comment in comments]
    for comment in copies:
        comment.replies = _copied(comment.replies)
    return copies


def by_file(site: Site) -> dict[str, str]:
    """``file:<source>`` -> page, for links to a content file (``[另一篇](other.md)``): a note's, or a post's read from a
    file of its own (a clipper's Markdown, a Joplin note); a file of many posts (a column's JSON) names none of them."""
    posts = Counter(article.source for article in site.articles)
    return {f"file:{a.source}": a.path for a in site.articles if posts[a.source] == 1} | {f"file:{n.source}": n.path for n in reversed(site.notes)}


def by_title(site: Site) -> dict[str, str]:
    """``title:<title>`` and ``name:<file name>`` -> page, for wikilinks (``[[标题]]``).

    Titles repeat (every answer to a question has its title): a note wins over
    an article, an article over an answer, and the first listed among equals.
    """
    found: dict[str, str] = {}
    for kind in ([a for a in site.articles if a.kind == "answer"], [a for a in site.articles if a.kind != "answer"]):
        found |= {f"title:{' '.join(item.title.split())}": item.path for item in reversed(kind)}
    return found | {key: note.path for key, note in notes_by_wikilink(site.notes).items()}


def blocks_by_id(site: Site) -> dict[str, str]:
    """``block:<id>`` → the page and anchor of a block other notes reference by id, ``block-text:<id>`` → its text's HTML."""
    found: dict[str, str] = {}
    for note in reversed(site.notes):
        for block, text in note.blocks:
            found[f"block:{block}"], found[f"block-text:{block}"] = f"{note.path}#{block}", text
    return found


def key_parts(item: Article | Note | Column, local_images: bool) -> tuple[str | bytes, ...]:
    """What a rewrite's cache key is made of: what its job holds, each HTML by its text_key (not read back from the
    spill file), and whether images are local (the maps it reads are checked apart, see _still_good)."""
    texts = (item.detail,) if isinstance(item, Column) else tuple(map(text_key, with_comments(item)))
    return item.path, item.source, _where(item), str(len(texts) - 1), *texts, "local" if local_images else "remote"


def _still_good(result: Done | None, maps: Mapping[str, Mapping[str, str | None] | None]) -> Done | None:
    """A cached rewrite, while every map entry it looked up still says the same (REWRITTEN's check after a hit)."""
    if result is None:
        return None
    for name, item, found, value in result.looked_up:
        mapping = maps[name] or {}
        if (item in mapping, mapping.get(item)) != (found, value):
            return None
    return result


def html_key(cache: BuildCache, digest: str) -> Key:
    """Where a body's HTML and contents list are kept: by the body's digest, so a job that gives another result once
    the maps it read change stores it apart, while ``serve`` may still show a page of the first."""
    return cache.key_by_digest(REWRITTEN_HTML, digest)


def _stored(cache: BuildCache, key: Key, result: Done, held: bool) -> Done:
    """The result in the cache, each body's HTML in an entry of its own that nothing holds: what the build keeps is the
    result apart, and not even that when not *held* (its lookups and problems: 50 MB at 10,000 articles)."""
    for body in result.bodies():
        cache.put_unheld(html_key(cache, body.digest), body.shown)
    kept = result.apart()
    cache.put(key, kept, held=held)
    return kept


def _run_all(jobs: list[Callable[[], Job]], archived: Mapping[str, str], images: Mapping[str, str | None] | None,
             files: Mapping[str, str | None], workers: int | None) -> Iterator[Done]:
    """Each job's result in order, one at a time: the caller stores each as it comes, never holding them all.

    The jobs are made a chunk at a time, and only a few chunks wait for a worker at once: ``pool.map`` takes every
    chunk at the start, and 100,000 jobs hold every post's HTML (540 MB packed).
    """
    workers = workers_for(len(jobs), workers)
    if workers <= 1 or len(jobs) < 2:
        yield from (run(job(), archived, images, files) for job in jobs)
        return
    rewrite_chunk = partial(run_chunk, archived=archived, images=images, files=files)
    with process_pool(workers) as pool:
        chunks = ((rewrite_chunk, ([job() for job in jobs[chunk]],)) for chunk in _chunks(len(jobs), workers))
        for done in in_order(pool, chunks, WAITING_CHUNKS * workers):
            yield from done


def _chunks(count: int, workers: int) -> Iterator[slice]:
    """*count* jobs in chunks of a quarter of each worker's share of those left, from CHUNK_JOBS down to LAST_CHUNK_JOBS:
    the workers end together.  Of equal chunks, the last one of 500 posts kept one core busy for up to 5 s while the
    other had nothing left (10,000 articles); each chunk sends the map of archived pages again, so they are not all small."""
    at = 0
    while at < count:
        size = min(max(-(-(count - at) // (workers * 4)), LAST_CHUNK_JOBS), CHUNK_JOBS)
        yield slice(at, at + size)
        at += size


def run_chunk(jobs: list[Job], archived: Mapping[str, str], images: Mapping[str, str | None] | None,
              files: Mapping[str, str | None]) -> list[Done]:
    return [run(job, archived, images, files) for job in jobs]


def run(job: Job, archived: Mapping[str, str], images: Mapping[str, str | None] | None, files: Mapping[str, str | None]) -> Done:
    """Rewrite one item; its comments report into the article's problems, in reading order."""
    paths = Lookups("archived", archived)
    local = Lookups("images", images) if images is not None else None
    on_disk = Lookups("files", files)
    ctx = RewriteContext(page=job.page, source=job.source, where=job.where, archived=paths, images=local, files=on_disk)
    text = unpack(job.content)
    reading = read_text(text) if job.judged else None
    body = rewrite(text, ctx)
    comments = []
    for content in map(unpack, job.comments):
        comment_ctx = RewriteContext(page=job.page, source=job.source, where=job.where, archived=paths, problems=ctx.problems, images=local,
                                     files=on_disk)
        comments.append(rewrite(content, comment_ctx))
    looked_up = paths.entries() + (local.entries() if local is not None else []) + on_disk.entries()
    return Done(body, tuple(comments), tuple(ctx.problems), tuple(looked_up), reading)
