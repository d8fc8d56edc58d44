"""Writing and reading catalog partitions.

A partition is written to a temporary file in its own folder and renamed over the old one
(`os.replace`, atomic on POSIX): a reader sees the old month or the new one, never half a file; a
crash leaves only a `.tmp-*` file, which readers ignore and the next write of that month removes.
Reading a series unifies the partitions' schemas, so a column added in later partitions reads back as
nulls for older ones; a column whose type differs between partitions is DATA013.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from droids.core.errors import DroidError
from droids.data_pipeline.bars.schema import KEY_CLEANING, KEY_COVERAGE, KEY_SCHEMA, KEY_SOURCE, SCHEMA_VERSION
from droids.data_pipeline.catalog.layout import Partition

if TYPE_CHECKING:
    import pyarrow as pa

ROW_GROUP_ROWS = 65_536


def write_partition(
    path: Path,
    table: pa.Table,
    *,
    source: dict[str, object],
    coverage: list[tuple[int, int]],
    cleaning: dict[str, object],
) -> None:
    import pyarrow.parquet as pq

    meta = {
        KEY_SCHEMA: SCHEMA_VERSION.encode(),
        KEY_SOURCE: json.dumps(source, sort_keys=True).encode(),
        KEY_COVERAGE: json.dumps([[a, b] for a, b in coverage]).encode(),
        KEY_CLEANING: json.dumps(cleaning, sort_keys=True).encode(),
    }
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **meta})
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"{path.name}.tmp-*"):
        stale.unlink(missing_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        pq.write_table(table, tmp, compression="zstd", row_group_size=ROW_GROUP_ROWS)
        tmp.replace(path)  # atomic rename on POSIX
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_metadata(path: Path) -> dict[str, object]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except (pa.ArrowException, OSError) as exc:
        raise DroidError(f"{path}: not a readable Parquet file ({str(exc).splitlines()[0]})") from None
    out: dict[str, object] = {}
    for key in (KEY_SOURCE, KEY_CLEANING):
        if key in meta:
            out[key.decode().removeprefix("droid.")] = json.loads(meta[key])
    return out


def read_partition(path: Path) -> pa.Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise DroidError(f"{path}: not a readable Parquet file ({str(exc).splitlines()[0]})") from None


def schema_conflicts(parts: Sequence[Partition]) -> list[tuple[Partition, str, str, Partition, str]]:
    """(partition, column, its type, the first partition with that column, the type there) for every
    column whose type differs from its first appearance."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    first: dict[str, tuple[Partition, str]] = {}
    out = []
    for part in parts:
        try:
            schema = pq.read_schema(part.path)
        except (pa.ArrowException, OSError) as exc:
            raise DroidError(f"{part.path}: not a readable Parquet file ({str(exc).splitlines()[0]})") from None
        for fld in schema:
            seen = first.setdefault(fld.name, (part, str(fld.type)))
            if seen[1] != str(fld.type):
                out.append((part, fld.name, str(fld.type), seen[0], seen[1]))
    return out


def read_series(parts: Sequence[Partition]) -> pa.Table:
    """The partitions as one table, oldest first, under the union of their schemas (columns missing
    in older partitions read as nulls). Conflicting types are bad input here: check them first."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    if not parts:
        from droids.data_pipeline.bars.schema import catalog_schema

        return catalog_schema().empty_table()
    conflicts = schema_conflicts(parts)
    if conflicts:
        part, col, typ, other, other_typ = conflicts[0]
        raise DroidError(f"{part.path}: column {col} is {typ} but {other_typ} in {other.path} (DATA013)")
    import pyarrow.parquet as pq

    schemas = [pq.read_schema(p.path) for p in parts]
    unified = pa.unify_schemas([s.remove_metadata() for s in schemas])
    dataset = ds.dataset([str(p.path) for p in parts], schema=unified, format="parquet")
    return dataset.to_table().sort_by("ts")
