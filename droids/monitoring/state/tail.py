"""Follow a journal as it grows: each poll yields the complete rows appended since the last one.

The rows are read by the trading core's own journal reader (`trading_core.apex.journal_chunks`:
the same validation, the same messages), never by a second parser: the complete lines appended
since the last poll are copied, after the file's header, into a scratch file under the state dir
and streamed from there. A line still being written (no newline yet) waits for the next poll.
Messages name the followed file and its own row numbers, and a row earlier than the one before it
(across polls too) is bad input, as in `droid apex check`. Symbol codes are kept stable across
polls (the ledger indexes its per-symbol state by code). CSV and JSON Lines can be followed;
Parquet cannot grow in place (use `droid monitor replay`).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from droids.core.errors import DroidError
from trading_core.errors import TradingCoreError

if TYPE_CHECKING:
    from trading_core.apex.journal import Journal
    from trading_core.market.instruments import Instruments

FOLLOWABLE = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_WHERE = re.compile(r"^(?P<path>.+?): (?P<unit>row|line) (?P<n>\d+):")


class SymbolCodes:
    """One growing table of instrument roots, so a code means the same root in every chunk."""

    def __init__(self) -> None:
        self.roots: list[str] = []
        self._code: dict[str, int] = {}

    def adopt(self, journal: Journal, row_offset: int = 0) -> Journal:
        import numpy as np

        for root in journal.symbols:
            if root not in self._code:
                self._code[root] = len(self.roots)
                self.roots.append(root)
        table = np.array([self._code[r] for r in journal.symbols], np.int64)
        payouts = tuple(dataclasses.replace(p, index=p.index + row_offset) for p in journal.payouts)
        return dataclasses.replace(
            journal,
            symbols=tuple(self.roots),
            sym=table[journal.sym] if len(table) else journal.sym,
            row=journal.row + row_offset,
            payouts=payouts,
        )


class JournalTail:
    """The rows of `path` not yet seen: `poll()` yields them as `Journal` chunks (maybe none)."""

    def __init__(self, path: Path, instruments: Instruments, scratch_dir: Path) -> None:
        kind = FOLLOWABLE.get(path.suffix.lower())
        if kind is None:
            raise DroidError(f"{path}: cannot follow a {path.suffix or 'extension-less'} file; expected .csv or .jsonl")
        self.path, self.kind, self.instruments = path, kind, instruments
        scratch_dir.mkdir(parents=True, exist_ok=True)
        self.scratch = scratch_dir / f"tail-{os.getpid()}{path.suffix.lower()}"
        self.codes = SymbolCodes()
        self.offset = 0  # bytes consumed
        self.lines = 0  # physical lines consumed (the header included)
        self.data_rows = 0  # data rows consumed (events and payout requests)
        self.header = b""
        self.last_ts: int | None = None
        self.inode: int | None = None

    def poll(self) -> Iterator[Journal]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise DroidError(f"{self.path}: cannot read the journal ({exc.strerror})") from None
        if self.inode is not None and (stat.st_ino != self.inode or stat.st_size < self.offset):
            raise DroidError(f"{self.path}: the journal was replaced or truncated while followed; restart the watch")
        self.inode = stat.st_ino
        if stat.st_size <= self.offset:
            return
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            data = handle.read(stat.st_size - self.offset)
        end = data.rfind(b"\n") + 1
        if end == 0:
            return  # a line still being written
        data = data[:end]
        if self.kind == "csv" and not self.header:
            first = data.find(b"\n") + 1
            self.header, data = data[:first], data[first:]
            self.offset, self.lines = first, 1
            if not data:
                return
        yield from self._read(data)

    def _read(self, data: bytes) -> Iterator[Journal]:
        from trading_core.apex import journal_chunks

        self.scratch.write_bytes(self.header + data)
        lines_before, rows_before = self.lines, self.data_rows
        if not data.strip():
            self._advance(data, 0)
            return
        try:
            chunks = list(journal_chunks(self.scratch, instruments=self.instruments))
        except TradingCoreError as exc:
            raise DroidError(self._renamed(str(exc), lines_before)) from None
        rows = 0
        for chunk in chunks:
            if len(chunk) and self.last_ts is not None and int(chunk.ts_us[0]) < self.last_ts:
                raise DroidError(self._disorder(chunk, lines_before))
            adopted = self.codes.adopt(chunk, rows_before)
            rows += len(chunk) + len(chunk.payouts)
            if len(chunk):
                self.last_ts = int(chunk.ts_us[-1])
            yield adopted
        self._advance(data, rows)

    def _advance(self, data: bytes, rows: int) -> None:
        self.offset += len(data)
        self.lines += data.count(b"\n")
        self.data_rows += rows

    def _renamed(self, message: str, lines_before: int) -> str:
        """The reader's message about the scratch file, as one about the followed file."""
        found = _WHERE.match(message)
        if found is None:
            return message.replace(str(self.scratch), str(self.path))
        n = int(found["n"])
        if self.kind == "csv":
            n += lines_before - 1  # the scratch file's header is the journal's row 1
        else:
            n += lines_before
        return f"{self.path}: {found['unit']} {n}:{message[found.end() :]}"

    def _disorder(self, chunk: Journal, lines_before: int) -> str:
        from trading_core.apex.session import iso_utc

        assert self.last_ts is not None
        first = int(chunk.row[0]) + lines_before + 1
        unit = "row" if self.kind == "csv" else "line"
        return (
            f"{self.path}: {unit} {first}: ts: {iso_utc(int(chunk.ts_us[0]))} is earlier than the row before it"
            f" ({iso_utc(self.last_ts)}); rows must be in time order"
        )

    def close(self) -> None:
        self.scratch.unlink(missing_ok=True)
