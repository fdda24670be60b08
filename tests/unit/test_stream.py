"""Streaming prepare: chunked readers and chunk-by-chunk prepare give the whole-file results."""

import gzip
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from textclf.config import DatasetConfig
from textclf.data import parquet
from textclf.data.encoding import stream_encoding
from textclf.data.parquet import ChunkWriter
from textclf.data.prepare import prepare_splits
from textclf.data.stream import open_split
from textclf.errors import DataError
from textclf.text import TOKENIZERS

GOOD = ["A great film!<br />Loved it", "Wonderful acting, great story", "服务很好，很满意", "Best movie of the year"]
BAD = ["A dull film", "Terrible acting; boring story", "太差了，浪费时间", "Worst movie of the year"]


def rows(n: int, seed: int) -> list[tuple[str | None, str]]:
    """Reviews with duplicates, empty texts, missing and unknown labels among them."""
    out = []
    for i in range(n):
        good = (i * 7 + seed) % 3 != 0
        text = (GOOD if good else BAD)[i % 4] + ("" if i % 5 == 0 else f" #{i % 17}")  # repeats
        out.append(("pos" if good else "neg", text))
    out += [("pos", ""), ("", "no label"), ("maybe", "unknown label"), ("neg", "  "), ("pos", "line\u2028break")]
    return out


def write(tmp_path, name: str, layout: str, data: list, gz: bool = False) -> None:
    if layout == "jsonl":
        text = "\n".join(json.dumps({"review": t, "sentiment": y}, ensure_ascii=False) for y, t in data) + "\n\n"
    else:
        delimiter = "\t" if layout == "tsv" else ","
        text = pd.DataFrame(data, columns=["sentiment", "review"]).to_csv(index=False, sep=delimiter)
    raw = text.encode("utf-8")
    (tmp_path / name).write_bytes(gzip.compress(raw, mtime=0) if gz else raw)


def dataset(layout: str, with_test: bool, **overrides) -> DatasetConfig:
    splits = {"train": "train.data", **({"test": "test.data"} if with_test else {})}
    base = dict(
        name="t",
        files=[],
        splits=splits,
        format="jsonl" if layout == "jsonl" else "csv",
        delimiter="\t" if layout == "tsv" else ",",
        text_column="review",
        label_column="sentiment",
        classes=["neg", "pos"],
        encoding="auto",
    )
    return DatasetConfig(**{**base, **overrides})


def prepare(tmp_path, ds, chunk_rows, out_name, n_jobs=1, executor=None):
    out = tmp_path / out_name
    out.mkdir()
    raws = {split: open_split(tmp_path / "raw", ds, split, chunk_rows) for split in ds.splits}
    report = prepare_splits(raws, ds, TOKENIZERS.build({"name": "english"}), out, n_jobs=n_jobs, executor=executor)
    return out, report


@pytest.mark.parametrize("layout", ["csv", "tsv", "jsonl"])
@pytest.mark.parametrize(
    "with_test, overrides",
    [(True, {}), (True, {"dedupe": True}), (False, {"test_size": 0.25, "dedupe": True}), (False, {"test_size": 0})],
)
def test_chunks_give_the_whole_file_result(tmp_path, monkeypatch, layout, with_test, overrides):
    monkeypatch.setattr(parquet, "ROW_GROUP_ROWS", 20)  # several row groups per file
    (tmp_path / "raw").mkdir()
    write(tmp_path / "raw", "train.data", layout, rows(90, 1), gz=True)
    write(tmp_path / "raw", "test.data", layout, rows(40, 2))
    ds = dataset(layout, with_test, **overrides)
    whole, whole_report = prepare(tmp_path, ds, None, "whole")
    chunked, chunked_report = prepare(tmp_path, ds, 7, "chunked", n_jobs=2)
    assert chunked_report == whole_report
    assert whole_report["duplicates"]["within_train"]["rows"] > 0
    assert whole_report["duplicates"]["within_train"]["examples"][0]["text"] in {t for _, t in rows(90, 1)}
    assert whole_report["splits"]["train"]["dropped"]["unmapped_label"] == 1
    for split in ("train", "test"):
        assert (chunked / f"{split}.parquet").read_bytes() == (whole / f"{split}.parquet").read_bytes()
    assert pq.ParquetFile(chunked / "train.parquet").num_row_groups > 1
    assert sorted(p.name for p in chunked.iterdir()) == ["test.parquet", "train.parquet"]  # no staged files left


def test_a_row_group_is_written_as_pandas_writes_it(tmp_path):
    frame = pd.DataFrame({"text": ["a b", "", "c"], "label": [1, 0, 1], "raw_text": ["A b", "!", "C"]})
    frame.to_parquet(tmp_path / "pandas.parquet", index=False)
    with ChunkWriter(tmp_path / "ours.parquet") as writer:
        writer.write(frame.iloc[:2])
        writer.write(frame.iloc[2:].reset_index(drop=True))
    assert (tmp_path / "ours.parquet").read_bytes() == (tmp_path / "pandas.parquet").read_bytes()


def test_parse_errors_are_the_whole_file_readers(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw/train.data").write_text("sentiment,review\npos,good\nneg,bad,extra,cells\n" * 5)
    ds = dataset("csv", False, test_size=0)
    with pytest.raises(DataError, match="cannot parse as delimited text"):
        prepare(tmp_path, ds, 2, "out")
    ds = dataset("csv", False, test_size=0, text_column="body")
    (tmp_path / "raw/train.data").write_text("sentiment,review\npos,good\n")
    with pytest.raises(DataError, match="no column.*body"):
        prepare(tmp_path, ds, 2, "out2")


@pytest.mark.parametrize(
    "data, encoding, expected",
    [
        ("好评,很好\n".encode("gbk") * 50, "auto", "gb18030"),
        (b"\xef\xbb\xbfa,b\n", "auto", "utf-8-sig"),
        (b"\xef\xbb\xbfa,b\n", "utf-8", "utf-8-sig"),
        (b"a,b\n", "auto", "utf-8"),
    ],
)
def test_stream_encoding_is_the_in_memory_choice(tmp_path, data, encoding, expected):
    (tmp_path / "f.csv").write_bytes(gzip.compress(data))
    assert stream_encoding(tmp_path / "f.csv", encoding, "f.csv") == expected


def test_stream_encoding_errors_are_decodes(tmp_path):
    (tmp_path / "f.csv").write_bytes("café,1\n".encode("latin-1"))
    with pytest.raises(DataError, match="not valid utf-8"):
        stream_encoding(tmp_path / "f.csv", "utf-8", "f.csv")
