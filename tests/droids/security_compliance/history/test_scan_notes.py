"""The history scan's notes count blobs and, when a file had several versions, the files they were."""

from __future__ import annotations

import pytest

from droids.security_compliance.history.collect import Collected
from droids.security_compliance.history.scan import _collect_notes


@pytest.mark.parametrize(
    ("binary", "oversized", "notes"),
    [
        ([], [], []),
        (["a.png", "b.onnx"], [], ["skipped 2 binary blob(s): a.png, b.onnx"]),
        (["a.png", "a.png", "b.onnx"], [], ["skipped 3 binary blob(s) (versions of 2 files): a.png, b.onnx"]),
        ([], ["big.csv"] * 2, ["skipped 2 blob(s) (versions of 1 file) over 2 MB: big.csv"]),
        (
            [f"f{i}.bin" for i in range(7)],
            [],
            ["skipped 7 binary blob(s): f0.bin, f1.bin, f2.bin, f3.bin, f4.bin and 2 more"],
        ),
    ],
)
def test_skipped_blobs_are_counted_with_their_files(binary: list[str], oversized: list[str], notes: list[str]) -> None:
    assert _collect_notes(Collected(binary=binary, oversized=oversized)) == notes
