"""pyarrow columns -> numpy int64 by type, for convert.py's fast path. None means "not provably clean".

Each function reads what parse_row reads the same way (text, integers, decimals, floats through their
shortest representation) and returns None for anything else, including a cast that fails: the
caller then validates the batch row by row. Imported only when a journal file is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from trading_core.apex.convert import SymbolTable


def _text(column: Any) -> Any:
    t = column.type
    if pa.types.is_string(t):
        return column
    if pa.types.is_large_string(t) or (pa.types.is_dictionary(t) and pa.types.is_string(t.value_type)):
        return column.cast(pa.string())
    return None


def _dictionary(column: Any) -> tuple[list[object], np.ndarray] | None:
    """(distinct values in order of first appearance, index of each row's value); None with nulls."""
    text = _text(column)
    if text is None or text.null_count:
        return None
    encoded = pc.dictionary_encode(text)
    return encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False)


def codes(column: Any, known: dict[str, int]) -> np.ndarray | None:
    """Exact spellings of `known` -> their codes (int8)."""
    found = _dictionary(column)
    if found is None:
        return None
    values, index = found
    lut = np.array([known.get(v, -1) for v in values], np.int8)  # type: ignore[call-overload]
    out = lut[index]
    return None if np.any(out < 0) else out


def symbols(column: Any, event: np.ndarray, table: SymbolTable) -> np.ndarray | None:
    """Instrument codes of the event rows (0 elsewhere); roots are registered in order of first use."""
    text = _text(column)
    if text is None:
        return None
    if text.null_count:
        if bool(np.any(text.is_null().to_numpy(zero_copy_only=False) & event)):
            return None
        text = pc.fill_null(text, "")
    encoded = pc.dictionary_encode(text)
    values, index = encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False)
    used = np.bincount(index[event], minlength=len(values)) > 0
    lut = np.zeros(len(values), np.int64)
    for k, value in enumerate(values):
        if used[k]:
            if value not in table.instruments:
                return None
            lut[k] = table.code(value)
    return np.where(event, lut[index], 0)


def timestamps(column: Any) -> np.ndarray | None:
    """Microseconds UTC from ISO-8601 text with an offset, or from a time-zone-aware timestamp column."""
    t = column.type
    if column.null_count:
        return None
    try:
        if pa.types.is_timestamp(t) and t.tz is not None:
            us = pc.cast(column, pa.timestamp("us", tz="UTC"), safe=False)  # finer digits dropped, as parse_ts
        else:
            text = _text(column)
            if text is None:
                return None
            us = pc.cast(text, pa.timestamp("us", tz="UTC"))  # refuses text without an offset
    except pa.ArrowException:
        return None
    return us.cast(pa.int64()).to_numpy(zero_copy_only=False)


def _nan_as_null(column: Any) -> Any:
    """Float cells with NaN as null: pandas writes a missing value that way (the caller decides whether a
    missing cell is allowed where it is; parse_row refuses a NaN where it reads the cell)."""
    if pa.types.is_floating(column.type) and pc.any(pc.is_nan(column)).as_py():
        return pc.if_else(pc.is_nan(column), pa.scalar(None, column.type), column)
    return column


def nan_at(column: Any, rows: np.ndarray) -> bool:
    """Whether a float column holds a NaN on any of `rows` (a bool mask)."""
    if not pa.types.is_floating(column.type):
        return False
    return bool(np.any(pc.fill_null(pc.is_nan(column), False).to_numpy(zero_copy_only=False) & rows))


def scaled(column: Any, scale: int) -> tuple[np.ndarray, np.ndarray | None] | None:
    """Decimal cells x 10^scale as exact integers, and where the nulls are (None: no nulls; NaN counts as null)."""
    t = column.type
    try:
        if pa.types.is_floating(t):
            column = pc.cast(_nan_as_null(column), pa.string())  # the shortest repr, as parse_decimal reads a float
        elif pa.types.is_null(t):
            column = column.cast(pa.string())
        elif not (pa.types.is_integer(t) or pa.types.is_decimal(t)):
            column = _text(column)
            if column is None:
                return None
        dec = pc.cast(column, pa.decimal128(38, scale))  # fails on finer digits, NaN, text that is no number
        # the same 128-bit integers read with scale 0 are the cells x 10^scale; to int64 with overflow checks
        raw = pa.Array.from_buffers(pa.decimal128(38, 0), len(dec), dec.buffers(), dec.null_count, dec.offset)
        ints = pc.cast(raw, pa.int64())
    except pa.ArrowException:
        return None
    if not ints.null_count:
        return ints.to_numpy(zero_copy_only=False), None
    return pc.fill_null(ints, 0).to_numpy(zero_copy_only=False), ints.is_null().to_numpy(zero_copy_only=False)


def integers(column: Any) -> tuple[np.ndarray, np.ndarray | None] | None:
    """Whole numbers as int64 (from integers, text or integral floats), and where the nulls are."""
    t = column.type
    if not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_null(t)):
        column = _text(column)
        if column is None:
            return None
    try:
        ints = pc.cast(_nan_as_null(column), pa.int64())  # safe: refuses 1.5 and "1.0" (parse_row decides those)
    except pa.ArrowException:
        return None
    if not ints.null_count:
        return ints.to_numpy(zero_copy_only=False), None
    return pc.fill_null(ints, 0).to_numpy(zero_copy_only=False), ints.is_null().to_numpy(zero_copy_only=False)


def fees(column: Any, fill: np.ndarray, default: np.ndarray, scale: int) -> np.ndarray | None:
    """Fees in money units on fills (the instrument's default where empty), 0 elsewhere."""
    if nan_at(column, fill):
        return None  # a NaN fee on a fill is bad input, not a missing fee
    found = scaled(column, scale)
    if found is None:
        return None
    values, nulls = found
    if nulls is not None:
        values = np.where(nulls, default, values)
    if np.any((values < 0) & fill):
        return None
    return np.where(fill, values, 0)
