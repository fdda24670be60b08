"""Readers turn a downloaded split into a DataFrame: ``text`` (or the tabular feature columns) and ``label``.

One reader per layout (``dataset.format``):

- ``csv``: delimited text with a header row (``delimiter`` ``,`` or ``\\t``);
- ``jsonl``: JSON Lines, one object per line with ``text_column`` and ``label_column`` keys;
- ``parquet``: a Parquet table with those columns;
- ``label_first``: no header; each line is the label, a run of whitespace, then the text (the
  Douban tutorial's rating-then-tokens files);
- ``folders``: one sub-folder per class, one ``.txt`` file per document (the raw aclImdb layout);
- ``aclimdb``: ``folders`` restricted to ``neg``/``pos`` with the rating from ``ID_RATING.txt``.

Errors name the user's source (``dataset.path`` or the configured URL), never the copy in
``data/raw``, and suggest the layout that fits when a file does not parse.
"""

from __future__ import annotations

import io
import json
import logging
import math
import re
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from textclf.config import DatasetConfig
from textclf.data.download import archive_folder
from textclf.data.encoding import decode, read_bytes
from textclf.errors import DataError
from textclf.registry import Registry

log = logging.getLogger(__name__)
READERS = Registry("dataset.format")
DOCS = "docs/data.md, 'Your data'"
FOLDER_FORMATS = ("folders", "aclimdb")


def source_name(ds: DatasetConfig, split: str) -> str:
    """The user's name for split ``split``: its configured source (URL or path), plus the path inside it."""
    parts = PurePosixPath(ds.splits[split]).parts
    for source in ds.files:
        folder = archive_folder(source.name) if source.extract else source.name
        if parts and parts[0] == folder and source.urls:
            inner = "/".join(parts[1:])
            return f"{source.urls[0]}:{inner}" if source.extract and inner else "/".join([source.urls[0], *parts[1:]])
    return ds.splits[split]


def suggest_layout(data: bytes, ds: DatasetConfig) -> str:
    """A hint naming the layout ``data`` looks like (empty when it looks like what was configured)."""
    if data.startswith(b"PAR1"):
        return f" It is a Parquet file: set dataset.format=parquet ({DOCS})."
    lines = [line.strip() for line in data[: 1 << 16].decode("utf-8", "replace").splitlines() if line.strip()][:20]
    if lines and sum(line.startswith("{") for line in lines) > len(lines) / 2:
        return f" It looks like JSON Lines: set dataset.format=jsonl ({DOCS})."
    if lines and "\t" in lines[0] and ds.delimiter != "\t" and len({line.count("\t") for line in lines}) == 1:
        return " The header contains tabs: set dataset.delimiter='\\t'."
    firsts = [line.split(maxsplit=1)[0] for line in lines if len(line.split(maxsplit=1)) == 2]
    if (
        len(firsts) >= max(2, len(lines) * 0.8)
        and len(set(firsts)) <= max(10, len(lines) // 3)
        and not any(ds.delimiter in f for f in firsts)
        and ds.format != "label_first"
    ):
        return (
            f" The lines look like a label, whitespace, then the text ({lines[0][:30]!r}): set "
            f"dataset.format=label_first, or dataset=douban for ratings ({DOCS})."
        )
    return ""


def _columns(frame: pd.DataFrame, ds: DatasetConfig, source: str, data: bytes | None = None) -> pd.DataFrame:
    """The text (or feature) columns and the label column, renamed ``text``/``label``."""
    wanted = list(ds.feature_columns) if ds.tabular else [ds.text_column]
    missing = [c for c in dict.fromkeys(wanted + [ds.label_column]) if c not in frame.columns]
    if missing:
        keys = "dataset.feature_columns" if ds.tabular else "dataset.text_column"
        hint = suggest_layout(data, ds) if data is not None else ""
        raise DataError(
            f"{source}: no column(s) {', '.join(map(str, missing))}; columns are "
            f"{', '.join(map(str, frame.columns)) or '(none)'}. Set {keys} / dataset.label_column.{hint}"
        )
    # Only the wanted columns: renaming in place would duplicate e.g. `label` when label_column=rating.
    out = {c: frame[c] for c in wanted} if ds.tabular else {"text": frame[ds.text_column]}
    return pd.DataFrame({**out, "label": frame[ds.label_column]})


@READERS.register("csv")
def read_csv(path: Path, ds: DatasetConfig, source: str) -> pd.DataFrame:
    """A delimited text file (optionally gzipped) with a header row; cells are read as strings."""
    data = read_bytes(path, source)
    text, encoding = decode(data, ds.encoding, source)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=ds.delimiter, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        detail = str(exc).strip().splitlines()[-1]
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail)
        if match:
            detail = f"line {match[2]}: expected {match[1]} fields, saw {match[3]}"
        hint = suggest_layout(data, ds) or " Check dataset.delimiter (',' for CSV, '\\t' for TSV)."
        raise DataError(
            f"{source}: cannot parse as delimited text with dataset.delimiter={ds.delimiter!r} ({detail}).{hint}"
        ) from None
    frame = _columns(frame, ds, source, data)
    frame.attrs["encoding"] = encoding
    return frame


def _as_text(value):
    """A cell as text: strings and missing values stay; a list of tokens is joined by spaces."""
    if value is None or isinstance(value, str) or (isinstance(value, float) and math.isnan(value)):
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        return " ".join(map(str, value))
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, bool)) else str(value)


@READERS.register("jsonl")
def read_jsonl(path: Path, ds: DatasetConfig, source: str) -> pd.DataFrame:
    """JSON Lines: one object per line (blank lines skipped); a token list as text is space-joined."""
    data = read_bytes(path, source)
    text, encoding = decode(data, ds.encoding, source)
    rows = []
    # Only "\n" ends a line (JSON Lines): text may hold U+2028 and other breaks str.splitlines splits at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"{source} line {number}: not valid JSON ({exc.msg}, column {exc.colno}). Each line "
                f"must be one JSON object.{suggest_layout(data, ds)}"
            ) from None
        if not isinstance(row, dict):
            raise DataError(
                f'{source} line {number}: expected a JSON object ({{"text": ..., "label": ...}}), '
                f"got {type(row).__name__}."
            )
        rows.append({k: _as_text(v) for k, v in row.items()})
    frame = _columns(pd.DataFrame(rows), ds, source)
    frame.attrs["encoding"] = encoding
    return frame


@READERS.register("parquet")
def read_parquet(path: Path, ds: DatasetConfig, source: str) -> pd.DataFrame:
    """A Parquet table; labels are read as text so label rules see the same values as in a CSV."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        data = read_bytes(path, source)
        raise DataError(f"{source}: not a Parquet file ({exc}).{suggest_layout(data, ds)}") from None
    frame = _columns(table.to_pandas(), ds, source)
    if not ds.tabular:
        frame["text"] = frame["text"].map(_as_text)
    frame["label"] = frame["label"].astype("string")
    return frame


@READERS.register("label_first")
def read_label_first(path: Path, ds: DatasetConfig, source: str) -> pd.DataFrame:
    """No header; each line is ``LABEL<whitespace>TEXT``, split at the first whitespace run.

    Blank lines are skipped; a line with a label and no text is kept with empty text (prepare drops
    and counts it as ``empty_text``).
    """
    data = read_bytes(path, source)
    text, encoding = decode(data, ds.encoding, source)
    rows = [line.strip().split(maxsplit=1) for line in text.splitlines() if line.strip()]
    frame = pd.DataFrame({"text": [r[1] if len(r) > 1 else None for r in rows], "label": [r[0] for r in rows]})
    frame.attrs["encoding"] = encoding
    return frame


_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple:
    """``2.txt`` before ``10.txt``; the name itself breaks ties, so the order is total."""
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(name)), name


def class_files(path: Path, source: str, classes: list[str] | None = None) -> list[tuple[str, Path]]:
    """``(class folder, file)`` for every ``*.txt`` file one level down, in a total order.

    Folders sort by name; files by :func:`natural_key`. ``classes`` limits the folders read.
    """
    if not path.is_dir():
        raise DataError(
            f"{source}: dataset.format=folders expects a folder with one sub-folder per class "
            f"(e.g. neg/ and pos/) of .txt files; this is a file: set dataset.format to its layout "
            f"(csv, jsonl, parquet or label_first; {DOCS})."
        )
    folders = sorted(p for p in path.iterdir() if p.is_dir() and (classes is None or p.name in classes))
    files = [
        (folder.name, f)
        for folder in folders
        for f in sorted(folder.glob("*.txt"), key=lambda p: natural_key(p.name))
        if f.is_file()
    ]
    if not files:
        raise DataError(
            f"{source}: no <class>/<name>.txt files{' for ' + str(classes) if classes else ''}; "
            f"dataset.format=folders expects one sub-folder per class holding .txt files."
        )
    return files


def _decode_files(files: list[tuple[str, Path]], ds: DatasetConfig, source: str) -> tuple[list[str], str]:
    """Each file's text, all decoded with one encoding (``auto`` decides on all the bytes together)."""
    blobs = [f.read_bytes() for _, f in files]
    _, encoding = decode(b"\n".join(blobs), ds.encoding, source)
    texts = []
    for (label, f), blob in zip(files, blobs, strict=True):
        texts.append(decode(blob, encoding, f"{source}/{label}/{f.name}")[0])
    return texts, encoding


@READERS.register("folders")
def read_folders(path: Path, ds: DatasetConfig, source: str) -> pd.DataFrame:
    """One sub-folder per class (any names; the label rule maps them), one ``.txt`` file per document."""
    files = class_files(path, source)
    texts, encoding = _decode_files(files, ds, source)
    frame = pd.DataFrame({"text": texts, "label": [label for label, _ in files]})
    frame.attrs["encoding"] = encoding
    return frame


_ACLIMDB_NAME = re.compile(r"^(\d+)_(\d+)\.txt$")


@READERS.register("aclimdb")
def read_aclimdb(path: Path, ds: DatasetConfig, source: str) -> pd.DataFrame:
    """The upstream aclImdb layout ``<split>/{neg,pos}/ID_RATING.txt``; ``label_column`` is label or rating."""
    if ds.label_column not in ("rating", "label"):
        raise DataError(
            f"{source}: the aclImdb layout has labels 'label' and 'rating'. "
            f"Received: dataset.label_column={ds.label_column!r}"
        )
    files = [(label, f) for label, f in class_files(path, source, ["neg", "pos"]) if _ACLIMDB_NAME.match(f.name)]
    texts, encoding = _decode_files(files, ds, source)
    labels = [label if ds.label_column == "label" else _ACLIMDB_NAME.match(f.name)[2] for label, f in files]
    frame = pd.DataFrame({"text": texts, "label": labels})
    frame.attrs["encoding"] = encoding
    return frame


def split_path(raw_dir: str | Path, ds: DatasetConfig, split: str) -> tuple[Path, str]:
    """The copy of split ``split`` in ``raw_dir`` and the user's name for it, checked to exist and fit the layout."""
    path = Path(raw_dir) / ds.splits[split]
    source = source_name(ds, split)
    if not path.exists():
        raise DataError(f"{source}: no copy at {path}: run the download stage (`dvc repro download`).")
    if path.is_dir() and ds.format not in FOLDER_FORMATS:
        raise DataError(
            f"{source} is a folder, but dataset.format={ds.format} reads one file: set "
            f"dataset.format=folders (one sub-folder per class of .txt files; {DOCS})."
        )
    return path, source


def read_split(raw_dir: str | Path, ds: DatasetConfig, split: str) -> pd.DataFrame:
    """Read split ``split`` of dataset ``ds`` from the download folder.

    ``frame.attrs``: ``path`` (the copy in ``raw_dir``), ``source`` (the user's name for it) and
    ``encoding`` (text layouts).
    """
    path, source = split_path(raw_dir, ds, split)
    frame = READERS.get(ds.format)(path, ds, source)
    frame.attrs.update(path=str(path), source=source)
    return frame
