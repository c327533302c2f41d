"""``[images] mode = "local"`` end to end: a real seed column, a real image server, real builds."""
from __future__ import annotations

import json
import posixpath
import shutil
from pathlib import Path

import lxml.html
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from tests.conftest import CAPTAIN, CONTENT, SHALLOW, make_project
from tests.images.server import picture_for
from zhsite.build import build, prepare
from zhsite.cli import main
from zhsite.config import ImagesConfig, load_config
from zhsite.images.collect import collect_site, html_image_urls
from zhsite.pictures import absolute, image_format
from zhsite.problems import BuildError
from zhsite.rewrite import RewriteContext, rewrite
from zhsite.session import Session

V2 = "v2-" + "ab" * 16  # a Zhihu picture id
FIGURE = (
    f'<figure><noscript><img src="https://pic1.zhimg.com/{V2}_b.jpg" data-rawwidth="640" data-rawheight="480" '
    f'data-original="https://pic1.zhimg.com/{V2}_r.jpg"/></noscript>'
    f'<img src="data:image/svg+xml;utf8,&lt;svg&gt;&lt;/svg&gt;" data-rawwidth="640" data-rawheight="480" class="origin_image lazy" '
    f'data-original="https://pic1.zhimg.com/{V2}_r.jpg" data-actualsrc="https://pic1.zhimg.com/{V2}_b.jpg"/>'
    "<figcaption>网络结构</figcaption></figure>"
)


def column(*contents: str) -> str:
    articles = [
        {"url": f"https://zhuanlan.zhihu.com/p/{100 + i}", "title": f"文章 {i}", "userName": "作者", "content": content}
        for i, content in enumerate(contents)
    ]
    return json.dumps({"title": "图片", "url": "https://zhuanlan.zhihu.com/pictures", "article": articles}, ensure_ascii=False)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def images_in(site: Path) -> list[Path]:
    return sorted((site / "images").iterdir()) if (site / "images").is_dir() else []


def seed_project(root: Path, config: str) -> Path:
    (root / "content").mkdir(parents=True)
    shutil.copy(SHALLOW, root / "content" / SHALLOW.name)
    (root / "zhsite.toml").write_text(config, encoding="utf-8")
    return root


def check_every_image_is_local(site: Path) -> int:
    """Every <img> of every page points at a file of the site; returns how many there were."""
    count = 0
    for page in site.rglob("*.html"):
        here = posixpath.dirname(page.relative_to(site).as_posix())
        for img in soup(page).find_all("img"):
            src = img["src"]
            assert not src.startswith(("http:", "https:", "//")), f"{page}: {src}"
            target = site / posixpath.normpath(posixpath.join(here, src))
            assert target.is_file() and image_format(target.read_bytes()), f"{page}: {src}"
            count += 1
    return count


def test_seed_column_local_then_rebuilt_from_the_cache(tmp_path, image_server):
    project = seed_project(tmp_path / "project", image_server.config())
    first = build(project, tmp_path / "site")
    assert first.errors == [] and [p for p in first.problems if "image" in p.message] == []
    summary = first.images
    assert summary.counts["downloaded"] > 10 and summary.counts["failed"] == 0
    html = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert '<img src="http' not in html and "zhimg.com/" not in html, "no image, zoom link or thumbnail left on Zhihu"
    assert check_every_image_is_local(tmp_path / "site") >= summary.counts["downloaded"]
    assert len(images_in(tmp_path / "site")) == summary.files == summary.counts["downloaded"]
    # A figure with a full-size variant: only the _r was downloaded, and the zoom link opens the local copy.
    assert not any(path.endswith("_b.jpg") and path.replace("_b.jpg", "_r.jpg") in image_server.requests for path in image_server.requests)
    page = soup(tmp_path / "site" / "p" / "60692852.html")
    zoom = page.select_one("a.zoom")
    assert zoom["href"].startswith("../images/") and zoom.img["src"] == zoom["href"]
    assert image_server.total == summary.counts["downloaded"]

    image_server.reset()
    second = build(project, tmp_path / "site2")
    assert image_server.total == 0, "the second build downloads nothing"
    assert second.images.counts["cached"] == summary.counts["downloaded"] and second.images.counts["downloaded"] == 0
    assert sorted(p.name for p in images_in(tmp_path / "site2")) == sorted(p.name for p in images_in(tmp_path / "site"))


def test_the_whole_seed_site_shows_no_image_from_elsewhere(tmp_path, image_server):
    # Both columns and the three notes (their images on Zhihu's and Qiniu's hosts, mirrored here).
    project = make_project(tmp_path / "project", {p.name: p.read_bytes() for p in CONTENT.iterdir() if p.is_file()}, image_server.config())
    result = build(project, tmp_path / "site")
    assert result.errors == [] and result.images.counts["downloaded"] > 50
    assert check_every_image_is_local(tmp_path / "site") >= result.images.counts["downloaded"]


def test_offline_with_an_empty_cache_builds_placeholders(tmp_path, image_server):
    project = seed_project(tmp_path / "project", image_server.config())
    result = CliRunner().invoke(main, ["build", "-s", str(project), "-o", str(tmp_path / "site"), "--offline"])
    assert result.exit_code == 0, result.output
    assert image_server.total == 0, "offline: no network at all"
    assert "warning: image not saved, shown as a placeholder (" in result.output
    summary = [line for line in result.output.splitlines() if line.startswith("images (offline): ")]
    assert len(summary) == 1 and " 0 downloaded, " in summary[0] and "failed" in summary[0] and "pic1.zhimg.com" in summary[0]
    page = soup(tmp_path / "site" / "p" / "60692852.html")
    assert not [img for img in page.select(".entry-body img")]
    holder = page.select_one("figure a.image-unavailable")
    assert holder["href"].startswith("https://pic1.zhimg.com/") and holder["href"].endswith("_r.jpg")
    assert holder.get_text(" ", strip=True).startswith("图片未能保存：yolo预测时的工作流程")
    assert holder.select_one(".image-unavailable-size").get_text() == "842 × 216"
    assert not (tmp_path / "site" / "images").exists()


def test_the_same_picture_is_stored_once(tmp_path, image_server):
    contents = [
        FIGURE,  # _b shown, _r behind the zoom link
        f'<p><img src="https://pic3.zhimg.com/{V2}_720w.jpg"></p>',  # another variant, another host
        '<p><img src="https://img.example.org/same-1.png" alt="一"><img src="https://img.example.org/same-2.png" alt="二"></p>',
    ]
    note = "# 笔记\n\n![again](https://pic1.zhimg.com/" + V2 + "_b.jpg)\n\n![same](https://img.example.org/same-3.png)\n"
    project = make_project(tmp_path / "project", {"col.json": column(*contents), "note.md": note}, image_server.config())
    result = build(project, tmp_path / "site")
    assert result.errors == [] and result.images.counts["failed"] == 0
    assert image_server.requests[f"/pic1/{V2}_r.jpg"] == 1 and f"/pic1/{V2}_b.jpg" not in image_server.requests
    files = images_in(tmp_path / "site")
    # One Zhihu picture (three variants, two articles and a note) and one set of equal bytes (three URLs).
    assert len(files) == 2
    srcs = {img["src"].rsplit("/", 1)[-1] for page in ("p/100.html", "p/101.html", "notes/note.html") for img in soup(tmp_path / "site" / page).find_all("img")}
    assert srcs == {f.name for f in files}
    check_every_image_is_local(tmp_path / "site")


def test_site_images_are_copies_of_the_cache_kept_from_build_to_build(tmp_path, image_server):
    project = seed_project(tmp_path / "project", image_server.config())
    build(project, tmp_path / "site")
    first = {p.name: p.stat().st_mtime_ns for p in images_in(tmp_path / "site")}
    assert len(first) > 10
    # Copies, not links to the cache's objects: a picture edited in the site leaves the cache intact.
    objects = [p for p in (project / ".zhsite-cache" / "objects").rglob("*") if p.is_file()]
    assert len(objects) == len(first) and all(p.stat().st_nlink == 1 for p in objects)
    second = build(project, tmp_path / "site")
    assert second.images.counts["cached"] == len(first)
    # The same pictures keep their files, times included: rsync and git see nothing new.
    assert {p.name: p.stat().st_mtime_ns for p in images_in(tmp_path / "site")} == first
    check_every_image_is_local(tmp_path / "site")


def test_an_image_added_to_an_archived_article_is_saved_in_the_next_build(tmp_path, image_server):
    # Unchanged articles' image URLs come from the build cache (collect_site); an edited article is read again.
    project = make_project(tmp_path / "project", {"col.json": column(FIGURE, "<p>还没有图</p>")}, image_server.config())
    assert build(project, tmp_path / "site").images.counts["downloaded"] == 1
    added = '<p>有图了</p><p><img src="https://img.example.org/added.png" alt="新图"></p>'
    (project / "content" / "col.json").write_text(column(FIGURE, added), encoding="utf-8")
    second = build(project, tmp_path / "site")
    assert (second.images.counts["cached"], second.images.counts["downloaded"]) == (1, 1)
    assert soup(tmp_path / "site" / "p" / "101.html").find("img", alt="新图")["src"].startswith("../images/")
    fresh = make_project(tmp_path / "fresh", {"col.json": column(FIGURE, added)}, image_server.config())
    assert build(fresh, tmp_path / "fresh-site").files == second.files


def test_failures_keep_a_placeholder_and_are_never_cached(tmp_path, image_server):
    content = (
        '<p><img src="https://img.example.org/missing.png" alt="丢失的图" width="300" height="200"></p>'
        '<p><img src="https://img.example.org/cut.png" alt="截断"></p>'
        '<p><img src="https://img.example.org/flaky.png" alt="偶尔出错"></p>'
        '<p><img src="https://img.example.org/slow.png" alt="太慢"></p>'
        '<p><a href="https://example.org/"><img src="https://img.example.org/html.png" alt="网页"></a></p>'
        '<a data-draft-type="link-card" href="https://example.org/card" data-image="https://img.example.org/missing-thumb.png">卡片</a>'
    )
    config = image_server.config(timeout=0.3, retries=1)
    project = make_project(tmp_path / "project", {"col.json": column(content)}, config)
    result = build(project, tmp_path / "site")
    assert result.errors == []
    assert result.images.counts["downloaded"] == 1 and result.images.counts["failed"] == 5
    warned = sorted(p.message for p in result.problems if p.severity == "warning")
    assert any("missing.png (HTTP 404)" in m for m in warned) and any("slow.png" in m and "timed out" in m for m in warned)
    assert any("cut.png" in m and "body cut off" in m for m in warned)
    page = soup(tmp_path / "site" / "p" / "100.html")
    body = page.select_one(".entry-body")
    assert [img["alt"] for img in body.find_all("img")] == ["偶尔出错"]
    missing = body.select_one("a.image-unavailable")
    assert missing["href"] == "https://img.example.org/missing.png"
    assert missing.get_text(" ", strip=True) == "图片未能保存：丢失的图 300 × 200"
    in_link = body.select_one('a[href="https://example.org/"] span.image-unavailable')  # no link inside a link
    assert in_link.get_text(strip=True) == "图片未能保存：网页"
    card = body.select_one("a.link-card")
    assert card is not None and card.find("img") is None, "a card without its thumbnail, no placeholder"
    # Nothing that failed is in the cache: the next build asks again (and only for those).
    image_server.reset()
    build(project, tmp_path / "site2")
    assert "/ex/flaky.png" not in image_server.requests
    assert {"/ex/missing.png", "/ex/cut.png", "/ex/slow.png", "/ex/html.png"} <= set(image_server.requests)


def test_image_folders_come_first(tmp_path, image_server):
    pictures = tmp_path / "project" / "saved"
    (pictures / "deep").mkdir(parents=True)
    by_id = picture_for("/by-id")
    (pictures / "deep" / f"{V2}.jpg").write_bytes(by_id)  # the Zhihu id, another variant's name
    by_name = picture_for("/by-name")
    (pictures / "photo.png").write_bytes(by_name)
    (pictures / "fake.png").write_text("not an image")
    content = FIGURE + '<p><img src="https://img.example.org/x/photo.png"></p><p><img src="https://img.example.org/x/fake.png"></p>'
    project = make_project(tmp_path / "project", {"col.json": column(content)}, image_server.config(dirs=["saved"]))
    result = build(project, tmp_path / "site")
    assert result.images.counts["found locally"] == 2 and result.images.counts["downloaded"] == 1
    assert dict(image_server.requests) == {"/ex/x/fake.png": 1}, "a file that is not an image is not used"
    assert {p.read_bytes() for p in images_in(tmp_path / "site")} == {by_id, by_name, picture_for("/ex/x/fake.png")}


def test_pictures_changed_on_disk_since_the_last_build_are_read_again(tmp_path, image_server):
    # A picture file is read again only when its size or modification time changed (CheckedFiles).
    saved = tmp_path / "project" / "saved"
    saved.mkdir(parents=True)
    (saved / "photo.png").write_bytes(picture_for("/before"))
    content = FIGURE + '<p><img src="https://img.example.org/x/photo.png"></p>'
    project = make_project(tmp_path / "project", {"col.json": column(content)}, image_server.config(dirs=["saved"]))
    build(project, tmp_path / "site")
    assert picture_for("/before") in {p.read_bytes() for p in images_in(tmp_path / "site")}
    (saved / "photo.png").write_bytes(picture_for("/after"))  # the user saved a better copy
    [cached] = [p for p in (project / ".zhsite-cache" / "objects").rglob("*") if p.is_file()]
    cached.write_bytes(cached.read_bytes()[:-3])  # and the downloaded figure was damaged on disk
    image_server.reset()
    second = build(project, tmp_path / "site")
    assert {p.read_bytes() for p in images_in(tmp_path / "site")} == {picture_for("/after"), picture_for(f"/pic1/{V2}_r.jpg")}
    assert dict(image_server.requests) == {f"/pic1/{V2}_r.jpg": 1}, "the damaged copy is a miss, downloaded again"
    assert (second.images.counts["found locally"], second.images.counts["downloaded"]) == (1, 1)


def test_remote_mode_leaves_pages_alone(tmp_path, image_server):
    project = make_project(tmp_path / "project", {"col.json": column(FIGURE)}, image_server.config(mode="remote"))
    result = build(project, tmp_path / "site")
    assert result.images is None and image_server.total == 0
    img = soup(tmp_path / "site" / "p" / "100.html").select_one("figure img")
    assert img["src"] == f"https://pic1.zhimg.com/{V2}_b.jpg"
    assert sorted(p.name for p in (project / ".zhsite-cache").iterdir()) == [".gitignore", "build.lock", "build.sqlite"]  # no image copies


# A theme showing each article's title image in lists too: on the home page (the site's root) and the topic list (a sub-folder).
COVERS = ('{% extends "base.html" %}{% block main %}'
          '{% for a in site.articles %}<img class="cover" src="{{ url(site.title_image(a)) }}" alt="">{% endfor %}{% endblock %}')


def test_title_images_are_local_too_on_every_page_showing_them(tmp_path, image_server):
    api = {"id": 7, "type": "article", "title": "带题图", "content": "<p>正文</p>", "image_url": "https://img.example.org/title.png"}
    project = make_project(tmp_path / "project", {"api.json": json.dumps(api)}, image_server.config())
    for name in ("index.html", "topics.html"):
        (project / "templates" / name).parent.mkdir(exist_ok=True)
        (project / "templates" / name).write_text(COVERS, encoding="utf-8")
    result = build(project, tmp_path / "site")
    site = tmp_path / "site"
    image = result.site.title_image(result.site.articles[0])
    assert image.startswith("images/") and (site / image).is_file(), "the model holds the site path, for every page to make relative"
    assert result.site.articles[0].image == api["image_url"], "the article keeps the archive's URL for the next build's image step"
    assert soup(site / "p" / "7.html").select_one("img.entry-image")["src"] == f"../{image}"
    assert soup(site / "topics" / "index.html").select_one("img.cover")["src"] == f"../{image}"
    assert soup(site / "index.html").select_one("img.cover")["src"] == image
    check_every_image_is_local(site)

    remote = make_project(tmp_path / "remote", {"api.json": json.dumps(api)}, '[images]\nmode = "remote"\n')
    build(remote, tmp_path / "remote-site")
    assert soup(tmp_path / "remote-site" / "p" / "7.html").select_one("img.entry-image")["src"] == "https://img.example.org/title.png"


def test_a_title_image_stays_local_on_every_rebuild_of_reused_articles(tmp_path):
    """``serve`` keeps the loaded articles between rebuilds: the second image step must find the title image again."""
    api = {"id": 7, "type": "article", "title": "带题图", "content": "<p>正文</p>", "image_url": "https://img.example.org/title.png"}
    project = make_project(tmp_path, {"api.json": json.dumps(api)}, '[images]\nmode = "local"\noffline = true\ndirs = ["saved"]\n')
    (project / "saved").mkdir()
    (project / "saved" / "title.png").write_bytes(picture_for("title.png"))
    config, session = load_config(project), Session(project)  # serve's: one session across rebuilds
    for _ in range(2):
        planned = prepare(project, config, session)
        image = planned.site.title_image(planned.site.articles[0])
        assert image.startswith("images/") and image in planned.copies.sources
        assert planned.problems == []


def test_collect_finds_what_the_rewrite_keeps():
    html = (
        FIGURE
        + '<img src="https://www.zhihu.com/equation?tex=x" alt="x" eeimg="1">'
        + '<a data-draft-type="link-card" href="https://e.org" data-image="https://pic2.zhimg.com/v2-cd_ipico.jpg">e</a>'
        + '<img src="data:image/png;base64,AAAA">'
    )
    urls = list(dict.fromkeys(u for u in html_image_urls(html) if u))
    assert urls == [f"https://pic1.zhimg.com/{V2}_b.jpg", f"https://pic1.zhimg.com/{V2}_r.jpg", "https://pic2.zhimg.com/v2-cd_ipico.jpg"]


@pytest.mark.parametrize("archive", [SHALLOW, CAPTAIN], ids=["shallow", "captain"])
def test_every_picture_a_rewritten_seed_page_shows_was_collected(archive):
    """The image phase lists the pictures before the rewrite runs: whatever a page then shows must be on its list."""
    shown_in_all = 0
    for article in json.loads(archive.read_text(encoding="utf-8"))["article"]:
        collected = {absolute(url) for url in html_image_urls(article["content"])}
        page = lxml.html.fragment_fromstring(rewrite(article["content"], RewriteContext(page="p/1.html")).html, create_parent="div")
        shown = {absolute(img.get("src")) for img in page.iter("img")} | {absolute(a.get("href")) for a in page.find_class("zoom")}
        assert shown - {""} <= collected, article["url"]
        shown_in_all += len(shown - {""})
    assert shown_in_all > 20


def test_collect_groups_variants_best_first(tmp_path):
    from zhsite.build import assemble_site
    from zhsite.load import load_content

    project = make_project(tmp_path, {"col.json": column(f'<img src="https://pic3.zhimg.com/80/{V2}_720w.jpg">', FIGURE)})
    config = load_config(project)
    site, _ = assemble_site(config, load_content(project / "content"))
    pictures = list(collect_site(site).pictures.values())
    assert len(pictures) == 1
    assert pictures[0].urls[0] == f"https://pic1.zhimg.com/{V2}_r.jpg"
    assert pictures[0].where in ("article 100", "article 101") and pictures[0].source == "content/col.json"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[images]\nmod = 'local'", "images.mod: error: unknown key"),
        ("[images]\nmode = 'sometimes'", "images.mode: error: wrong value: must be one of 'remote', 'local'"),
        ("[images]\ndirs = 'pictures'", "images.dirs: error: wrong value: expected a list of str"),
        ("[images]\nmirrors = { 'pic1.zhimg.com' = 'http://x/' }", "images.mirrors: error: wrong value: both sides must start with http"),
        ("[images]\ntimeout = 0", "images.timeout: error: wrong value: expected a positive number"),
        ("[images]\nretries = true", "images.retries: error: wrong value: expected an int >= 0"),
        ("[images]\noffline = 'yes'", "images.offline: error: wrong value: expected a bool"),
        ("images = 'local'", "images: error: wrong value: expected a table"),
    ],
)
def test_images_config_mistakes_name_the_key(tmp_path, text, message):
    (tmp_path / "zhsite.toml").write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as error:
        load_config(tmp_path)
    assert message in str(error.value)


def test_images_config_and_command_line(tmp_path):
    (tmp_path / "zhsite.toml").write_text("[images]\ndirs = ['a']\nmirrors = { 'https://x/' = 'http://y/' }\ntimeout = 5\n", encoding="utf-8")
    config = load_config(tmp_path, {"images": {"mode": "local", "offline": None}})
    assert config.images == ImagesConfig(mode="local", dirs=("a",), mirrors=(("https://x/", "http://y/"),), timeout=5.0)
    assert load_config(tmp_path / "nowhere").images == ImagesConfig()
    result = CliRunner().invoke(main, ["build", "-s", str(tmp_path), "--images", "remote", "--offline"])
    assert result.exit_code == 2 and "--offline needs --images local" in result.output


def test_odd_urls_never_fail_the_build_or_stay_remote(tmp_path, image_server):
    content = (
        '<p><img src="https://img.example.org/图片 一.png" alt="中文名"></p>'
        '<p><img src="http://[broken/a.png" alt="坏地址"></p>'
        '<p><img src="https://img.example.org:notaport/a.png" alt="坏端口"></p>'
    )
    project = make_project(tmp_path / "project", {"col.json": column(content)}, image_server.config(retries=0))
    result = build(project, tmp_path / "site")
    assert result.errors == []
    assert image_server.requests["/ex/%E5%9B%BE%E7%89%87%20%E4%B8%80.png"] == 1
    body = soup(tmp_path / "site" / "p" / "100.html").select_one(".entry-body")
    assert [img["alt"] for img in body.find_all("img")] == ["中文名"]
    assert body.find("img")["src"].startswith("../images/")
    assert [h.get_text(strip=True) for h in body.select(".image-unavailable")] == ["图片未能保存：坏地址", "图片未能保存：坏端口"]


def test_a_download_cut_off_resumes_in_the_next_build(tmp_path, image_server):
    content = '<p><img src="https://img.example.org/halfway.png" alt="半张"></p>'
    project = make_project(tmp_path / "project", {"col.json": column(content)}, image_server.config(retries=0))
    first = build(project, tmp_path / "site")
    assert first.images.counts["failed"] == 1
    assert len(list((project / ".zhsite-cache" / "partial").iterdir())) == 1, "the half that arrived is kept in the cache folder"
    second = build(project, tmp_path / "site")
    assert second.images.counts["downloaded"] == 1
    whole = picture_for("/ex/halfway.png")
    assert image_server.exchanges["/ex/halfway.png"] == [(None, 200), (f"bytes={len(whole) // 2}-", 206)]
    assert [p.read_bytes() for p in images_in(tmp_path / "site")] == [whole]
