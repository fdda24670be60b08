"""Readers turn a downloaded split into a DataFrame with ``text`` and ``label`` columns."""

from __future__ import annotations

import gzip
import io
import logging
import re
from pathlib import Path

import pandas as pd

from textclf.config import DatasetConfig
from textclf.errors import DataError
from textclf.registry import Registry

log = logging.getLogger(__name__)
READERS = Registry("dataset.format")


# `auto` tries these in order. A UTF-8 BOM is reported as utf-8-sig; GB18030 is a
# superset of GBK (and GB2312), so it also reads files saved as "GBK" by Excel/Windows.
AUTO_ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")
_BOM = b"\xef\xbb\xbf"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it starts with the gzip magic number (any file name)."""
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataError(f"{path}: broken gzip data ({exc}). Download the file again.") from None
    return data


def _decodes(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode(data: bytes, encoding: str, path: Path) -> tuple[str, str]:
    """Return ``(text, encoding used)``; ``encoding='auto'`` detects and logs its choice.

    Raises:
        DataError: when the given encoding fails (naming a detected one that works),
            or when no candidate decodes the file.
    """
    if encoding == "auto":
        if data.startswith(_BOM):
            return data.decode("utf-8-sig"), "utf-8-sig"
        for candidate in AUTO_ENCODINGS[1:]:
            text = _decodes(data, candidate)
            if text is not None:
                log.info("%s: detected encoding %s", path, candidate)
                return text, candidate
        raise DataError(
            f"{path}: decodes as none of {', '.join(AUTO_ENCODINGS)}. Re-save it as UTF-8 "
            f"(e.g. `iconv -f <its encoding> -t utf-8`) and set dataset.encoding=utf-8."
        )
    text = _decodes(data, encoding)
    if text is not None:
        return (text[1:] if text.startswith("\ufeff") else text), encoding
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
    detected = next((c for c in AUTO_ENCODINGS if _decodes(data, c) is not None), None)
    fix = (f"it decodes as {detected}: set dataset.encoding={detected} (or auto)" if detected
           else f"it decodes as none of {', '.join(AUTO_ENCODINGS)} either: re-save it as UTF-8")
    raise DataError(f"{path}: not valid {encoding} (at {where}); {fix}.")


@READERS.register("csv")
def read_csv(path: Path, ds: DatasetConfig) -> pd.DataFrame:
    """A delimited text file (optionally gzipped) with a header row.

    Returns the rows with ``text`` and ``label`` columns (strings; NaN for empty
    cells); ``frame.attrs["encoding"]`` records the encoding used.
    """
    text, encoding = decode(read_bytes(path), ds.encoding, path)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=ds.delimiter, dtype=str, keep_default_na=False,
                            na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(
            f"{path}: cannot parse as delimited text with dataset.delimiter={ds.delimiter!r} "
            f"({str(exc).strip().splitlines()[-1]}). Check dataset.delimiter (',' for CSV, '\\t' for TSV)."
        ) from None
    missing = [c for c in dict.fromkeys((ds.text_column, ds.label_column)) if c not in frame.columns]
    if missing:
        hint = ""
        if len(frame.columns) == 1 and "\t" in frame.columns[0] and ds.delimiter != "\t":
            hint = " The header contains tabs: set dataset.delimiter='\\t'."
        raise DataError(
            f"{path}: no column(s) {', '.join(missing)}; columns are {', '.join(map(str, frame.columns))}. "
            f"Set dataset.text_column / dataset.label_column.{hint}"
        )
    # Only the two columns: renaming in place would duplicate e.g. `label` when label_column=rating.
    frame = pd.DataFrame({"text": frame[ds.text_column], "label": frame[ds.label_column]})
    frame.attrs["encoding"] = encoding
    return frame


_ACLIMDB_NAME = re.compile(r"^(\d+)_(\d+)\.txt$")


@READERS.register("aclimdb")
def read_aclimdb(path: Path, ds: DatasetConfig) -> pd.DataFrame:
    """The upstream aclImdb layout: ``<split>/{neg,pos}/ID_RATING.txt``, in the CSV's row order."""
    rows = []
    for label in ("neg", "pos"):
        folder = path / label
        if not folder.is_dir():
            raise DataError(f"{folder} not found: expected the aclImdb layout <split>/{{neg,pos}}/ID_RATING.txt.")
        for file in folder.iterdir():
            match = _ACLIMDB_NAME.match(file.name)
            if match:
                rows.append((int(match[1]), match[2], label, file.read_text(encoding="utf-8")))
    rows.sort(key=lambda r: (r[2], r[0]))
    frame = pd.DataFrame(rows, columns=["id", "rating", "label", "text"]).astype({"id": str})
    if ds.label_column not in ("rating", "label"):
        raise DataError(f"{path}: the aclImdb layout has labels 'label' and 'rating'. "
                        f"Received: dataset.label_column={ds.label_column!r}")
    frame["label"] = frame[ds.label_column]
    return frame


def read_split(raw_dir: str | Path, ds: DatasetConfig, split: str) -> pd.DataFrame:
    """Read split ``split`` of dataset ``ds`` from the download folder."""
    path = Path(raw_dir) / ds.splits[split]
    if not path.exists():
        raise DataError(f"{path} not found: run the download stage (`dvc repro download`).")
    frame = READERS.get(ds.format)(path, ds)
    frame.attrs["path"] = str(path)
    return frame
