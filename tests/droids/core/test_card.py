from __future__ import annotations

from pathlib import Path

import pytest

from droids.core.card import parse_card
from droids.core.errors import DroidError

GOOD = """---
name: demo-droid
title: Demo
description: Demonstrates cards.
triggers: [demo, example]
paths: ["**/*.py"]
rules: [DEM001]
---
# Demo
Body text.
"""


def test_parses_frontmatter_and_body(tmp_path: Path) -> None:
    path = tmp_path / "CARD.md"
    path.write_text(GOOD)
    card = parse_card(path)
    assert (card.name, card.triggers, card.paths, card.rules) == (
        "demo-droid",
        ("demo", "example"),
        ("**/*.py",),
        ("DEM001",),
    )
    assert card.body == "# Demo\nBody text."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("rules: [DEM001]", "rules: [DEM001]\ncolour: blue"),
            r"CARD.md:8: colour: Extra inputs are not permitted",
        ),
        (GOOD.replace("name: demo-droid", "name: Demo_Droid"), r"CARD.md:2: name: .*kebab-case"),
        (GOOD.replace("rules: [DEM001]", "rules: [dem1]"), r"CARD.md:7: rules: .*rule ids"),
        (GOOD.replace("triggers: [demo, example]", "triggers: []"), r"CARD.md:5: triggers"),
        (GOOD.replace("title: Demo\n", ""), r"CARD.md:2: title: Field required"),
        (GOOD.replace("---\n", "", 1), r"CARD.md:1: expected YAML frontmatter"),
        (GOOD.replace("---\n# Demo", "# Demo"), r"not closed"),
        (GOOD.replace('paths: ["**/*.py"]', "paths: [unclosed"), r"CARD.md:\d+: malformed YAML"),
        (GOOD.replace("rules: [DEM001]", "rules: [DEM001]\nbody: sneaky"), r"'body' is reserved"),
    ],
)
def test_bad_cards_name_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "CARD.md"
    path.write_text(text)
    with pytest.raises(DroidError, match=message):
        parse_card(path)
