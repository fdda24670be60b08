"""readers: every layout (csv, jsonl, parquet, label_first, folders), encodings, layout hints, source names."""

import gzip
import json

import pandas as pd
import pytest

from textclf.config import DatasetConfig, SourceFile
from textclf.data.encoding import decode, detect
from textclf.data.readers import natural_key, read_split, source_name
from textclf.errors import ConfigError, DataError

ROWS = "评分,评论\n5,服务很好\n1,太差了\n"
DOUBAN = "5  很 好看 ， 推荐\n1  太 无聊 了\n\n3 一般\n4\t不错 的 电影\n"


def dataset(**overrides) -> DatasetConfig:
    base = dict(
        name="t",
        files=[],
        splits={"train": "data.csv"},
        text_column="评论",
        label_column="评分",
        classes=["negative", "positive"],
        encoding="auto",
    )
    return DatasetConfig(**{**base, **overrides})


def write(tmp_path, data: bytes, name: str = "data.csv"):
    (tmp_path / name).write_bytes(data)
    return tmp_path


@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")])
def test_auto_detects_and_records_the_encoding(tmp_path, encoding, expected):
    frame = read_split(write(tmp_path, ROWS.encode(encoding)), dataset(), "train")
    assert frame["text"].tolist() == ["服务很好", "太差了"]
    assert frame["label"].tolist() == ["5", "1"]
    assert frame.attrs["encoding"] == expected


def test_auto_refuses_latin1_that_would_read_as_gb18030(tmp_path):
    latin1 = "rating,text\n5,crème brûlée très bien\n1,Ça va mal\n2,Der Bär isst Käse\n".encode("latin-1")
    assert latin1.decode("gb18030")  # the trap: it does decode, as 'cr鑝e br鹟閑'
    with pytest.raises(
        DataError,
        match=r"data\.csv: encoding: auto cannot tell .* not UTF-8 .*"
        r"Set dataset\.encoding to the file's encoding, e\.g\. dataset\.encoding=cp",
    ):
        read_split(write(tmp_path, latin1), dataset(text_column="text", label_column="rating"), "train")
    frame = read_split(tmp_path, dataset(text_column="text", label_column="rating", encoding="latin-1"), "train")
    assert frame["text"].tolist()[0] == "crème brûlée très bien"


def test_detect_accepts_chinese_gbk_and_utf8_only():
    assert detect("房间很干净，服务也不错！".encode("gbk")) == "gb18030"
    assert detect("crème".encode()) == "utf-8"
    assert detect("crème brûlée".encode("cp1252")) is None


def test_unknown_encoding_is_a_config_error():
    with pytest.raises(ConfigError, match=r"dataset\.encoding must be auto or an encoding Python knows.*'utf9'"):
        dataset(encoding="utf9")


def test_given_encoding_is_used_and_a_bom_is_not_part_of_the_header(tmp_path):
    frame = read_split(write(tmp_path, ROWS.encode("utf-8-sig")), dataset(encoding="utf-8"), "train")
    assert frame["text"].tolist() == ["服务很好", "太差了"]


def test_wrong_given_encoding_names_file_line_and_the_encoding_that_works(tmp_path):
    write(tmp_path, ROWS.encode("gbk"))
    with pytest.raises(
        DataError, match=r"data\.csv: not valid utf-8 \(at line 1, .*set dataset\.encoding=gb18030 \(or auto\)"
    ):
        read_split(tmp_path, dataset(encoding="utf-8"), "train")


@pytest.mark.parametrize("encoding", ["auto", "utf-8"])
def test_undecodable_file_is_one_clear_error(tmp_path, encoding):
    write(tmp_path, b"rating,text\n1,\xff\xfe\x80\x80\xff\n")
    with pytest.raises(DataError, match=r"data\.csv: .*cannot tell this file's encoding.*re-save it as UTF-8"):
        read_split(tmp_path, dataset(encoding=encoding), "train")


def test_gzipped_file_is_read_whatever_its_name(tmp_path):
    frame = read_split(write(tmp_path, gzip.compress(ROWS.encode("gbk"))), dataset(), "train")
    assert frame["text"].tolist() == ["服务很好", "太差了"]


def test_tsv_with_delimiter(tmp_path):
    write(tmp_path, ROWS.replace(",", "\t").encode())
    assert read_split(tmp_path, dataset(delimiter="\t"), "train")["label"].tolist() == ["5", "1"]


def test_missing_column_names_file_columns_and_key(tmp_path):
    write(tmp_path, ROWS.encode())
    with pytest.raises(
        DataError, match=r"data\.csv: no column\(s\) review; columns are 评分, 评论\. Set dataset\.text_column"
    ):
        read_split(tmp_path, dataset(text_column="review"), "train")


def test_tsv_read_as_csv_suggests_the_delimiter(tmp_path):
    write(tmp_path, ROWS.replace(",", "\t").encode())
    with pytest.raises(DataError, match=r"set dataset\.delimiter='\\t'"):
        read_split(tmp_path, dataset(), "train")


def test_douban_layout_read_with_a_space_delimiter_suggests_label_first(tmp_path):
    """The issue's case: -S "dataset.delimiter=' '" on rating-then-tokens lines."""
    lines = "".join(f"{i % 5 + 1}  {' '.join(['词'] * (3 + i % 7))}\n" for i in range(40))
    write(tmp_path, lines.encode(), "douban.txt")
    ds = dataset(splits={"train": "douban.txt"}, delimiter=" ")
    with pytest.raises(
        DataError,
        match=r"douban\.txt: cannot parse as delimited text with dataset\.delimiter=' ' "
        r"\(line \d+: expected \d+ fields, saw \d+\)\. The lines look like a label, "
        r"whitespace, then the text .* set dataset\.format=label_first",
    ):
        read_split(tmp_path, ds, "train")
    with pytest.raises(DataError, match=r"no column\(s\) 评论, 评分; .*set dataset\.format=label_first"):
        read_split(tmp_path, dataset(splits={"train": "douban.txt"}), "train")


def test_jsonl_read_as_csv_suggests_jsonl(tmp_path):
    write(tmp_path, b'{"text": "a", "label": "pos"}\n{"text": "b, c", "label": "neg"}\n', "r.jsonl")
    with pytest.raises(DataError, match=r"set dataset\.format=jsonl"):
        read_split(tmp_path, dataset(splits={"train": "r.jsonl"}, text_column="text", label_column="label"), "train")


def test_empty_cells_are_missing_and_other_columns_are_not_kept(tmp_path):
    write(tmp_path, b"label,rating,text\npos,9,\nneg,1,Bad.\n")
    frame = read_split(tmp_path, dataset(text_column="text", label_column="rating"), "train")
    assert list(frame.columns) == ["text", "label"]
    assert frame["text"].isna().tolist() == [True, False]


def test_label_first_splits_at_the_first_whitespace_run_and_skips_blank_lines(tmp_path):
    write(tmp_path, DOUBAN.encode("gbk"), "douban.txt")
    frame = read_split(tmp_path, dataset(splits={"train": "douban.txt"}, format="label_first"), "train")
    assert frame["label"].tolist() == ["5", "1", "3", "4"]
    assert frame["text"].tolist() == ["很 好看 ， 推荐", "太 无聊 了", "一般", "不错 的 电影"]
    assert frame.attrs["encoding"] == "gb18030"
    write(tmp_path, b"5\n1 bad\n", "short.txt")
    frame = read_split(tmp_path, dataset(splits={"train": "short.txt"}, format="label_first"), "train")
    assert frame["text"].isna().tolist() == [True, False]  # prepare counts it as empty_text


def test_jsonl_reads_keys_joins_token_lists_and_names_the_bad_line(tmp_path):
    rows = [{"review": "很 好", "stars": 5}, {"review": ["太", "差"], "stars": 1}, {"stars": 2}]
    write(tmp_path, "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode() + b"\n\n", "r.jsonl")
    ds = dataset(splits={"train": "r.jsonl"}, format="jsonl", text_column="review", label_column="stars")
    frame = read_split(tmp_path, ds, "train")
    assert frame["text"].tolist()[:2] == ["很 好", "太 差"] and pd.isna(frame["text"].iloc[2])
    assert frame["label"].tolist() == ["5", "1", "2"]
    write(tmp_path, b'{"review": "a", "stars": 1}\n{"review": "b", stars: 2}\n', "r.jsonl")
    with pytest.raises(DataError, match=r"r\.jsonl line 2: not valid JSON \(Expecting property name"):
        read_split(tmp_path, ds, "train")
    write(tmp_path, b'["a", 1]\n', "r.jsonl")
    with pytest.raises(DataError, match=r"r\.jsonl line 1: expected a JSON object"):
        read_split(tmp_path, ds, "train")


def test_parquet_reads_columns_and_labels_as_text(tmp_path):
    pd.DataFrame({"review": ["很 好", "太 差"], "stars": [5, 1], "other": [0, 0]}).to_parquet(tmp_path / "r.parquet")
    ds = dataset(splits={"train": "r.parquet"}, format="parquet", text_column="review", label_column="stars")
    frame = read_split(tmp_path, ds, "train")
    assert frame["text"].tolist() == ["很 好", "太 差"] and frame["label"].tolist() == ["5", "1"]
    with pytest.raises(DataError, match=r"r\.parquet: no column\(s\) text; columns are review, stars, other"):
        read_split(
            tmp_path,
            dataset(splits={"train": "r.parquet"}, format="parquet", text_column="text", label_column="stars"),
            "train",
        )
    write(tmp_path, ROWS.encode(), "r.parquet")
    with pytest.raises(DataError, match=r"r\.parquet: not a Parquet file"):
        read_split(tmp_path, ds, "train")


def test_folders_reads_any_class_names_in_a_total_order(tmp_path):
    tree = tmp_path / "reviews"
    for label, names in {"好评": ["10.txt", "2.txt", "b.txt"], "差评": ["1.txt"], "unsup": ["3.txt"]}.items():
        (tree / label).mkdir(parents=True)
        for name in names:
            (tree / label / name).write_text(f"{label} {name}", encoding="utf-8")
    (tree / "README").write_text("not a class")
    (tree / "好评" / "notes.md").write_text("skipped")
    frame = read_split(tmp_path, dataset(splits={"train": "reviews"}, format="folders"), "train")
    assert frame["label"].tolist() == ["unsup", "好评", "好评", "好评", "差评"]
    assert frame["text"].tolist()[1:4] == ["好评 2.txt", "好评 10.txt", "好评 b.txt"]
    with pytest.raises(DataError, match=r"reviews/README: dataset\.format=folders expects a folder"):
        read_split(tmp_path, dataset(splits={"train": "reviews/README"}, format="folders"), "train")


def test_natural_key_is_total():
    names = ["10.txt", "2.txt", "02.txt", "a.txt", "2.txt"]
    assert sorted(names, key=natural_key) == ["02.txt", "2.txt", "2.txt", "10.txt", "a.txt"]


def test_errors_name_the_users_source_not_the_raw_copy(tmp_path):
    ds = dataset(
        files=[SourceFile("source", None, ["external/mine.csv"])],
        splits={"train": "source"},
        path="external/mine.csv",
        text_column="review",
    )
    assert source_name(ds, "train") == "external/mine.csv"
    write(tmp_path, ROWS.encode(), "source")
    with pytest.raises(DataError, match=r"^external/mine\.csv: no column\(s\) review"):
        read_split(tmp_path, ds, "train")
    archive = dataset(
        files=[SourceFile("a.tar.gz", None, ["https://x.org/a.tar.gz"], extract=True)], splits={"train": "a/train"}
    )
    assert source_name(archive, "train") == "https://x.org/a.tar.gz:train"


def test_missing_raw_file_says_run_download(tmp_path):
    with pytest.raises(DataError, match="run the download stage"):
        read_split(tmp_path, dataset(), "train")


def test_decode_strips_bom_for_plain_utf8():
    assert decode("\ufeffa,b".encode("utf-8"), "utf-8", "f.csv") == ("a,b", "utf-8")


def test_parquet_token_lists_are_joined(tmp_path):
    pd.DataFrame({"tokens": [["很", "好"], ["太", "差"]], "y": ["pos", "neg"]}).to_parquet(tmp_path / "t.parquet")
    ds = dataset(splits={"train": "t.parquet"}, format="parquet", text_column="tokens", label_column="y")
    assert read_split(tmp_path, ds, "train")["text"].tolist() == ["很 好", "太 差"]


def test_a_folder_read_as_a_file_suggests_folders(tmp_path):
    (tmp_path / "reviews/pos").mkdir(parents=True)
    with pytest.raises(
        DataError,
        match=r"reviews is a folder, but dataset\.format=csv reads one file: set "
        r"dataset\.format=folders",
    ):
        read_split(tmp_path, dataset(splits={"train": "reviews"}), "train")
