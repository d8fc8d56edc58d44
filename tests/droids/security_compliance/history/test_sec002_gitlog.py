"""SEC002's `git log -p` reader on real repositories: which lines count as added, at which line of which blob."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from droids.security_compliance.history.gitlog import Commit, FileDiff, stream_diffs
from droids.security_compliance.history.objects import commit_list
from tests.conftest import git


def commit(repo: Path, files: dict[str, str | bytes | None], message: str = "change") -> str:
    """Write (or delete, for None) the files, commit them all, return the commit id."""
    for name, content in files.items():
        path = repo / name
        if content is None:
            git(repo, "rm", "-q", "--", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, newline="")
        git(repo, "add", "--", name)
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def diffs_of(repo: Path, sha: str) -> list[FileDiff]:
    return [item for item in stream_diffs(repo, [sha]) if isinstance(item, FileDiff)]


def added(repo: Path, sha: str) -> dict[str, list[tuple[int, bytes]]]:
    return {d.path: d.added for d in diffs_of(repo, sha)}


TEN = "".join(f"line {i}\n" for i in range(1, 11))

# files before, files after, what the second commit added: path -> [(line in the new blob, text)]
CASES = [
    ("new file", {}, {"a.py": "x = 1\ny = 2\n"}, {"a.py": [(1, b"x = 1"), (2, b"y = 2")]}),
    ("line changed in the middle", {"a.txt": TEN}, {"a.txt": TEN.replace("line 5\n", "five\n")},
     {"a.txt": [(5, b"five")]}),
    ("lines appended", {"a.txt": TEN}, {"a.txt": TEN + "eleven\ntwelve\n"},
     {"a.txt": [(11, b"eleven"), (12, b"twelve")]}),
    ("two hunks", {"a.txt": TEN}, {"a.txt": "zero\n" + TEN.replace("line 9\n", "nine\n")},
     {"a.txt": [(1, b"zero"), (10, b"nine")]}),
    ("only deletions", {"a.txt": TEN}, {"a.txt": TEN.replace("line 3\n", "")}, {}),
    ("file deleted", {"a.txt": TEN}, {"a.txt": None}, {}),
    ("pure rename adds nothing", {"old/a.txt": TEN}, {"old/a.txt": None, "new/a.txt": TEN}, {}),
    ("rename with an edit adds the edit", {"old/a.txt": TEN}, {"old/a.txt": None, "new/b.txt": TEN + "more\n"},
     {"new/b.txt": [(11, b"more")]}),
    ("CRLF line endings", {}, {"w.ini": "[a]\r\nkey = 1\r\n"}, {"w.ini": [(1, b"[a]\r"), (2, b"key = 1\r")]}),
    ("no newline at end of file", {"a.txt": "one\ntwo"}, {"a.txt": "one\nthree"}, {"a.txt": [(2, b"three")]}),
    ("path with a space, a quote and non-ASCII", {}, {'dir x/"q"\u00e9.txt': "hi\n"},
     {'dir x/"q"\u00e9.txt': [(1, b"hi")]}),
    ("a line that looks like a diff header", {}, {"h.txt": "+++ b/other\n--- a/x\n@@ -1 +1 @@\n"},
     {"h.txt": [(1, b"+++ b/other"), (2, b"--- a/x"), (3, b"@@ -1 +1 @@")]}),
]  # fmt: skip


@pytest.mark.parametrize(("before", "after", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_added_lines_and_their_line_numbers(
    git_repo: Path, before: dict[str, str | None], after: dict[str, str | None], expected: dict[str, list]
) -> None:
    if before:
        commit(git_repo, before, "before")
    sha = commit(git_repo, after, "after")

    assert added(git_repo, sha) == expected


def test_the_new_blob_id_is_the_one_git_stores(git_repo: Path) -> None:
    sha = commit(git_repo, {"a.py": "x = 1\n"})

    (diff,) = diffs_of(git_repo, sha)

    assert diff.blob == git(git_repo, "rev-parse", f"{sha}:a.py").strip()
    assert diff.commit.sha == sha
    assert diff.commit.email == "dev@example.com"
    assert diff.commit.parents == (git(git_repo, "rev-parse", f"{sha}~1").strip(),)


@pytest.mark.parametrize("name", ["img.png", "dir x/img 2.png", 'q"uote\u00e9.png'])
def test_a_binary_file_is_flagged_not_read(git_repo: Path, name: str) -> None:
    sha = commit(git_repo, {name: b"\x89PNG\r\n\x1a\n\0\0\0rest"})

    (diff,) = diffs_of(git_repo, sha)

    assert (diff.path, diff.binary, diff.added) == (name, True, [])


def test_the_root_commit_adds_every_line(git_repo: Path) -> None:
    root = git(git_repo, "rev-list", "--max-parents=0", "HEAD").strip()

    assert added(git_repo, root) == {"README.md": [(1, b"# demo")]}


def test_a_merge_adds_only_what_no_parent_had(git_repo: Path) -> None:
    commit(git_repo, {"conf.txt": "a\nb\nc\n"}, "base")
    git(git_repo, "checkout", "-q", "-b", "side")
    commit(git_repo, {"conf.txt": "a\nside\nc\n"}, "side")
    git(git_repo, "checkout", "-q", "main")
    commit(git_repo, {"conf.txt": "a\nmain\nc\n"}, "main")
    conflict = subprocess.run(["git", "-C", str(git_repo), "merge", "-q", "side"], capture_output=True, check=False)
    assert conflict.returncode != 0
    (git_repo / "conf.txt").write_text("a\nresolved\nc\n")
    git(git_repo, "add", "conf.txt")
    git(git_repo, "commit", "-q", "--no-edit")
    merge = git(git_repo, "rev-parse", "HEAD").strip()

    assert added(git_repo, merge) == {"conf.txt": [(2, b"resolved")]}


def test_a_clean_merge_adds_nothing(git_repo: Path) -> None:
    git(git_repo, "checkout", "-q", "-b", "side")
    commit(git_repo, {"side.txt": "from side\n"}, "side")
    git(git_repo, "checkout", "-q", "main")
    commit(git_repo, {"main.txt": "from main\n"}, "main")
    git(git_repo, "merge", "-q", "--no-edit", "side")

    assert added(git_repo, git(git_repo, "rev-parse", "HEAD").strip()) == {}


def test_commits_are_listed_oldest_first_and_each_is_reported(git_repo: Path) -> None:
    first = commit(git_repo, {"a.txt": "1\n"})
    second = commit(git_repo, {"a.txt": "1\n2\n"})
    shas = commit_list(git_repo, [second], [])

    seen = [item.sha for item in stream_diffs(git_repo, shas) if isinstance(item, Commit)]

    assert shas[-2:] == [first, second]
    assert seen == shas


def test_no_commits_reads_nothing(git_repo: Path) -> None:
    assert list(stream_diffs(git_repo, [])) == []
