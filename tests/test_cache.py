"""The build cache (zhsite/cache.py) from the user's side: it only ever costs or saves time."""
from __future__ import annotations

from zhsite.build import build
from zhsite.cache import CACHE_FILE


def test_a_damaged_cache_file_is_replaced_and_costs_nothing_but_time(seed_project, seed_build, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "content").symlink_to(seed_project / "content")
    (project / "zhsite.toml").symlink_to(seed_project / "zhsite.toml")
    (project / ".zhsite-cache").mkdir()
    (project / ".zhsite-cache" / CACHE_FILE).write_bytes(b"not a database" * 100)
    result = build(project)
    assert result.errors == []
    assert result.files == seed_build.files
    assert (project / ".zhsite-cache" / CACHE_FILE).read_bytes().startswith(b"SQLite format 3"), "replaced by a working cache"
