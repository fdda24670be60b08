"""Parquet files written and read a row group at a time, so no step holds a whole split.

Row groups have ``ROW_GROUP_ROWS`` rows (the last one fewer) whatever the chunks the rows came in,
so the bytes do not depend on ``runtime.chunk_rows``. A file of at most ``ROW_GROUP_ROWS`` rows is
byte-identical to ``DataFrame.to_parquet(path, index=False)`` (the same pyarrow calls), as written
before prepare streamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_ROWS = 50_000  # rows per row group: a reader holds one group at a time


class ChunkWriter:
    """Append DataFrames (same columns) to one Parquet file in row groups of ``ROW_GROUP_ROWS`` rows.

    The row groups do not depend on how the rows arrive (one frame or many), so neither does the file.
    """

    def __init__(self, path: str | Path, rows_per_group: int | None = None):
        self.path = Path(path)
        self.rows_per_group = rows_per_group or ROW_GROUP_ROWS
        self.group_sizes: list[int] = []
        self._pending: list[pa.Table] = []
        self._writer: pq.ParquetWriter | None = None

    def write(self, frame: pd.DataFrame | pa.Table) -> None:
        table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
        if self._writer is None:
            # pandas' to_parquet: pq.write_table -> ParquetWriter(path, table.schema), snappy.
            self._writer = pq.ParquetWriter(self.path, table.schema, compression="snappy")
        elif not table.schema.equals(self._writer.schema):
            table = table.cast(self._writer.schema)
        self._pending.append(table)
        while sum(t.num_rows for t in self._pending) >= self.rows_per_group:
            self._flush(self.rows_per_group)

    def _flush(self, rows: int) -> None:
        # One contiguous array per column: the writer's page breaks follow its input's chunks.
        pending = pa.concat_tables(self._pending).combine_chunks()
        self._writer.write_table(pending.slice(0, rows), row_group_size=rows)
        self.group_sizes.append(rows)
        self._pending = [pending.slice(rows)] if pending.num_rows > rows else []

    def close(self) -> None:
        rows = sum(t.num_rows for t in self._pending)
        if rows:  # a file of no rows keeps its schema and has no row group
            self._flush(rows)
        if self._writer is not None:
            self._writer.close()

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def row_groups(path: str | Path, columns: list[str] | None = None) -> Iterator[pa.Table]:
    """The file's row groups in order, as Arrow tables (pandas metadata kept)."""
    file = pq.ParquetFile(path)
    for i in range(file.num_row_groups):
        yield file.read_row_group(i, columns=columns)


@dataclass(frozen=True)
class Part:
    """Some rows of one row group of a Parquet file: ``take``, positions within the group (sorted).

    Small (a path and the positions), so an engine's task carries the part, not its text: the worker
    reads the rows itself (:func:`read_part`) from a path it can see.
    """

    path: str
    group: int
    take: np.ndarray


def parts(path: str | Path, rows: np.ndarray, rows_per_part: int) -> Iterator[Part]:
    """The rows at sorted positions ``rows`` of ``path``, in order, as parts of at most ``rows_per_part``
    rows that do not cross a row group (so a reader decodes one group, of at most ``ROW_GROUP_ROWS``)."""
    metadata = pq.ParquetFile(path).metadata
    start = 0
    for group in range(metadata.num_row_groups):
        end = start + metadata.row_group(group).num_rows
        take = rows[np.searchsorted(rows, start) : np.searchsorted(rows, end)] - start
        for i in range(0, len(take), rows_per_part):
            yield Part(str(Path(path).absolute()), group, take[i : i + rows_per_part])  # for workers elsewhere
        start = end


def read_part(part: Part, column: str = "text") -> np.ndarray:
    """Column ``column`` of ``part``'s rows, as an object array."""
    table = pq.ParquetFile(part.path).read_row_group(part.group, columns=[column])
    return table.column(0).take(pa.array(part.take)).to_numpy(zero_copy_only=False).astype(object)


def read_rows(path: str | Path, rows: np.ndarray, column: str, group_sizes: list[int]) -> list:
    """Values of ``column`` at the given row positions (any order), reading only their row groups."""
    starts = np.cumsum([0, *group_sizes])
    file = pq.ParquetFile(path)
    out = {}
    for group in np.unique(np.searchsorted(starts, rows, side="right") - 1):
        values = file.read_row_group(int(group), columns=[column]).column(0).to_pylist()
        for row in rows[(rows >= starts[group]) & (rows < starts[group + 1])]:
            out[int(row)] = values[int(row - starts[group])]
    return [out[int(row)] for row in rows]


def copy_rows(source: str | Path, rows: np.ndarray, writer: ChunkWriter) -> None:
    """Write the rows at sorted positions ``rows`` of ``source`` to ``writer``, row group by row group."""
    start = 0
    for table in row_groups(source):
        end = start + table.num_rows
        take = rows[(rows >= start) & (rows < end)] - start
        if len(take):
            writer.write(table.take(pa.array(take)))
        start = end
