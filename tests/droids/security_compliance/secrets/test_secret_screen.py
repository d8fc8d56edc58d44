"""The "secret-screen" service other droids and the orchestrator call: one kind per secret, the most
specific one, as SEC001 names its finding."""

from __future__ import annotations

import pytest

from droids.security_compliance.secrets.runner import secret_kinds
from tests import secret_values as sv

CASES = [
    ("quoted GitHub token", f'"value": "{sv.github_token(7)}"', [(1, "GitHub Access Token")]),
    ("bare GitHub token", f"is {sv.github_token(7)} leaked?", [(1, "GitHub Access Token")]),
    ("AWS key on line 2", f"fine\nkey = '{sv.aws_access_key(3)}'", [(2, "AWS Access Key")]),
    ("nothing", "plain words, no secret", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_kind_per_secret_the_most_specific(text: str, expected: list[tuple[int, str]]) -> None:
    assert secret_kinds(text) == expected


def test_two_secrets_on_one_line_are_two_entries() -> None:
    text = f"a={sv.github_token(1)} b={sv.github_token(2)}"
    assert secret_kinds(text) == [(1, "GitHub Access Token"), (1, "GitHub Access Token")]
