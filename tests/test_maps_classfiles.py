"""The WebGL map's classes: one file per set of classes, named by its content."""

from __future__ import annotations

import numpy as np
import pytest

from locscan.maps import classfiles


def test_classes_are_one_file_named_by_content_and_old_ones_go(tmp_path):
    codes, scores = np.array([1, 2, 3], dtype=np.uint8), np.array([0, 50, 255], dtype=np.uint8)
    name = classfiles.write_classes(codes, scores, tmp_path, now=1_000.0)
    assert (tmp_path / name).read_bytes() == bytes([1, 2, 3, 0, 50, 255])  # codes, then scores
    # the same classes: the same name, and the file counts as used again
    keep = classfiles.CLASSES_KEEP_S
    assert classfiles.write_classes(codes, scores, tmp_path, now=1_000.0 + keep / 2) == name
    # other classes, later: a new file; the first, used within the time kept, stays
    other = classfiles.write_classes(codes[::-1], scores, tmp_path, now=1_000.0 + keep)
    assert other != name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, other])
    # long after: a new file removes the ones not used since
    last = classfiles.write_classes(codes, scores[::-1], tmp_path, now=1_000.0 + 3 * keep)
    assert [p.name for p in tmp_path.iterdir()] == [last]
    # the region's other files are never removed
    (tmp_path / "abc.points.bin").write_bytes(b"x")
    classfiles.write_classes(codes, codes, tmp_path, now=1_000.0 + 9 * keep)
    assert (tmp_path / "abc.points.bin").exists()


def test_classes_and_scores_must_be_as_many():
    with pytest.raises(ValueError, match="3 classes but 2 scores"):
        classfiles.write_classes(np.zeros(3), np.zeros(2), "unused")
