"""The build, one call per stage: load → assemble → images → rewrite → plan → (render ∥ search) → write.

Each stage is a function over the site's model (zhsite/model.py).  What a
build keeps for the next one is its :class:`~zhsite.session.Session`; where
the files go is an :class:`~zhsite.output.Output`.  ``zhsite build`` and the
tests run the same :func:`generate`, into the staged site on disk or into
memory; ``zhsite serve`` runs :func:`prepare` and draws each page on its
first request (zhsite/serve/); ``zhsite images`` runs the stages up to images.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from operator import attrgetter
from pathlib import Path

from zhsite.cache import BuildCache
from zhsite.config import Config, check_output, load_config
from zhsite.epub import Made, books_for, make_book
from zhsite.heap import collector_spares_what_lasts, give_back_freed_memory, lasts_the_build, map_large_blocks_apart
from zhsite.images import ImageSummary, LocalImages, gather_images, localise_title_images
from zhsite.images.files import LocalFiles, gather_local_files
from zhsite.load import Loaded, check_content, load_content
from zhsite.load.embeds import with_embeds
from zhsite.model import Article, Column, Comment, Note, Site, in_reading_order, keep_content
from zhsite.output import InMemorySite, Output
from zhsite.problems import Problem
from zhsite.render import Renderer, static_files, theme_dir
from zhsite.render.draw import Drawing
from zhsite.render.pages import Page, claim_paths, plan_pages
from zhsite.render.reuse import Reuse
from zhsite.rewrite.scrambled import mark_scrambled
from zhsite.rewrite.stage import rewrite_site
from zhsite.search import SEARCH_SCRIPTS, Indexed, Indexing, put_index, search_page, searchable
from zhsite.session import Session
from zhsite.slug import distinct_slugs
from zhsite.spill import Spill
from zhsite.unchanged import BuildResult, Counts, Said, complete, covered, inputs_digest, remember
from zhsite.workers import workers_for
from zhsite.write import TOO_BIG, FilesOnDisk, over_limit, staged_site

ARCHIVED_TWICE = "archived twice, differently"
VERSIONS_KEPT = "archived with different text"


def build(project: Path, output: Path | None = None, base_url: str | None = None, images: dict | None = None,
          workers: int | None = None, replace_on_errors: bool = True) -> BuildResult:
    """Generate the site and write it to *output* (default: the configured output folder).

    A project without content is refused before anything is made, cache or site
    (:class:`~zhsite.load.NoContent`): a renamed ``content/`` never empties a
    published site.  An output folder that is, holds or sits in the user's own
    files is refused before anything is written (:class:`~zhsite.config.OutputRefused`).

    *images* overrides keys of the ``[images]`` table (``--images``, ``--offline``).
    Results of slow stages are kept in the project's build cache for the next build (zhsite/session.py).
    *workers*: as for :class:`~zhsite.session.Session`.  Without *replace_on_errors* (``deploy``), a build with
    errors leaves the previous site in *output*: what was last good stays there to publish.
    """
    map_large_blocks_apart()  # the build's peak is its largest process's, C heap included
    config = load_config(project, {"base_url": base_url, "images": images})
    check_content(project, config)
    output = output if output is not None else project / config.output_dir
    check_output(project, config, output)
    session = Session.in_project(project, workers)
    try:
        cache = session.cache(config)
        inputs = inputs_digest(project, config, output) if covered(config) else None  # stamped before anything is read
        with staged_site(output) as files:  # each file goes to disk as it is made (zhsite/write.py)
            result = generate(project, config, session, into=files)
            if result.errors and not replace_on_errors:
                files.discard()
        too_big = None if files.discarded else over_limit(files.sizes)
        if too_big:
            result.problems.append(Problem(str(output), "", TOO_BIG, too_big, severity="warning"))
        if inputs is not None and not files.discarded and complete(result.images, config):
            remember(cache, inputs, files.stamps(), Said(result.counts, result.problems, result.skipped, result.images))
        cache.keep_only_used()
        result.problems += cache.repairs()
        files.wait_until_cleared()
    finally:
        session.close()
    result.output = output
    return result


def counts(planned: Planned) -> Counts:
    """What the build's last line says it made."""
    site = planned.site
    kinds = Counter(article.kind for article in site.articles)
    return Counts(len(planned.pages), sum(c.kind != "question" for c in site.columns), kinds["article"],
                  sum(c.kind == "question" for c in site.columns), kinds["answer"], len(site.notes), kinds["pin"], kinds["zvideo"])


def generate(project: Path, config: Config, session: Session | None = None, into: Output | None = None) -> BuildResult:
    """The whole pipeline; the files go *into* the given output (``build``: to disk as they come), else into memory.

    Without a *session*, nothing is kept from or for another build: no build
    cache, one process per core when there is much to do.  The output is the
    same bytes whatever the session and the output.
    """
    session = session if session is not None else Session(project)
    files = into if into is not None else InMemorySite()
    with collector_spares_what_lasts():
        planned = prepare(project, config, session, let_go=True)  # load → assemble → images → rewrite → plan
        give_back_freed_memory()  # before the drawing processes fork and the index thread starts
        lasts_the_build()  # the model and its pages; the collector on again, before the drawing processes fork
        rendering = RenderAndSearch(planned, files, config, session)  # render ∥ search
        drawn = rendering.pages()
        write(files, planned.files, planned.copies)  # while the search index is made
        index, search_problems = rendering.search_index()
        put_index(files, index)
        ebooks, ebook_problems = column_books(project, config, session, planned) if config.epub else ({}, [])
        write(files, ebooks)
    return BuildResult(files=files, site=planned.site, counts=counts(planned), drawn=drawn, kept=rendering.kept,
                       problems=planned.problems + search_problems + ebook_problems, images=planned.images, skipped=planned.skipped)


def let_go_of_sources(site: Site, session: Session, cache: BuildCache | None) -> None:
    """The posts' HTML as loaded, let go once rewritten: nothing after ``prepare`` reads it.

    It is most of what a build holds (10,000 articles: 250 MB of 500 MB)
    while the pages are drawn and the search index made (issue #30).  The
    session's files read and the cache keys looked up by the HTML are
    forgotten too, so a later stage that loads again (the site's e-books)
    reads the files back from the build cache or the disk.  ``serve`` keeps
    all three: its next rebuild reuses what it loaded and the keys it made.
    """
    session.known_files.clear()
    if cache is not None:
        cache.forget_inputs()
    for item in _rewritten(site):
        item.content = ""


@dataclass
class Planned:
    """A site ready to draw: its model and pages, the renderer that draws them, the files no template makes."""

    site: Site
    pages: list[Page]
    search: bool
    renderer: Renderer
    files: Mapping[str, bytes]  # the theme's static files
    copies: FilesOnDisk  # local image copies
    problems: list[Problem]
    images: ImageSummary | None
    skipped: Counter[str]

    @cached_property
    def searchable(self) -> list[tuple[str, Indexed]]:
        """The pages in the search index (output path, item), when search is on; worked out when the index is
        made, which ``serve`` does in the background after the site is on screen."""
        return searchable(self.site) if self.search else []


@dataclass
class Gathered:
    """The front of the pipeline, load → assemble → images: the model and its pictures, before any rewrite."""

    site: Site
    pictures: Pictures
    problems: list[Problem]  # the content's own; the pictures' are pictures.problems
    skipped: Counter[str]


def gather(project: Path, config: Config, session: Session, spill: Spill | None = None) -> Gathered:
    """load → assemble → images, as ``prepare`` runs them and ``zhsite images`` alone.

    With a *spill* (``build``), the posts' HTML waits in it from the assemble on, read back by each stage that reads it.
    """
    loaded = load(project, config, session)
    site, problems = assemble_site(config, loaded)
    if spill is not None:
        for item in _rewritten(site):
            keep_content(item, spill.keep)
        give_back_freed_memory()
    return Gathered(site, gather_pictures(site, project, config, session), problems, loaded.skipped)


def prepare(project: Path, config: Config, session: Session, let_go: bool = False) -> Planned:
    """load → assemble → images → rewrite → plan: the site ready to draw, by ``build`` or page by page by ``serve``.

    *let_go*: of the loaded HTML once rewritten (:func:`let_go_of_sources`), as ``build`` does; ``serve`` keeps it for its next rebuild.
    """
    theme = theme_dir(project, config.theme)
    cache = session.cache(config)
    spill = session.spill(config) if let_go else None
    if cache is not None and let_go:
        cache.for_one_build()
    front = gather(project, config, session, spill)
    site, pictures = front.site, front.pictures
    problems = front.problems + pictures.problems
    rewritten = rewrite_site(site, pictures.urls, cache, session.workers, pictures.paths, again=not let_go, kept=None if let_go else session.kept)
    problems += rewritten.problems + mark_scrambled(site, rewritten.readings)
    if let_go:
        let_go_of_sources(site, session, cache)
    if cache is not None:
        cache.save()  # the slow stages' results on disk before drawing, in one short write
    pages, clashes = plan(site, config)
    renderer = Renderer(session.environment(theme, cache), site, config, pages, list(SEARCH_SCRIPTS), session.kept)
    return Planned(site, pages, config.search, renderer, static_files(theme, site, cache), pictures.copies, problems + clashes,
                   pictures.summary, front.skipped)


def books(project: Path, config: Config, wanted: list[str], comments: bool = True,
          answers: bool = False) -> tuple[list[Made], list[str], list[Problem]]:
    """``zhsite epub``: the site's front stages with local pictures, then one book per column wanted (zhsite/epub/).

    *config* should ask for ``[images] mode = "local"``: an e-book holds its pictures.
    Also the names in *wanted* that are no book, and the problems met on the way.
    """
    session = Session.in_project(project)
    try:
        planned = prepare(project, config, session)
    finally:
        session.close()
    chosen, unknown = books_for(planned.site, wanted, answers)
    theme = theme_dir(project, config.theme)
    made = [make_book(book, planned.site, planned.copies.sources, theme, comments) for book in chosen]
    return made, unknown, planned.problems


def column_books(project: Path, config: Config, session: Session, planned: Planned) -> tuple[dict[str, bytes], list[Problem]]:
    """``epub = true``: each column's book as a file of the site (``epub/<slug>.epub``), with its pictures.

    A site whose pictures stay remote has the front stages run again with local
    ones, from the same build cache (pictures, parsed files).  The posts that
    rewrite fills in are the site's own objects (the cache hands out what it
    read once), so their bodies are put back after: the result's site is the site built.
    """
    problems: list[Problem] = []
    site_bodies = [(item, item.body) for item in _rewritten(planned.site)]
    if config.images.mode != "local":
        again = prepare(project, replace(config, images=replace(config.images, mode="local")), session)
        # The pictures' (not the content's again), said as the books': the site's own pages show these pictures from the web.
        problems = [replace(p, kind=f"e-book {p.kind}") for p in again.problems if p not in planned.problems]
        planned = again
    columns = [book for book in books_for(planned.site)[0] if book.slug != "notes"]
    theme = theme_dir(project, config.theme)
    made = {f"epub/{book.name}": book.data for book in (make_book(b, planned.site, planned.copies.sources, theme) for b in columns)}
    for item, body in site_bodies:
        item.body = body
    return made, problems


def _rewritten(site: Site) -> list[Article | Note | Comment]:
    """What the rewrite stage gives a body to (zhsite/rewrite/stage.py)."""
    return [*site.articles, *site.versions, *site.notes, *(c for a in [*site.articles, *site.versions] for c in in_reading_order(a.comments))]


def load(project: Path, config: Config, session: Session) -> Loaded:
    """Every content file, each parsed once: unchanged ones come from the session's files read, or the cache."""
    return load_content(project / config.content_dir, session.known_files, session.cache(config))


@dataclass
class Pictures:
    """Where each picture the pages show comes from: what the rewrite stage puts in its place, and the copies to write."""

    local: LocalImages | None  # [images] mode = "local": copies found, cached or downloaded
    files: LocalFiles  # pictures that are files beside the Markdown, copied in either mode

    @property
    def problems(self) -> list[Problem]:
        return (self.local.problems if self.local is not None else []) + self.files.problems

    @property
    def urls(self) -> dict[str, str | None] | None:
        """Remote image URLs -> local copies; None: images stay remote."""
        return self.local.urls if self.local is not None else None

    @property
    def paths(self) -> dict[str, str | None]:
        """Image paths on disk -> copies."""
        return self.files.paths

    @property
    def copies(self) -> FilesOnDisk:
        return FilesOnDisk((self.local.files if self.local is not None else {}) | self.files.files)

    @property
    def summary(self) -> ImageSummary | None:
        return self.local.summary if self.local is not None else None


def gather_pictures(site: Site, project: Path, config: Config, session: Session) -> Pictures:
    """Images (zhsite/images/), before the pure rewrite stage: with ``[images] mode = "local"``
    the pictures' :func:`local_copies`; pictures that are files beside the Markdown in either mode."""
    content = project / config.content_dir
    local = local_copies(site, project, config, session) if config.images.mode == "local" else None
    return Pictures(local, gather_local_files(site, project, content.parent, content, session.cache(config)))


def local_copies(site: Site, project: Path, config: Config, session: Session) -> LocalImages:
    """Every picture the pages show as a file of the site (found, cached or downloaded), or why it could not be had;
    a column's or article's title image gets its copy's site path (Site.title_images)."""
    local = gather_images(site, project, config, session.cache(config), project / config.content_dir)
    localise_title_images(site, local)
    return local


def plan(site: Site, config: Config) -> tuple[list[Page], list[Problem]]:
    """Every page of the site at its own path, and the paths two pages claimed."""
    return claim_paths(plan_pages(site) + ([search_page()] if config.search else []))


class RenderAndSearch:
    """Render ∥ search: the pages drawn on every core while the search index is made on a thread.

    Both start here, in the one safe order: the drawing processes are forked
    (zhsite/render/draw.py) before the indexing thread starts (zhsite/search/),
    as forking a process with threads is not safe.  Pages whose outline and
    bodies did not change are first left in place from the previous site, when the
    output keeps it (zhsite/render/reuse.py).
    """

    def __init__(self, planned: Planned, files: Output, config: Config, session: Session) -> None:
        cache = session.cache(config)
        paths = planned.renderer.paths
        self._reuse = None
        if cache is not None and files.keeps_previous:
            self._reuse = Reuse(cache, files, planned.site, config, planned.renderer.env, list(SEARCH_SCRIPTS),
                                planned.renderer.digests())
        kept = self._reuse.keep_unchanged(paths) if self._reuse is not None else set()
        self.kept = len(kept)
        self._to_draw = [path for path in paths if path not in kept]
        self._drawing = Drawing(planned.renderer, self._to_draw, files, workers_for(len(self._to_draw), session.workers), busy_here=config.search)
        self._indexing = Indexing(planned.searchable, config, cache, session.workers, session.spill(config)) if config.search else None

    def pages(self) -> list[str]:
        """Every page drawn or kept; the paths drawn.  A template problem is raised here (BuildError)."""
        read = self._drawing.finish()
        if self._reuse is not None:
            self._reuse.remember(read)
        return self._to_draw

    def search_index(self) -> tuple[Mapping[str, bytes], list[Problem]]:
        """The index as ``search/…`` files (none when search is off), or the problem that stopped it."""
        return self._indexing.result() if self._indexing is not None else ({}, [])


def write(files: Output, made: Mapping[str, bytes], copies: FilesOnDisk | None = None) -> None:
    """Put the files no template draws: the theme's static files, the search index, local picture copies (file to file)."""
    for path, data in made.items():
        files.put(path, data)
    for path, source in (copies.sources.items() if copies is not None else ()):
        files.put_file(path, source)


def assemble_site(config: Config, loaded: Loaded) -> tuple[Site, list[Problem]]:
    """One Site, each post once (see :func:`one_copy_each`); a column left empty by that is dropped."""
    problems = [*config.problems, *loaded.problems]  # config.problems: warnings on zhsite.toml
    shown = one_copy_each(loaded.columns, problems)
    columns: list[Column] = []
    for column in loaded.columns:
        had = bool(column.articles)
        column.articles = [shown[id(article)] for article in column.articles if id(article) in shown]
        if column.articles or not had:
            columns.append(column)
    site = Site(
        title=config.title,
        description=config.description,
        author=config.author,
        language=config.language,
        base_url=config.site_url,
        columns=columns,
        notes=distinct_paths(with_embeds(newest_first(loaded.notes), problems)),  # in the order wikilinks find them in
        profiles={author_id: profile for profile in loaded.profiles for author_id in profile.ids},
    )
    return site, problems


def one_copy_each(columns: list[Column], problems: list[Problem]) -> dict[int, Article]:
    """Which loaded copy of each post (by its page) is listed, by its ``id()``, and the article its page shows.

    Crawls overlap: a page file repeats another's items, a feed repeats an
    answer. Identical copies are one post, kept quietly where a column names it
    (rather than in the column of a file that names none). Copies of one text
    (title and body) whose counts or comments differ keep the newer (the first
    when neither is newer). Copies with different text are versions (Zhihu
    posts are edited and censored after the fact, and the older text may be why
    the archive was kept): the newest is shown, holding the others
    (:func:`with_versions`), said once per post.
    """
    copies: dict[str, list[tuple[Article, Column]]] = {}  # each post's copy of each of its texts, and its column
    for column in columns:
        for article in column.articles:
            texts = copies.get(article.path)
            if texts is None:  # most posts: archived once (a serve save at 10,000 articles looked for copies of each)
                copies[article.path] = [(article, column)]
                continue
            same = next((i for i, (copy, _) in enumerate(texts) if (copy.title, copy.content) == (article.title, article.content)), None)
            if same is None:
                texts.append((article, column))
                continue
            copy, copy_column = texts[same]
            if copy == article:
                if column.url and not copy_column.url:
                    texts[same] = (article, column)
                continue
            newer = article.archived_on > copy.archived_on
            winner, loser = (article, copy) if newer else (copy, article)
            if newer:
                texts[same] = (article, column)
            problems.append(Problem(loser.source, f"{article.kind} {article.id}",
                                    ARCHIVED_TWICE, f"kept the {'newer' if newer or copy.archived_on > article.archived_on else 'first'} copy, from {winner.source}", severity="warning"))
    shown = {}
    for texts in copies.values():
        if len(texts) == 1:
            shown[id(texts[0][0])] = texts[0][0]
            continue
        versions = [copy for copy, _ in texts]
        newest = max(versions, key=attrgetter("archived_on"))  # the first of the newest
        shown[id(newest)] = with_versions(newest, versions)
        older = ", ".join(copy.source for copy in versions if copy is not newest)
        problems.append(Problem(newest.source, f"{newest.kind} {newest.id}",
                                VERSIONS_KEPT, f"all {len(versions)} versions kept, the older from {older}", severity="warning"))
    return shown


def with_versions(newest: Article, copies: list[Article]) -> Article:
    """A copy of *newest* holding the other *copies* oldest first, numbered from 1 (the loaded articles stay as loaded: ``serve`` reuses them)."""
    older = sorted((copy for copy in copies if copy is not newest), key=attrgetter("archived_on"))
    return replace(newest, versions=[replace(copy, version=n) for n, copy in enumerate(older, 1)])


def distinct_paths(notes: list[Note]) -> list[Note]:
    """Notes whose names slug alike (two folders' ``a.md``, ``C++.md`` and ``c.md``) each keep a page of their own;
    ``notes/index.html`` is the list of notes."""
    slugs = distinct_slugs([(note.slug, note.source) for note in notes], reserved={"index"})
    return [note if note.slug == slug else replace(note, slug=slug) for note, slug in zip(notes, slugs, strict=True)]


def newest_first(notes: list[Note]) -> list[Note]:
    """Dated notes newest first, then undated ones by title."""
    dated = sorted((n for n in notes if n.date), key=lambda n: (n.date, n.title), reverse=True)
    return dated + sorted((n for n in notes if not n.date), key=lambda n: (n.title, n.slug))
