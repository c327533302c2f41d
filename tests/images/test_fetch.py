"""Downloading against a real server on 127.0.0.1: retries where they help, checks that never let a bad body through."""
from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from tests.images.server import picture_for
from zhsite.images.cache import ImageCache
from zhsite.images.fetch import MAX_RETRY_AFTER, UNANSWERED_LIMIT, Fetcher, FetchError, apply_mirrors, retry_after
from zhsite.pictures import image_format


def fetcher(server, **options) -> Fetcher:
    options = {"timeout": 0.3, "retries": 2} | options
    return Fetcher([("https://img.example.org/", f"{server.url}ex/")], **options)


def test_a_picture_through_its_mirror(image_server):
    fetched = fetcher(image_server).fetch("https://img.example.org/a/picture.png")
    assert fetched.data == picture_for("/ex/a/picture.png")
    assert fetched.ext == "png" and fetched.attempts == 1
    assert image_server.requests == {"/ex/a/picture.png": 1}


def test_404_is_not_retried(image_server):
    with pytest.raises(FetchError) as error:
        fetcher(image_server).fetch("https://img.example.org/missing.png")
    assert error.value.reason == "HTTP 404"
    assert image_server.requests["/ex/missing.png"] == 1


def test_500_is_retried_and_then_succeeds(image_server):
    fetched = fetcher(image_server).fetch("https://img.example.org/flaky.png")
    assert fetched.attempts == 2 and image_format(fetched.data) == "png"
    assert image_server.requests["/ex/flaky.png"] == 2


def test_500_every_time_gives_up_after_the_retries(image_server):
    with pytest.raises(FetchError) as error:
        fetcher(image_server, retries=2).fetch("https://img.example.org/broken.png")
    assert error.value.reason == "HTTP 500, after 3 attempts"
    assert image_server.requests["/ex/broken.png"] == 3


def test_429_with_retry_after_is_asked_again(image_server):
    # How long it waits is retry_after's answer (below); tests assert no durations.
    fetched = fetcher(image_server).fetch("https://img.example.org/busy.png")
    assert fetched.attempts == 2 and fetched.data == picture_for("/ex/busy.png")


def test_retry_after_reads_seconds_and_dates_and_is_capped():
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after("7", now) == 7.0
    assert retry_after(format_datetime(now + timedelta(seconds=5), usegmt=True), now) == 5.0
    assert retry_after("Wed, 01 May 2024 11:00:00 GMT", now) == 0.0, "a date already past: retry now"
    assert retry_after("86400", now) == MAX_RETRY_AFTER
    assert retry_after("soon", now) is None and retry_after(None, now) is None and retry_after("-3", now) is None


def test_a_slow_server_times_out_and_is_retried(image_server):
    with pytest.raises(FetchError) as error:
        fetcher(image_server, retries=1).fetch("https://img.example.org/slow.png")
    assert error.value.reason == "timed out after 0.3s, after 2 attempts"
    assert image_server.requests["/ex/slow.png"] == 2


def test_a_cut_off_body_is_a_failure(image_server):
    with pytest.raises(FetchError) as error:
        fetcher(image_server, retries=1).fetch("https://img.example.org/cut.png")
    assert error.value.reason.startswith("body cut off (")
    assert image_server.requests["/ex/cut.png"] == 2


def test_a_web_page_is_not_an_image(image_server):
    with pytest.raises(FetchError) as error:
        fetcher(image_server).fetch("https://img.example.org/html.png")
    assert error.value.reason == "not an image (Content-Type text/html)"
    assert image_server.requests["/ex/html.png"] == 1


def test_only_http_urls_are_opened(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(picture_for("/x"))
    with pytest.raises(FetchError, match="not an http"):
        Fetcher([("https://img.example.org/", "http://x/")]).fetch(secret.as_uri())


def test_unknown_host_is_not_retried():
    with pytest.raises(FetchError) as error:
        Fetcher(timeout=2, retries=3).fetch("http://no-such-host.invalid/a.png")
    assert error.value.reason.startswith("cannot connect (")


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_host_that_refuses_its_first_connections_is_not_asked_again():
    port = closed_port()
    fetcher = Fetcher([("https://pic1.zhimg.com/", f"http://127.0.0.1:{port}/")], timeout=2, retries=3)
    reasons = []
    for n in range(6):
        with pytest.raises(FetchError) as error:
            fetcher.fetch(f"https://pic1.zhimg.com/v2-{n}.jpg")
        assert error.value.unanswered
        reasons.append(error.value.reason)
    assert all(reason.startswith("cannot connect (") for reason in reasons[:UNANSWERED_LIMIT])
    assert all(reason.startswith("not tried: 127.0.0.1:") and "did not answer (cannot connect" in reason for reason in reasons[UNANSWERED_LIMIT:])
    assert list(fetcher.unanswered) == [f"127.0.0.1:{port}"]


def test_a_host_that_hangs_up_is_given_up_after_as_many_connections_in_all(image_server):
    fetcher = Fetcher([("https://pic1.zhimg.com/", f"{image_server.url}hangup/")], timeout=2, retries=5)
    for n in range(5):
        with pytest.raises(FetchError) as error:
            fetcher.fetch(f"https://pic1.zhimg.com/v2-{n}.jpg")
        assert error.value.unanswered
    # The first picture's retries used the connections up: none of the others was asked for.
    assert image_server.requests == {"/hangup/v2-0.jpg": UNANSWERED_LIMIT}
    assert "connection dropped" in error.value.reason and error.value.reason.startswith("not tried")


def test_a_host_that_never_sends_a_status_line_is_given_up_after_as_many_timeouts(image_server):
    fetcher = Fetcher([("https://pic1.zhimg.com/", f"{image_server.url}ex/")], timeout=0.3, retries=5)
    for n in range(4):
        with pytest.raises(FetchError, match="timed out after 0.3s") as error:
            fetcher.fetch(f"https://pic1.zhimg.com/slow-{n}.png")
    assert image_server.requests == {"/ex/slow-0.png": UNANSWERED_LIMIT}
    assert error.value.reason.startswith("not tried")


def test_a_host_that_answered_once_is_never_given_up(image_server):
    fetcher = Fetcher([("https://pic1.zhimg.com/", f"{image_server.url}")], timeout=2, retries=1)
    assert fetcher.fetch("https://pic1.zhimg.com/v2-good.jpg").ext == "png"
    fetcher.mirrors = (("https://pic1.zhimg.com/", f"{image_server.url}hangup/"),)  # the same host stops answering
    for n in range(UNANSWERED_LIMIT + 2):
        with pytest.raises(FetchError, match="connection dropped"):
            fetcher.fetch(f"https://pic1.zhimg.com/v2-{n}.jpg")
    assert fetcher.unanswered == {}
    assert sum(count for path, count in image_server.requests.items() if path.startswith("/hangup/")) == 2 * (UNANSWERED_LIMIT + 2)


def test_mirrors_longest_prefix_wins():
    mirrors = [("https://pic1.zhimg.com/", "http://a/"), ("https://pic1.zhimg.com/80/", "http://b/")]
    assert apply_mirrors("https://pic1.zhimg.com/80/v2-x.jpg", sorted(mirrors, key=lambda m: -len(m[0]))) == "http://b/v2-x.jpg"
    assert Fetcher(mirrors).mirrors[0][0] == "https://pic1.zhimg.com/80/"


def test_cache_is_content_addressed_and_checks_its_bytes(tmp_path):
    cache = ImageCache(tmp_path)
    data = picture_for("/one")
    first = cache.put("https://a.example/1.png", data, "png")
    second = cache.put("https://b.example/2.png", data, "png")
    assert first.name == second.name
    assert len(list((tmp_path / "objects").rglob("*.png"))) == 1
    assert cache.get("https://b.example/2.png").path.read_bytes() == data
    assert cache.get("https://c.example/3.png") is None
    object_file = next((tmp_path / "objects").rglob("*.png"))
    object_file.write_bytes(data[:-3])  # damaged on disk: a miss, never served
    assert cache.get("https://a.example/1.png") is None


def resumable(server, partials, **options) -> Fetcher:
    return fetcher(server, partial_dir=partials, **options)


def test_a_body_cut_off_once_resumes_where_it_stopped(image_server, tmp_path):
    whole = picture_for("/ex/halfway.png")
    fetched = resumable(image_server, tmp_path / "partial").fetch("https://img.example.org/halfway.png")
    assert fetched.data == whole and fetched.attempts == 2
    half = len(whole) // 2
    assert image_server.exchanges["/ex/halfway.png"] == [(None, 200), (f"bytes={half}-", 206)], "the retry asked only for the rest"
    assert not any((tmp_path / "partial").iterdir()), "the kept bytes are gone once the picture is whole"


def test_the_kept_bytes_outlive_the_fetch_that_got_them(image_server, tmp_path):
    with pytest.raises(FetchError, match=r"body cut off"):
        resumable(image_server, tmp_path / "partial", retries=0).fetch("https://img.example.org/halfway.png")
    [kept] = (tmp_path / "partial").iterdir()
    whole = picture_for("/ex/halfway.png")
    assert kept.read_bytes().endswith(b"\n" + whole[: len(whole) // 2])
    fetched = resumable(image_server, tmp_path / "partial", retries=0).fetch("https://img.example.org/halfway.png")
    assert fetched.data == whole
    assert image_server.exchanges["/ex/halfway.png"][-1] == (f"bytes={len(whole) // 2}-", 206)


def test_a_server_that_ignores_range_starts_over(image_server, tmp_path):
    fetched = resumable(image_server, tmp_path / "partial").fetch("https://img.example.org/norange-halfway.png")
    assert fetched.data == picture_for("/ex/norange-halfway.png")
    assert [status for _, status in image_server.exchanges["/ex/norange-halfway.png"]] == [200, 200]


def test_kept_bytes_of_a_picture_that_changed_are_not_used(image_server, tmp_path):
    """If-Range carries the ETag the kept bytes came with; a server whose picture changed sends it whole."""
    fetch = resumable(image_server, tmp_path / "partial", retries=0)
    with pytest.raises(FetchError):
        fetch.fetch("https://img.example.org/halfway.png")
    [kept] = (tmp_path / "partial").iterdir()
    kept.write_bytes(b'"an-older-etag"\n' + b"\x89PNG old bytes")
    assert fetch.fetch("https://img.example.org/halfway.png").data == picture_for("/ex/halfway.png")
    assert image_server.exchanges["/ex/halfway.png"][-1] == ("bytes=14-", 200)


def test_kept_bytes_the_server_cannot_continue_are_dropped(image_server, tmp_path):
    with pytest.raises(FetchError):
        resumable(image_server, tmp_path / "partial", retries=0).fetch("https://img.example.org/halfway.png")
    [kept] = (tmp_path / "partial").iterdir()
    etag = kept.read_bytes().partition(b"\n")[0]
    kept.write_bytes(etag + b"\n" + b"\x89PNG" * 100)  # longer than the picture: the server answers 416
    fetched = resumable(image_server, tmp_path / "partial", retries=1).fetch("https://img.example.org/halfway.png")
    assert fetched.data == picture_for("/ex/halfway.png")
    assert [status for _, status in image_server.exchanges["/ex/halfway.png"]] == [200, 416, 200]
