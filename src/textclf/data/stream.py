"""Read a raw split in chunks of rows, so prepare holds one chunk at a time, not the corpus.

``csv`` (and TSV) and ``jsonl`` files stream: the encoding is checked block by block
(:func:`textclf.data.encoding.stream_encoding`), then pandas' chunked CSV reader or batches of
JSON lines give frames of at most ``chunk_rows`` rows, exactly the rows (and cell values) the
whole-file readers in :mod:`textclf.data.readers` give. The other layouts (``parquet``,
``label_first``, ``folders``, ``aclimdb``) and tabular datasets are read whole, as one chunk.
Any parse problem is reported by the whole-file reader, so errors read the same either way.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from textclf.config import DatasetConfig
from textclf.data.encoding import open_binary, stream_encoding
from textclf.data.readers import READERS, _as_text, read_split, split_path
from textclf.errors import DataError

STREAMED_FORMATS = ("csv", "jsonl")


@dataclass
class RawSplit:
    """One split as chunks: ``path`` (the copy in data/raw), ``source`` (the user's name for it)."""

    ds: DatasetConfig
    split: str
    raw_dir: Path
    path: Path
    source: str
    chunk_rows: int | None
    attrs: dict = field(default_factory=dict)  # ``encoding`` once known

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Frames of ``text`` (or feature columns) and ``label``, in file order."""
        ds = self.ds
        if self.chunk_rows is None or ds.format not in STREAMED_FORMATS or ds.tabular:
            frame = read_split(self.raw_dir, ds, self.split)
            self.attrs.update({k: v for k, v in frame.attrs.items() if k == "encoding"})
            yield frame
            return
        self.attrs["encoding"] = encoding = stream_encoding(self.path, ds.encoding, self.source)
        reader = _csv_chunks if ds.format == "csv" else _jsonl_chunks
        try:
            yield from reader(self, encoding)
        except (DataError, ValueError, UnicodeDecodeError):
            READERS.get(ds.format)(self.path, ds, self.source)  # the whole-file reader's one-line error
            raise


def open_split(raw_dir: str | Path, ds: DatasetConfig, split: str, chunk_rows: int | None) -> RawSplit:
    """The split ``split`` of ``ds`` in ``raw_dir``, to be read in chunks of ``chunk_rows`` (None: whole)."""
    path, source = split_path(raw_dir, ds, split)
    return RawSplit(ds, split, Path(raw_dir), path, source, chunk_rows)


def _text_stream(raw: RawSplit, encoding: str, newline: str = "") -> io.TextIOWrapper:
    # No newline translation: the parser sees the line endings of the decoded string.
    return io.TextIOWrapper(open_binary(raw.path), encoding=encoding, newline=newline)


def _wanted(frame: pd.DataFrame, raw: RawSplit) -> pd.DataFrame:
    ds = raw.ds
    missing = [c for c in dict.fromkeys([ds.text_column, ds.label_column]) if c not in frame.columns]
    if missing:
        raise DataError(f"{raw.source}: no column(s) {', '.join(missing)}")  # replaced by the reader's error
    return pd.DataFrame({"text": frame[ds.text_column], "label": frame[ds.label_column]})


def _csv_chunks(raw: RawSplit, encoding: str) -> Iterator[pd.DataFrame]:
    with _text_stream(raw, encoding) as text:
        reader = pd.read_csv(
            text, sep=raw.ds.delimiter, dtype=str, keep_default_na=False, na_values=[""], chunksize=raw.chunk_rows
        )
        empty = True
        for chunk in reader:
            empty = False
            yield _wanted(chunk, raw).reset_index(drop=True)
    if empty:  # a header and no rows
        yield read_split(raw.raw_dir, raw.ds, raw.split)


def _jsonl_chunks(raw: RawSplit, encoding: str) -> Iterator[pd.DataFrame]:
    ds = raw.ds
    keys = (ds.text_column, ds.label_column)
    seen = {key: False for key in keys}
    rows: list[dict] = []
    with _text_stream(raw, encoding, newline="\n") as text:
        for line in _lines(text):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row, dict):
                raise DataError(f"{raw.source}: not a JSON object")  # replaced by the reader's error
            for key in keys:
                seen[key] = seen[key] or key in row
            rows.append({"text": _as_text(row.get(ds.text_column)), "label": _as_text(row.get(ds.label_column))})
            if len(rows) == raw.chunk_rows:
                yield pd.DataFrame(rows, columns=["text", "label"])
                rows = []
    if not all(seen.values()):
        raise DataError(f"{raw.source}: missing keys")  # replaced by the reader's error
    if rows:
        yield pd.DataFrame(rows, columns=["text", "label"])


def _lines(text: io.TextIOBase) -> Iterator[str]:
    """Lines ended by "\\n" only, as the whole-file JSON Lines reader splits them."""
    for line in text:
        yield line[:-1] if line.endswith("\n") else line
