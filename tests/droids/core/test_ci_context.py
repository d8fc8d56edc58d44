"""What hooks and CI hand a run: the commit message file and the event payload, bad input named."""

from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.ci_context import event_path, load_event, read_commit_message
from droids.core.errors import DroidError

# (file content or None for a missing file, the one line the user sees)
BAD_EVENTS = [
    (None, "GitHub event payload not found"),
    ("{not json", r":1: GitHub event payload is not valid JSON"),
    ("[1, 2]", "GitHub event payload: expected a JSON object"),
    (b"\xff\xfe{", "cannot read the GitHub event payload"),
]


@pytest.mark.parametrize(("content", "says"), BAD_EVENTS, ids=["missing", "not-json", "not-object", "not-utf8"])
def test_a_bad_event_payload_is_one_line_of_bad_input(tmp_path: Path, content: str | bytes | None, says: str) -> None:
    path = tmp_path / "event.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(DroidError, match=says) as caught:
        load_event(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        ({"GITHUB_EVENT_PATH": "/runner/event.json"}, "/runner/event.json"),
        ({"GITHUB_EVENT_PATH": "/runner/e.json", "DROID_GITHUB_EVENT_PATH": "/mine.json"}, "/mine.json"),
        ({"GITHUB_EVENT_PATH": ""}, None),
    ],
)
def test_droid_variable_names_the_payload_first(env: dict[str, str], expected: str | None) -> None:
    found = event_path(env)
    assert (str(found) if found else None) == expected


def test_commit_message_is_read_and_a_missing_file_is_bad_input(tmp_path: Path) -> None:
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text("Tighten the drawdown\n\nApproved-by: risk@example.com\n")
    assert read_commit_message(message).endswith("Approved-by: risk@example.com\n")
    with pytest.raises(DroidError, match=r"--commit-msg .*no-such: no such file"):
        read_commit_message(tmp_path / "no-such")
