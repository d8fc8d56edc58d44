"""Checking a trail: the hash chain, the MACs (with `DROID_AUDIT_KEY`), and the anchors.

`verify_rows` walks the stored rows in seq order and names the first entry that changed, vanished,
no longer links to its predecessor or fails its MAC; then checks a hand-given anchor (`--anchor
SEQ:HASH` from a report) and this machine's automatic anchor (anchor.py). Every reason is one line
that starts with the entry it names ("entry 7: ..." or "entries 10-12: ...").

With the key, every entry from the first keyed one on must carry a valid MAC, and the newest entry
must carry one: otherwise someone could strip every MAC, rewrite the trail and re-chain it with
plain SHA-256, and it would look like a trail that was never keyed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droids.core.audit.anchor import Anchor
from droids.core.audit.keyed import KEY_ENV, mac_matches

GENESIS = "0" * 64


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    first_bad: int | None = None
    reason: str = ""
    newest_seq: int | None = None
    newest_hash: str | None = None
    macs_checked: int = 0  # entries whose MAC was checked under DROID_AUDIT_KEY
    keyed_from: int | None = None  # the first entry carrying a MAC (checked or not)
    anchor_path: str | None = None  # this machine's anchor file, when it has one for this trail
    anchored_seq: int | None = None
    anchor_note: str | None = None  # why the anchor could not be moved forward (the trail is fine)


def entries(first: int, last: int) -> str:
    return f"entry {first}" if first == last else f"entries {first}-{last}"


def anchor_problem(
    anchor: Anchor, row: tuple[str, str | None] | None, newest: int, path: Path
) -> tuple[int, str] | None:
    """What is wrong with the anchored entry, given its stored (hash, mac) (None: no such row) and the
    newest seq (0: empty trail), as (first bad seq, reason); None when it is still there intact."""
    named = f"this machine's anchor {path} names entry {anchor.seq}"
    if row is None:
        if newest == 0:
            return 1, f"{entries(1, anchor.seq)}: deleted (the trail is empty; {named})"
        if newest < anchor.seq:
            return newest + 1, f"{entries(newest + 1, anchor.seq)}: deleted (the trail ends at {newest}; {named})"
        return anchor.seq, f"entry {anchor.seq}: deleted ({named})"
    if row[0] != anchor.hash:
        return anchor.seq, f"entry {anchor.seq}: rewritten (hash differs from this machine's anchor {path})"
    if anchor.keyed and row[1] is None:
        return anchor.seq, f"entry {anchor.seq}: MAC removed (this machine's anchor {path} recorded one)"
    return None


def verify_rows(
    rows: Sequence[dict[str, Any]],
    *,
    key: bytes | None,
    pinned: tuple[int, str] | None,
    anchored: Anchor | None,
    anchor_path: Path,
) -> VerifyResult:
    """The verdict on `rows` (every stored entry, in seq order, as `raw_rows` yields them)."""
    from droids.core.audit.trail import entry_hash  # here: trail.py imports this module

    newest = rows[-1] if rows else {"seq": None, "hash": None}
    found: dict[str, Any] = {
        "count": len(rows),
        "newest_seq": newest["seq"],
        "newest_hash": newest["hash"],
        "anchor_path": str(anchor_path) if anchored else None,
        "anchored_seq": anchored.seq if anchored else None,
    }
    prev_seq, prev_hash, keyed_from, macs = 0, GENESIS, None, 0

    def bad(seq: int, reason: str) -> VerifyResult:
        return VerifyResult(False, first_bad=seq, reason=reason, macs_checked=macs, keyed_from=keyed_from, **found)

    by_seq = {}
    for row in rows:
        seq = row["seq"]
        if seq != prev_seq + 1:
            if seq <= prev_seq:
                return bad(seq, f"entry {seq}: forged (seq {seq} precedes the first entry, 1)")
            return bad(prev_seq + 1, f"{entries(prev_seq + 1, seq - 1)}: deleted (seq gap {prev_seq} -> {seq})")
        try:
            intact = entry_hash(row) == row["hash"]
        except (TypeError, ValueError):
            intact = False
        if not intact:
            return bad(seq, f"entry {seq}: content changed (hash mismatch)")
        if row["prev_hash"] != prev_hash:
            before = f"entry {prev_seq}" if prev_seq else "the genesis value (64 zeros)"
            return bad(seq, f"entry {seq}: chain broken (prev_hash does not match {before})")
        if row["mac"] is not None:
            if key is not None and not mac_matches(key, row["hash"], row["mac"]):
                why = "rewritten and re-chained, or written under another key"
                return bad(seq, f"entry {seq}: MAC does not match {KEY_ENV} ({why})")
            keyed_from, macs = keyed_from or seq, macs + (key is not None)
        elif key is not None and keyed_from is not None:
            why = f"appended without {KEY_ENV}, or rewritten by someone without it"
            return bad(seq, f"entry {seq}: no MAC, although entries from {keyed_from} on carry one ({why})")
        prev_seq, prev_hash = seq, row["hash"]
        by_seq[seq] = (row["hash"], row["mac"])
    if key is not None and rows and keyed_from is None:
        why = (
            f"with {KEY_ENV} set the newest entry must carry one: the MACs were stripped, or the key was only just "
            "set (then append once, e.g. `droid audit`, and verify again)"
        )
        return bad(prev_seq, f"entry {prev_seq}: no MAC ({why})")
    if pinned and pinned[0] not in by_seq:
        return bad(pinned[0], f"entry {pinned[0]}: deleted (the anchor names it, the trail ends at {prev_seq})")
    if pinned and by_seq[pinned[0]][0] != pinned[1]:
        return bad(pinned[0], f"entry {pinned[0]}: rewritten (hash differs from the anchor)")
    if anchored and (problem := anchor_problem(anchored, by_seq.get(anchored.seq), prev_seq, anchor_path)):
        return bad(*problem)
    return VerifyResult(True, macs_checked=macs, keyed_from=keyed_from, **found)
