"""Images that work offline (``[images] mode = "local"``): find, cache or download, then map.

A build phase between load and rewrite, so the rewrite stage stays pure:

1. :func:`~zhsite.images.collect.collect_site` lists every picture the pages
   show (all URLs of one Zhihu picture are one picture, best variant first);
2. each picture is taken from the first place that has it: the configured
   local folders (by file name or Zhihu ``v2-<hash>`` id), the
   content-addressed cache, or (unless offline) a download through the
   mirrors, with bounded concurrency, retries and checks
   (:mod:`zhsite.images.fetch`);
3. every picture that was had becomes ``images/<sha256 prefix>.<ext>`` in the
   site (the same bytes are stored once however many URLs lead to them), and
   :attr:`LocalImages.urls` maps every URL as written to that path, or to None
   when the picture could not be had: the ``use_local_images`` rewrite pass
   then shows a placeholder linking to the original.  A picture whose host
   did not answer (no network) maps to its own URL and keeps it: the page
   shows it while the host is reachable, and a build that reaches the host
   saves it (see :class:`~zhsite.images.fetch.Fetcher`).
"""
from __future__ import annotations

import os
import posixpath
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from zhsite.cache import BuildCache
from zhsite.config import Config, ImagesConfig, cache_path
from zhsite.images.cache import CheckedFiles, ImageCache, Stored, extension
from zhsite.images.collect import Collected, Picture, collect_site, variant_rank, zhihu_id
from zhsite.images.fetch import Fetcher, FetchError
from zhsite.images.progress import DownloadProgress
from zhsite.images.report import Missing
from zhsite.load.mhtml import saved_pictures
from zhsite.load.names import on_disk
from zhsite.load.webarchive import SUFFIX as WEB_ARCHIVE
from zhsite.load.webarchive import archived_pictures
from zhsite.model import Site
from zhsite.pictures import IMAGE_NOT_SAVED, absolute
from zhsite.problems import Problem, printable
from zhsite.svg import UnsafeSvg, read_svg, without_script

OUTPUT_FOLDER = "images"
ATTACHMENTS_FOLDER = "files"
_HASH_CHARS = 16  # 64 bits of SHA-256 in the file name; a clash would need ~4 billion images

LOCAL, CACHED, DOWNLOADED, FAILED, REMOTE = "found locally", "cached", "downloaded", "failed", "kept remote"
OUTCOMES = (LOCAL, CACHED, DOWNLOADED, FAILED, REMOTE)


def output_path(digest: str, ext: str) -> str:
    """Where a picture goes in the site: named by its bytes, so the same picture is one file however it was found."""
    return f"{OUTPUT_FOLDER}/{digest[:_HASH_CHARS]}.{ext}"


def attachment_path(digest: str, name: str) -> str:
    """Where a file a note links to goes (zhsite/images/files.py): in a folder named by its bytes, under its own name,
    which a reader's download keeps."""
    return f"{ATTACHMENTS_FOLDER}/{digest[:_HASH_CHARS]}/{name}"


def _size(count: int) -> str:
    for unit in ("bytes", "KiB", "MiB"):
        if count < 1024 or unit == "MiB":
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return ""


@dataclass
class ImageSummary:
    """What the image phase did, for the closing line the CLI prints and the missing-images report."""

    offline: bool = False
    counts: Counter = field(default_factory=Counter)  # outcome -> pictures
    hosts: dict[str, Counter] = field(default_factory=dict)  # host -> outcome -> pictures
    downloaded_bytes: int = 0
    files: int = 0  # distinct image files written into the site
    missing: list[Missing] = field(default_factory=list)  # the pictures that failed or were kept remote, in the order first met
    unanswered: dict[str, str] = field(default_factory=dict)  # host that answered no connection of this build -> why (Fetcher.unanswered)

    def count(self, host: str, outcome: str) -> None:
        self.counts[outcome] += 1
        self.hosts.setdefault(host, Counter())[outcome] += 1

    def line(self) -> str:
        """The closing line, and one more when hosts did not answer: instead of a warning per picture."""
        total = sum(self.counts.values())
        parts = [f"{self.counts[o]} {o}" for o in OUTCOMES if o != REMOTE or self.counts[o]]
        if self.downloaded_bytes:
            parts[2] += f" ({_size(self.downloaded_bytes)})"
        hosts = "; ".join(
            f"{host or '?'} " + ", ".join(f"{n} {o}" for o, n in sorted(c.items(), key=lambda item: OUTCOMES.index(item[0])))
            for host, c in sorted(self.hosts.items())
        )
        mode = "images (offline)" if self.offline else "images"
        text = f"{mode}: {total} pictures, {', '.join(parts)}; {self.files} files in {OUTPUT_FOLDER}/"
        lines = [text + (f" — by host: {hosts}" if hosts else "")]
        if self.unanswered:
            reason = next(iter(self.unanswered.values()))
            lines.append(f"images: no answer from {', '.join(sorted(self.unanswered))} ({reason}): {self.counts[REMOTE]} pictures "
                         "keep their web addresses; a build that reaches the hosts saves them")
        return "\n".join(map(printable, lines))  # hosts as archives wrote them


@dataclass
class LocalImages:
    files: dict[str, Path] = field(default_factory=dict)  # output path -> the file it is a copy of
    urls: dict[str, str | None] = field(default_factory=dict)  # URL as written -> output path, None: unavailable
    problems: list[Problem] = field(default_factory=list)
    summary: ImageSummary = field(default_factory=ImageSummary)


class LocalFolders:
    """The ``dirs`` folders, indexed once by file name and by Zhihu v2 id."""

    def __init__(self, folders: list[Path], checked: CheckedFiles) -> None:
        self._checked = checked
        self.by_name: dict[str, Path] = {}
        self.by_id: dict[str, list[Path]] = {}
        for folder in folders:
            for parent, dirs, names in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    path = Path(parent) / name
                    self.by_name.setdefault(name, path)
                    if key := zhihu_id(name):
                        self.by_id.setdefault(key, []).append(path)
        for paths in self.by_id.values():
            paths.sort(key=lambda p: variant_rank(p.name))

    def find(self, picture: Picture, by_name: bool = True) -> Stored | None:
        """The picture's file, by its URL's file name (when *by_name*) or its Zhihu v2 id."""
        candidates = [self.by_name[name] for url in picture.urls if (name := posixpath.basename(url.split("?", 1)[0].split("#", 1)[0])) in self.by_name] if by_name else []
        for url in picture.urls:
            candidates += self.by_id.get(zhihu_id(url), [])
        for path in candidates:
            facts = self._checked.facts(path)
            if facts is not None and facts[1]:
                digest, ext, size = facts
                return Stored(digest, ext, path, size)
        return None


def _download_all(missing: list[Picture], cache: ImageCache, fetcher: Fetcher, config: ImagesConfig) -> Iterator[tuple[Picture, Stored | None, str]]:
    """(picture, its image or None, why not) for each picture, as the downloads finish, with a progress line on a terminal."""

    def download(picture: Picture) -> tuple[Stored | None, str]:
        failures = []
        for url in picture.urls:  # the best variant first, the others if it cannot be had
            try:
                fetched = fetcher.fetch(url)
            except FetchError as error:
                failures.append((url, error.reason))
                continue
            except Exception as error:  # noqa: BLE001 - one odd URL must never fail the build
                failures.append((url, f"{error.__class__.__name__}: {error}"))
                continue
            return cache.put(url, fetched.data, fetched.ext), ""
        # The best variant's reason first; the other variants tried name their URL.
        return None, failures[0][1] + "".join(f"; {url}: {reason}" for url, reason in failures[1:])

    progress = DownloadProgress(len(missing))
    with ThreadPoolExecutor(max_workers=config.concurrency, thread_name_prefix="zhsite-images") as pool:
        futures = {pool.submit(download, picture): picture for picture in missing}
        try:
            for future in as_completed(futures):
                stored, reason = future.result()
                progress.advance(ok=stored is not None)
                yield futures[future], stored, reason
        finally:
            progress.close()


def gather_images(site: Site, project: Path, config: Config, cache: BuildCache | None = None,
                  content: Path | None = None) -> LocalImages:
    """Every picture of *site* as a file of the site, or a reason it could not be had; *cache*: see collect_site.

    A Zhihu picture saved in the *content* folder by an exporter (``v2-<hash>_1440w.jpg``
    beside the Markdown) is found there by its id, so the post's remote and
    local copies are one picture and nothing is downloaded for it.
    """
    collected: Collected = collect_site(site, cache)
    options = config.images
    result = LocalImages(summary=ImageSummary(offline=options.offline))
    checked = CheckedFiles(cache)
    folders = LocalFolders([project / d for d in options.dirs], checked) if options.dirs else None
    beside = LocalFolders([content], checked) if content is not None and content.is_dir() else None
    store = ImageCache(cache_path(project, config), checked)
    had: dict[str, tuple[Stored, str]] = {}  # picture key -> (image, outcome)
    missing: list[Picture] = []
    for picture in collected.pictures.values():
        found = (folders.find(picture) if folders else None) or (beside.find(picture, by_name=False) if beside else None)
        if found:
            had[picture.key] = (found, LOCAL)
            continue
        cached = next((hit for url in picture.urls if (hit := store.get(url))), None)
        if cached:
            had[picture.key] = (cached, CACHED)
        else:
            missing.append(picture)

    missing = _saved_with_their_posts(missing, project, store, had)
    reasons: dict[str, str] = {}
    remote: set[str] = set()  # pictures whose hosts did not answer: kept at their web addresses
    if missing and options.offline:
        reasons = {p.key: "offline: not in the image folders or the cache" for p in missing}
    elif missing:
        fetcher = Fetcher(options.mirrors, options.timeout, options.retries, options.per_host, store.partial_dir)
        for picture, stored, reason in _download_all(missing, store, fetcher, options):
            if stored:
                had[picture.key] = (stored, DOWNLOADED)
                result.summary.downloaded_bytes += stored.size
            else:
                reasons[picture.key] = reason
        # Once all are done: a host that answered a later connection was there, its failed pictures are failures.
        remote = {p.key for p in missing if p.key in reasons and all(map(fetcher.silent, p.urls))}
        result.summary.unanswered = fetcher.unanswered

    for picture_key, (stored, outcome) in list(had.items()):
        if stored.ext == "svg":
            try:
                had[picture_key] = (_safe_svg(stored, store), outcome)
            except UnsafeSvg as unsafe:
                del had[picture_key]
                reasons[picture_key] = str(unsafe)

    for picture in collected.pictures.values():
        outcome = _place(picture, had.get(picture.key), reasons.get(picture.key, "unknown"), picture.key in remote, result)
        result.summary.count(picture.host, outcome)
    result.summary.files = len(result.files)
    checked.save()
    return result


# Files a post is saved in with the pictures it showed, by suffix: what takes the pictures out of one.
_HOLDING_PICTURES = {".mhtml": saved_pictures, ".mht": saved_pictures, WEB_ARCHIVE: archived_pictures}


def _suffix(source: str) -> str:
    return posixpath.splitext(source)[1].lower()


def _saved_with_their_posts(missing: list[Picture], project: Path, store: ImageCache, had: dict[str, tuple[Stored, str]]) -> list[Picture]:
    """The pictures a post saved as one file (``.mhtml``: zhsite/load/mhtml.py; Safari's ``.webarchive``:
    zhsite/load/webarchive.py) holds, taken from that file into
    *had* (and the image cache, under the address the page loaded each from), matched by address or Zhihu id: the
    saved copy before any download, as the user kept it.  The pictures still missing."""
    saved = sorted({source for picture in missing for source, _ in picture.uses if _suffix(source) in _HOLDING_PICTURES})
    wanted: dict[str, Picture] = {}
    for picture in missing:
        for url in picture.urls:
            wanted.setdefault(url, picture)
            wanted.setdefault(zhihu_id(url) or url, picture)
    for source in saved:
        try:
            data = on_disk(project, source).read_bytes()
        except OSError:  # gone since it was loaded: its pictures are missing, said as such
            continue
        for address, picture_data in _HOLDING_PICTURES[_suffix(source)](data):
            picture = wanted.get(address) or wanted.get(zhihu_id(address) or address)
            if picture is not None and picture.key not in had and (ext := extension(picture_data)):
                had[picture.key] = (store.put(address, picture_data, ext), LOCAL)
    return [picture for picture in missing if picture.key not in had]


def _place(picture: Picture, had: tuple[Stored, str] | None, reason: str, remote: bool, result: LocalImages) -> str:
    """Map the picture's URLs as the pages will show it: its copy, its own URL (its host did not answer), or a placeholder
    with a warning; the outcome."""
    if had is not None:
        stored, outcome = had
        path = output_path(stored.digest, stored.ext)
        result.files[path] = stored.path
        result.urls |= dict.fromkeys(picture.written, path)
        return outcome
    result.summary.missing.append(Missing(picture.urls[0], reason, tuple(picture.uses)))
    if remote:  # one line for all such pictures (ImageSummary.line), not a warning each
        result.urls |= {url: url for url in picture.written}
        return REMOTE
    result.problems.append(Problem(picture.source, picture.where, IMAGE_NOT_SAVED, f"{picture.urls[0]} ({reason})", severity="warning"))
    result.urls |= dict.fromkeys(picture.written)
    return FAILED


def _safe_svg(stored: Stored, store: ImageCache) -> Stored:
    """The SVG as the site publishes it, without script, kept in the store beside the original; UnsafeSvg if it cannot be.

    Every build filters again, whichever place the picture came from: a local
    folder, an earlier build's download or this one's.  SVGs are rare in
    archives, and filtering one takes milliseconds.
    """
    try:
        data = read_svg(stored.path)
    except OSError as error:
        raise UnsafeSvg(f"cannot read {stored.path}: {error.strerror}") from None
    return store.keep(without_script(data), "svg")


def localise_title_images(site: Site, images: LocalImages) -> None:
    """Each article's title image as the site path of its local copy, or none at all (``site.title_images``).

    A site path, not a URL: the article's page, a column list or the home page
    may each show it, and each makes it relative to itself (``url()``, zhsite/urls.py).
    """
    for article in site.articles:
        url = (article.image or "").strip()
        local = (images.urls.get(url) or "") if url in images.urls else None
        if local is not None and not absolute(local):  # one kept at its web address (its host did not answer) stays as written
            site.title_images[article.path] = local


__all__ = ["ImageSummary", "LocalImages", "Missing", "gather_images", "localise_title_images"]
