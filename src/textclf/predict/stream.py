"""Texts in and predictions out for ``textclf predict``, streamed in batches.

Readers yield :class:`Text` items that say where each text came from (``argument 2``,
``reviews.csv row 17``), so an empty text is one error naming its place. Writers emit CSV or JSON
lines in which control characters and line breaks inside a text are escaped: one record per line,
whatever the text holds.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from textclf.errors import DataError

FORMATS = ("csv", "jsonl")
INPUT_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "txt"}
# Backslash (escaped so escapes stay unambiguous), and characters that end a line for some reader
# (str.splitlines, editors, CSV tools): C0/C1 controls, DEL, the Unicode line/paragraph separators.
_TO_ESCAPE = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


@dataclass(frozen=True)
class Text:
    where: str  # e.g. "argument 1", "<stdin> line 3", "reviews.csv row 17"
    text: str


def escape_controls(text: str) -> str:
    """``text`` with backslashes, control characters and line separators written as escapes (``\\n``, ``\\x00``)."""
    return _TO_ESCAPE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    c = match[0]
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def _checked(item: Text) -> Text:
    if not item.text.strip():
        raise DataError(f"{item.where} is empty or blank: there is nothing to classify. Remove it or fill it in.")
    return item


def from_arguments(texts: list[str]) -> Iterator[Text]:
    for i, text in enumerate(texts, start=1):
        yield _checked(Text(f"argument {i}", text))


def from_lines(stream: IO[str], name: str) -> Iterator[Text]:
    """One text per line; blank lines are skipped (they separate nothing to classify)."""
    for number, line in enumerate(stream, start=1):
        line = line.rstrip("\r\n")
        if line.strip():
            yield Text(f"{name} line {number}", line)


def from_jsonl(stream: IO[str], name: str, text_column: str) -> Iterator[Text]:
    """One JSON object per line with the text under ``text_column``; blank lines are skipped."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise DataError(
                f'{where} is not valid JSON ({exc}). Each line must be one object, e.g. {{"{text_column}": "..."}}.'
            ) from None
        if not isinstance(record, dict) or not isinstance(record.get(text_column), str):
            keys = ", ".join(record) if isinstance(record, dict) else type(record).__name__
            raise DataError(
                f"{where} has no string field {text_column!r} (found: {keys}). Name the field with --text-column."
            )
        yield _checked(Text(where, record[text_column]))


def from_csv(path: Path, text_column: str, delimiter: str, encoding: str, chunk_rows: int) -> Iterator[Text]:
    """The ``text_column`` of a CSV/TSV file, read ``chunk_rows`` rows at a time."""
    import pandas as pd

    try:
        reader = pd.read_csv(
            path,
            usecols=lambda c: c == text_column,
            dtype=str,
            keep_default_na=False,
            sep=delimiter,
            encoding=encoding,
            chunksize=chunk_rows,
        )
        row = 0
        for chunk in reader:
            if text_column not in chunk:
                header = pd.read_csv(path, nrows=0, sep=delimiter, encoding=encoding).columns
                raise DataError(
                    f"{path} has no column {text_column!r} (columns: {', '.join(map(str, header))}). "
                    f"Name it with --text-column."
                )
            for text in chunk[text_column]:
                row += 1
                yield _checked(Text(f"{path} row {row}", text))
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path} is not {encoding} ({exc.reason} at byte {exc.start}). Pass --encoding (e.g. gb18030)."
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError, EOFError) as exc:  # bad CSV or .gz
        raise DataError(f"{path} is not a readable CSV ({str(exc).strip()}).") from None


def input_kind(path: Path) -> str:
    """``csv``, ``tsv``, ``jsonl`` or ``txt`` from the file name (a ``.gz`` ending is read compressed)."""
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    kind = INPUT_SUFFIXES.get(suffixes[-1] if suffixes else "")
    if kind is None:
        raise DataError(
            f"{path}: unknown input type. Use a .csv, .tsv, .jsonl or .txt file (one text per "
            f"line), optionally gzipped (.csv.gz)."
        )
    return kind


def from_file(path: Path, text_column: str, encoding: str, chunk_rows: int) -> Iterator[Text]:
    """Texts of a CSV, TSV, JSONL or TXT file, by suffix."""
    if not path.is_file():
        raise DataError(f"{path} not found: pass an existing .csv, .tsv, .jsonl or .txt file to --input.")
    kind = input_kind(path)
    if kind in ("csv", "tsv"):
        yield from from_csv(path, text_column, "," if kind == "csv" else "\t", encoding, chunk_rows)
        return
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rt", encoding=encoding, newline="") as stream:
            yield from (
                from_jsonl(stream, str(path), text_column) if kind == "jsonl" else from_lines(stream, str(path))
            )
    except UnicodeDecodeError as exc:
        raise DataError(f"{path} is not {encoding} ({exc.reason} at byte {exc.start}). Pass --encoding.") from None
    except (OSError, EOFError) as exc:  # e.g. a truncated or not-really-gzip .gz
        raise DataError(f"{path} cannot be read ({exc}).") from None


def batched(items: Iterable[Text], size: int) -> Iterator[list[Text]]:
    batch: list[Text] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Writer:
    """CSV (``label, p_<class>..., text`` or ``value, text``) or JSON lines, one record per text."""

    def __init__(self, stream: IO[str], fmt: str, classes: list[str]):
        if fmt not in FORMATS:
            raise DataError(f"--format must be one of {', '.join(FORMATS)}. Received: {fmt!r}")
        self.stream, self.fmt, self.classes = stream, fmt, classes
        self._csv = csv.writer(stream, lineterminator="\n") if fmt == "csv" else None
        if self._csv:
            self._csv.writerow([*(["label", *(f"p_{c}" for c in classes)] if classes else ["value"]), "text"])

    def write(self, texts: list[Text], records: list[dict[str, Any]]) -> None:
        for item, record in zip(texts, records, strict=True):
            if self._csv:
                numbers = (
                    [repr(p) for p in record["probabilities"].values()] if self.classes else [repr(record["value"])]
                )
                self._csv.writerow([*([record["label"]] if self.classes else []), *numbers, escape_controls(item.text)])
            else:
                self.stream.write(json_line({**record, "text": item.text}))
        self.stream.flush()


def json_line(record: dict[str, Any]) -> str:
    """One JSON object and a newline; the line separators JSON may leave raw (U+0085/2028/2029) escaped too."""
    text = json.dumps(record, ensure_ascii=False)
    for c in ("\u0085", "\u2028", "\u2029"):
        text = text.replace(c, f"\\u{ord(c):04x}")
    return text + "\n"


def stdin_texts() -> Iterator[Text]:
    stream = (
        io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="strict")
        if hasattr(sys.stdin, "buffer")
        else sys.stdin
    )
    try:
        yield from from_lines(stream, "<stdin>")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"<stdin> is not UTF-8 ({exc.reason} at byte {exc.start}); convert it, or use --input "
            f"FILE --encoding ENCODING."
        ) from None


def predict_stream(bundle, items: Iterable[Text], out: IO[str], fmt: str, batch_size: int) -> int:
    """Classify ``items`` ``batch_size`` at a time and write each batch as it is done; return the count.

    Raises:
        DataError: no text at all (nothing is written then), or an empty text.
    """
    from tqdm import tqdm

    writer, count = None, 0
    with tqdm(unit="text", desc="predict", disable=None, file=sys.stderr) as bar:
        for batch in batched(items, batch_size):
            result = bundle.predict([item.text for item in batch])
            writer = writer or Writer(out, fmt, bundle.classes)
            writer.write(batch, result.records())
            count += len(batch)
            bar.update(len(batch))
    if not count:
        raise DataError(
            "no text to classify: the input is empty or blank. Give texts as arguments, "
            "one per line on stdin, or with --input FILE."
        )
    return count


def interactive(bundle, read=input, out: IO[str] = sys.stdout) -> None:
    """Ask for a text, print its label and probabilities; an empty line or end of input stops."""
    out.write(f"{bundle.card['name']}: type a text and press Enter (empty line or Ctrl-D to stop).\n")
    while True:
        try:
            text = read("text> ")
        except (EOFError, KeyboardInterrupt):
            out.write("\n")
            return
        if not text.strip():
            return
        (record,) = bundle.predict([text]).records()
        if "label" in record:
            shown = ", ".join(f"{c} {p:.4f}" for c, p in record["probabilities"].items())
            out.write(f"{record['label']}  ({shown})\n")
        else:
            out.write(f"{record['value']:.4f}\n")
