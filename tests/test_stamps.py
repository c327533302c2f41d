"""A file's stamp (zhsite/stamps.py): its size and modification time as one number, which a later build compares to
leave the file in place.  Two files differing in either have different stamps, whatever the time (archives restored
with times before 1970, or at 0, exist), and no file's stamp is that of what is no file."""
import os

import pytest

from zhsite.stamps import NOT_A_FILE, site_stamps, size_of, stamp_of

TIMES = [-(2**63), -1_000_000_000, -1, 0, 1, 1_700_000_000_123_456_789, 2**63 - 1]


@pytest.mark.parametrize("size", [0, 1, 4096, 5 * 2**30])
def test_files_differing_in_size_or_time_have_different_stamps_and_none_is_not_a_file(tmp_path, size):
    stamps = {}
    for n, mtime_ns in enumerate(TIMES):
        path = tmp_path / f"{n}.html"
        with open(path, "wb") as file:
            file.truncate(size)  # sparse: five gigabytes take no room
        os.utime(path, ns=(0, mtime_ns))
        if os.stat(path).st_mtime_ns != mtime_ns:
            continue  # a time this file system cannot hold
        stamps[mtime_ns] = stamp_of(str(path))
        assert size_of(stamps[mtime_ns]) == size
        assert stamps[mtime_ns] != NOT_A_FILE
    assert len(stamps) >= 5 and len(set(stamps.values())) == len(stamps)
    assert site_stamps(tmp_path) == {path.name: stamp_of(str(path)) for path in tmp_path.iterdir()}


def test_what_is_no_file_has_no_size(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    for path in ("folder", "gone", "missing"):
        assert stamp_of(str(tmp_path / path)) == NOT_A_FILE
    assert size_of(NOT_A_FILE) == -1
