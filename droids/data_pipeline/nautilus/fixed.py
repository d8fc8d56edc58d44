"""NautilusTrader's fixed-point encoding of prices and quantities, vectorised with numpy.

Verified in nautilus_trader's source (1.231.0, crates/model/src/types/fixed.rs and
crates/serialization/src/arrow/bar.rs): a Price or Quantity is stored as its raw integer,
`round(value * 10^precision) * 10^(FIXED_PRECISION - precision)`, little-endian, in an Arrow
`FixedSizeBinary(PRECISION_BYTES)` column. High-precision builds (the official Linux and macOS
wheels) use FIXED_PRECISION 16 and 16 bytes (i128 prices, u128 quantities); standard builds 9 and 8
bytes (i64/u64). A value of n ticks at precision p is exact: no float ever reaches the raw integer
beyond the rounding to p decimals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

MODES = {"high": (16, 16), "standard": (9, 8)}  # mode -> (FIXED_PRECISION, PRECISION_BYTES)
_M32 = 0xFFFFFFFF


def raw_bytes(values: np.ndarray, precision: int, mode: str) -> bytes:
    """The little-endian raw integers of `values` at `precision`, as one buffer (n x width bytes)."""
    import numpy as np

    fixed, width = MODES[mode]
    if precision > fixed:
        raise ValueError(f"precision {precision} exceeds the fixed precision {fixed}")
    units = np.rint(np.asarray(values, dtype=np.float64) * 10.0**precision).astype(np.int64)
    scale = 10 ** (fixed - precision)
    if width == 8:
        return (units * np.int64(scale)).astype("<i8").tobytes()
    lo, hi = _mul_u64(np.abs(units).astype(np.uint64), np.uint64(scale))
    neg = units < 0
    if neg.any():  # two's complement of the 128-bit magnitude
        lo_n = ~lo + np.uint64(1)
        hi_n = ~hi + (lo_n == 0).astype(np.uint64)
        lo, hi = np.where(neg, lo_n, lo), np.where(neg, hi_n, hi)
    out = np.empty((len(units), 2), dtype="<u8")
    out[:, 0], out[:, 1] = lo, hi
    return out.tobytes()


def _mul_u64(a: np.ndarray, b: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """(high, low) 64-bit halves of a * b, exactly, for uint64 `a` and a scalar `b`."""
    import numpy as np

    m32 = np.uint64(_M32)
    s32 = np.uint64(32)
    a0, a1 = a & m32, a >> s32
    b0, b1 = b & m32, b >> s32
    p00, p01, p10, p11 = a0 * b0, a0 * b1, a1 * b0, a1 * b1
    mid = (p00 >> s32) + (p01 & m32) + (p10 & m32)
    lo = (p00 & m32) | (mid << s32)
    hi = p11 + (p01 >> s32) + (p10 >> s32) + (mid >> s32)
    return lo, hi


def decode(buffer: bytes, mode: str) -> list[int]:
    """The signed raw integers of a buffer `raw_bytes` wrote (for tests and the round trip)."""
    width = MODES[mode][1]
    return [int.from_bytes(buffer[i : i + width], "little", signed=True) for i in range(0, len(buffer), width)]
