"""The live progress display on stderr: one line per running droid, its check and how far it is.

Shown only when stderr is a terminal and the run is not --quiet, and only for a run still going
after `DROID_PROGRESS_AFTER_S` seconds (default 1): a pre-commit gate that takes half a second
prints nothing extra. The display is transient (cleared when the run ends) and never touches
stdout, so a report piped or redirected is exactly what it would be without it.
"""

from __future__ import annotations

import os
import sys
import threading
from types import TracebackType
from typing import Any


class LiveProgress:
    def __init__(self, after_s: float | None = None) -> None:
        self.after_s = float(os.environ.get("DROID_PROGRESS_AFTER_S", "1")) if after_s is None else after_s
        self._state: dict[str, str] = {}
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._live: Any = None
        self._thread = threading.Thread(target=self._show_later, name="droid-progress", daemon=True)

    def update(self, droid: str, check: str, done: int, total: int, unit: str) -> None:
        """The `ProgressSink` the droids report to (droids.core.progress)."""
        amount = f"  {done:,}/{total:,} {unit}" if total else ""
        with self._lock:
            self._state[droid] = f"{check}{amount}"
            if self._live is not None:
                self._live.update(self._render(), refresh=True)

    def _render(self) -> Any:
        from rich.text import Text

        with self._lock:
            lines = [f"  {droid:<22} {what}" for droid, what in self._state.items()]
        return Text("\n".join(lines) or "  starting", style="dim")

    def _start(self) -> None:
        from rich.console import Console
        from rich.live import Live

        with self._lock:
            if self._stop.is_set():
                return
            console = Console(file=sys.stderr, stderr=True)
            self._live = Live(self._render(), console=console, transient=True, auto_refresh=False)
            self._live.start(refresh=True)

    def _show_later(self) -> None:
        if not self._stop.wait(self.after_s):
            self._start()
            while not self._stop.wait(0.25):
                with self._lock:
                    if self._live is not None:
                        self._live.update(self._render(), refresh=True)

    def __enter__(self) -> LiveProgress:
        if self.after_s <= 0:
            self._start()
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        with self._lock:
            if self._live is not None:
                self._live.stop()
                self._live = None


def wanted(quiet: bool) -> bool:
    """Progress goes to a person at a terminal only."""
    return not quiet and sys.stderr.isatty() and "CI" not in os.environ
