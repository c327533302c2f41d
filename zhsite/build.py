"""The build, top to bottom: load → rewrite → render → write."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from zhsite.cache import BuildCache
from zhsite.config import Config, cache_path, check_output, load_config
from zhsite.images import ImageSummary, gather_images, localise_title_images
from zhsite.images.files import gather_local_files
from zhsite.load import KnownFiles, Loaded, load_content
from zhsite.model import Article, Column, Note, Site
from zhsite.problems import Problem
from zhsite.render import Renderer, make_environment, static_files, theme_dir
from zhsite.render.draw import Drawing
from zhsite.render.pages import Page, claim_paths, plan_pages
from zhsite.render.reuse import Reuse
from zhsite.rewrite.stage import rewrite_site
from zhsite.search import Indexing, search_page, searchable_pages, shard_scripts
from zhsite.slug import distinct_slugs
from zhsite.workers import workers_for
from zhsite.write import FilesOnDisk, StagedFiles, staged_site


@dataclass
class BuildResult:
    """A built site: its files by output path, and what went wrong on the way."""

    files: Mapping[str, bytes]  # build: read from disk on access
    site: Site
    pages: int = 0
    drawn: list[str] = field(default_factory=list)  # the files templates drew in this build
    kept: int = 0  # and how many they would have drawn the same: linked from the previous site (render/reuse.py)
    problems: list[Problem] = field(default_factory=list)
    output: Path | None = None
    images: ImageSummary | None = None  # [images] mode = "local": what was found, cached, downloaded
    skipped: Counter[str] = field(default_factory=Counter)  # side files in content/ by kind (zhsite/load/shapes.py)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def build(project: Path, output: Path | None = None, base_url: str | None = None, images: dict | None = None,
          workers: int | None = None, replace_on_errors: bool = True) -> BuildResult:
    """Generate the site and write it to *output* (default: the configured output folder).

    An output folder that is, holds or sits in the user's own files is refused
    before anything is written (:class:`~zhsite.config.OutputRefused`).

    *images* overrides keys of the ``[images]`` table (``--images``, ``--offline``).
    Results of slow stages are kept in the cache folder for the next build (zhsite/cache.py).
    *workers*: as for :func:`generate`.  Without *replace_on_errors* (``deploy``), a build with
    errors leaves the previous site in *output*: what was last good stays there to publish.
    """
    config = load_config(project, {"base_url": base_url, "images": images})
    output = output if output is not None else project / config.output_dir
    check_output(project, config, output)
    cache = BuildCache(cache_path(project, config))
    try:
        with staged_site(output) as files:  # each file goes to disk as it is made (zhsite/write.py)
            result = generate(project, config, cache, workers, into=files)
            if result.errors and not replace_on_errors:
                files.discard()
        cache.keep_only_used()
        result.problems += cache.repairs()
    finally:
        cache.close()
    result.output = output
    return result


def generate(project: Path, config: Config, cache: BuildCache | None = None, workers: int | None = None,
             into: MutableMapping[str, bytes] | None = None) -> BuildResult:
    """The whole pipeline; the files go *into* the given mapping (``build``: to disk as they come), else a dict.

    *workers* is how many processes rewrite articles and draw pages (None: one
    per core when there are many); the output is the same bytes whatever it is.
    """
    planned = plan_site(project, config, cache, workers)
    files = {} if into is None else into
    # Pages whose outline and bodies did not change are linked from the previous site (zhsite/render/reuse.py).
    reuse = None
    if cache is not None and isinstance(files, StagedFiles):
        reuse = Reuse(cache, files, planned.site, config, planned.renderer.env, shard_scripts(planned.searchable))
    kept = reuse.keep_unchanged(planned.renderer.paths) if reuse is not None else set()
    to_draw = [path for path in planned.renderer.paths if path not in kept]
    # Pages are drawn on every core (zhsite/render/draw.py), the workers forked before the
    # indexing thread starts, and the search index is made on that thread meanwhile (zhsite/search.py).
    drawing = Drawing(planned.renderer, to_draw, files, workers_for(len(to_draw), workers))
    indexing = Indexing(planned.searchable, config, cache) if config.search else None
    read = drawing.finish()
    if reuse is not None:
        reuse.remember(read)
    files.update(planned.files)
    files.update(planned.copies)
    problems = planned.problems
    if indexing is not None:
        index, search_problems = indexing.result()
        files.update(index)
        problems += search_problems
    return BuildResult(files=files, site=planned.site, pages=len(planned.pages), drawn=to_draw, kept=len(kept), problems=problems, images=planned.images,
                       skipped=planned.skipped)


@dataclass
class Planned:
    """A site ready to draw: its model and pages, the renderer that draws them, the files no template makes."""

    site: Site
    pages: list[Page]
    searchable: list[Page]  # the pages in the search index, when search is on
    renderer: Renderer
    files: dict[str, bytes]  # the theme's static files
    copies: FilesOnDisk  # local image copies
    problems: list[Problem]
    images: ImageSummary | None
    skipped: Counter[str]


def plan_site(project: Path, config: Config, cache: BuildCache | None = None, workers: int | None = None,
              known_files: KnownFiles | None = None, env: jinja2.Environment | None = None) -> Planned:
    """Load, rewrite and plan the pages; ``serve`` passes what it kept from its last rebuild (*known_files*, *env*)."""
    theme = theme_dir(project, config.theme)
    env = env or make_environment(project, theme)
    content = project / config.content_dir
    loaded = load_content(content, known_files, cache)
    site, problems = assemble_site(config, loaded)
    # Images (zhsite/images/): local copies found, cached or downloaded before the pure rewrite stage;
    # pictures that are files beside the Markdown are copied in either mode.
    local_images = gather_images(site, project, config, cache, content) if config.images.mode == "local" else None
    if local_images is not None:
        problems += local_images.problems
        localise_title_images(site, local_images)
    local_files = gather_local_files(site, project, content.parent, content, cache)
    problems += local_files.problems
    problems += rewrite_site(site, local_images.urls if local_images is not None else None, cache, workers, local_files.paths)
    pages, clashes = claim_paths(plan_pages(site) + ([search_page()] if config.search else []))
    problems += clashes
    copies = FilesOnDisk((local_images.files if local_images is not None else {}) | local_files.files)
    searchable = searchable_pages(pages) if config.search else []
    renderer = Renderer(env, site, config, pages, shard_scripts(searchable))
    return Planned(site, pages, searchable, renderer, static_files(theme), copies, problems,
                   local_images.summary if local_images is not None else None, loaded.skipped)


def assemble_site(config: Config, loaded: Loaded) -> tuple[Site, list[Problem]]:
    """One Site, each post once (see :func:`one_copy_each`); a column left empty by that is dropped."""
    problems = [*config.problems, *loaded.problems]  # config.problems: warnings on zhsite.toml
    kept = one_copy_each(loaded.columns, problems)
    columns: list[Column] = []
    for column in loaded.columns:
        had = bool(column.articles)
        column.articles = [article for article in column.articles if kept[article.path][0] is article]
        if column.articles or not had:
            columns.append(column)
    site = Site(
        title=config.title,
        description=config.description,
        author=config.author,
        language=config.language,
        base_url=config.site_url,
        columns=columns,
        notes=distinct_paths(newest_first(loaded.notes)),
        profiles={author_id: profile for profile in loaded.profiles for author_id in profile.ids},
    )
    return site, problems


def one_copy_each(columns: list[Column], problems: list[Problem]) -> dict[str, tuple[Article, Column]]:
    """The copy kept of each post (by its page) archived more than once, and its column.

    Crawls overlap: a page file repeats another's items, a feed repeats an
    answer. Identical copies are one post, kept quietly where a column names it
    (rather than in the column of a file that names none); copies that differ
    keep the newer (the first when neither is newer), said once per post.
    """
    kept: dict[str, tuple[Article, Column]] = {}
    for column in columns:
        for article in column.articles:
            first, first_column = kept.setdefault(article.path, (article, column))
            if first is article:
                continue
            if first == article:
                if column.url and not first_column.url:
                    kept[article.path] = (article, column)
                continue
            newer = article.timestamp > first.timestamp
            winner, loser = (article, first) if newer else (first, article)
            if newer:
                kept[article.path] = (article, column)
            problems.append(Problem(loser.source, f"{article.kind} {article.id}",
                                    f"archived twice, differently: kept the {'newer' if newer or first.timestamp > article.timestamp else 'first'} copy, from {winner.source}", "warning"))
    return kept


def distinct_paths(notes: list[Note]) -> list[Note]:
    """Notes whose names slug alike (two folders' ``a.md``, ``C++.md`` and ``c.md``) each keep a page of their own;
    ``notes/index.html`` is the list of notes."""
    slugs = distinct_slugs([(note.slug, note.source) for note in notes], reserved={"index"})
    return [note if note.slug == slug else replace(note, slug=slug) for note, slug in zip(notes, slugs, strict=True)]


def newest_first(notes: list[Note]) -> list[Note]:
    """Dated notes newest first, then undated ones by title."""
    dated = sorted((n for n in notes if n.date), key=lambda n: (n.date, n.title), reverse=True)
    return dated + sorted((n for n in notes if not n.date), key=lambda n: (n.title, n.slug))
