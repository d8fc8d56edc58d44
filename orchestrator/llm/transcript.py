"""What left the machine for one question, kept for review: `.droid/ask/<UTC time>.json`.

It holds exactly what was sent (the question and every message, already screened for secrets),
the names of the cards that made the system prompt, the model's answer, and whether it was shown or
replaced (and why). A transcript that cannot be written costs the answer nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = "droid-ask-transcript/1"


def save(state_dir: Path, record: dict[str, Any]) -> Path | None:
    folder = state_dir / "ask"
    path = folder / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"schema": SCHEMA, **record}, indent=1, ensure_ascii=False) + "\n", "utf-8")
    except OSError:
        return None
    return path
