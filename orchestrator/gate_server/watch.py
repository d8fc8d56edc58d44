"""Notice a client that hangs up mid-run (Ctrl-C, killed) and interrupt the run as Ctrl-C would.

The client sends nothing after its request, so the connection turning readable means it closed.
The run then gets a KeyboardInterrupt in the main thread, the CLI's exit 130, as in a process of
its own; the server ends after it (the run may have left threads behind).
"""

from __future__ import annotations

import _thread
import select
import socket
import threading

POLL_S = 0.1


class HangupWatch:
    def __init__(self, conn: socket.socket) -> None:
        self._conn = conn
        self._done = threading.Event()
        self._lock = threading.Lock()
        self.fired = False
        self._thread = threading.Thread(target=self._watch, name="gate-server-hangup-watch", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.is_set():
            try:
                readable, _, _ = select.select([self._conn], [], [], POLL_S)
            except (OSError, ValueError):  # closed under us: the run is over
                return
            if readable:
                with self._lock:
                    if not self._done.is_set():
                        self.fired = True
                        _thread.interrupt_main()
                return

    def stop(self) -> None:
        with self._lock:
            self._done.set()
        self._thread.join()
