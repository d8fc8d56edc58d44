"""No way around SEC001 by encoding: a stray NUL, UTF-16/32 with a byte-order mark, a binary file
and, in a gate, a file over the size limit are all read; a key in any of them is found."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from droids.core.models import Task
from droids.core.protocol import DroidContext
from droids.core.targets import path_targets, staged_targets
from droids.security_compliance.secrets import sec001_hardcoded_secret as sec001
from droids.security_compliance.secrets.runner import MAX_FILE_BYTES
from tests import secret_values as sv
from tests.conftest import git


def _wrap(kind: str, line: bytes) -> bytes:
    text = b"# settings\n" + line + b"\n"
    return {
        "plain": text,
        "stray-nul": b"# \0 a NUL byte makes git call this binary\n" + line + b"\n",
        "utf-8-bom": codecs.BOM_UTF8 + text,
        "utf-16-le": codecs.BOM_UTF16_LE + text.decode().encode("utf-16-le"),
        "utf-16-be": codecs.BOM_UTF16_BE + text.decode().encode("utf-16-be"),
        "utf-32-le": codecs.BOM_UTF32_LE + text.decode().encode("utf-32-le"),
        "binary": bytes(range(256)) * 4 + b"\0\0\0" + line + b"\0\0" + bytes(range(255, -1, -1)) * 4,
        "oversized": b"x = 1\n" * (MAX_FILE_BYTES // 6 + 10) + line + b"\n",
    }[kind]


def _task(repo: Path, mode: str, targets) -> Task:
    return Task(mode=mode, profile="pre-commit" if mode == "gate" else "audit", repo=repo,  # type: ignore[arg-type]
                policies=repo / "policies", targets=targets)  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "line"),
    [("plain", 2), ("stray-nul", 2), ("utf-8-bom", 2), ("utf-16-le", 2), ("utf-16-be", 2), ("utf-32-le", 2),
     ("binary", None), ("oversized", MAX_FILE_BYTES // 6 + 11)],
)  # fmt: skip
def test_a_staged_key_is_found_whatever_the_encoding(git_repo: Path, kind: str, line: int | None) -> None:
    key = sv.aws_access_key(7)
    (git_repo / "settings.cfg").write_bytes(_wrap(kind, f'AWS_ACCESS_KEY_ID = "{key}"'.encode()))
    git(git_repo, "add", "settings.cfg")
    outcome = sec001.run(_task(git_repo, "gate", staged_targets(git_repo)), DroidContext(git_repo / ".droid"))
    found = [f for f in outcome.findings if f.rule == "SEC001"]
    assert [(f.path, f.line) for f in found] == [("settings.cfg", line)], outcome.notes
    assert key not in repr(found) and key not in " ".join(outcome.notes)


def test_an_audit_skips_an_oversized_file_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "big.csv").write_bytes(_wrap("oversized", f'AWS_ACCESS_KEY_ID = "{sv.aws_access_key(3)}"'.encode()))
    outcome = sec001.run(_task(tmp_path, "audit", path_targets(["big.csv"])), DroidContext(tmp_path / ".droid"))
    assert outcome.findings == []
    assert any("over 2 MB: big.csv" in note for note in outcome.notes)


def test_a_binary_without_a_secret_raises_nothing(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(bytes(range(256)) * 64 + b"\0\0plain words of a model header\0\0")
    outcome = sec001.run(_task(tmp_path, "audit", path_targets(["model.bin"])), DroidContext(tmp_path / ".droid"))
    assert outcome.findings == []
    assert any("scanned 1 binary file as printable strings: model.bin" in note for note in outcome.notes)
