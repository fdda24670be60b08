"""readers: encodings (given and auto-detected), delimiters, gzip, missing columns."""

import gzip

import pytest

from textclf.config import DatasetConfig
from textclf.data.readers import decode, read_split
from textclf.errors import DataError

ROWS = "评分,评论\n5,服务很好\n1,太差了\n"


def dataset(**overrides) -> DatasetConfig:
    base = dict(name="t", files=[], splits={"train": "data.csv"}, text_column="评论", label_column="评分",
                classes=["negative", "positive"], encoding="auto")
    return DatasetConfig(**{**base, **overrides})


def write(tmp_path, data: bytes):
    (tmp_path / "data.csv").write_bytes(data)
    return tmp_path


@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")])
def test_auto_detects_and_records_the_encoding(tmp_path, encoding, expected):
    frame = read_split(write(tmp_path, ROWS.encode(encoding)), dataset(), "train")
    assert frame["text"].tolist() == ["服务很好", "太差了"]
    assert frame["label"].tolist() == ["5", "1"]
    assert frame.attrs["encoding"] == expected


def test_given_encoding_is_used_and_a_bom_is_not_part_of_the_header(tmp_path):
    frame = read_split(write(tmp_path, ROWS.encode("utf-8-sig")), dataset(encoding="utf-8"), "train")
    assert frame["text"].tolist() == ["服务很好", "太差了"]


def test_wrong_given_encoding_names_file_and_the_encoding_that_works(tmp_path):
    write(tmp_path, ROWS.encode("gbk"))
    with pytest.raises(DataError, match=r"data\.csv: not valid utf-8 .*set dataset\.encoding=gb18030 \(or auto\)"):
        read_split(tmp_path, dataset(encoding="utf-8"), "train")


@pytest.mark.parametrize("encoding", ["auto", "utf-8"])
def test_undecodable_file_is_one_clear_error(tmp_path, encoding):
    write(tmp_path, b"rating,text\n1,\xff\xfe\x80\x80\xff\n")
    with pytest.raises(DataError, match=r"data\.csv: .*(none of utf-8-sig, utf-8, gb18030).*UTF-8"):
        read_split(tmp_path, dataset(encoding=encoding), "train")


def test_gzipped_file_is_read_whatever_its_name(tmp_path):
    frame = read_split(write(tmp_path, gzip.compress(ROWS.encode("gbk"))), dataset(), "train")
    assert frame["text"].tolist() == ["服务很好", "太差了"]


def test_tsv_with_delimiter(tmp_path):
    write(tmp_path, ROWS.replace(",", "\t").encode())
    assert read_split(tmp_path, dataset(delimiter="\t"), "train")["label"].tolist() == ["5", "1"]


def test_missing_column_names_file_columns_and_key(tmp_path):
    write(tmp_path, ROWS.encode())
    with pytest.raises(DataError, match=r"data\.csv: no column\(s\) review; columns are 评分, 评论\. Set dataset\.text_column"):
        read_split(tmp_path, dataset(text_column="review"), "train")


def test_tsv_read_as_csv_suggests_the_delimiter(tmp_path):
    write(tmp_path, ROWS.replace(",", "\t").encode())
    with pytest.raises(DataError, match=r"set dataset\.delimiter='\\t'"):
        read_split(tmp_path, dataset(), "train")


def test_empty_cells_are_missing_and_other_columns_are_not_kept(tmp_path):
    write(tmp_path, "label,rating,text\npos,9,\nneg,1,Bad.\n".encode())
    frame = read_split(tmp_path, dataset(text_column="text", label_column="rating"), "train")
    assert list(frame.columns) == ["text", "label"]
    assert frame["text"].isna().tolist() == [True, False]


def test_missing_raw_file_says_run_download(tmp_path):
    with pytest.raises(DataError, match="run the download stage"):
        read_split(tmp_path, dataset(), "train")


def test_decode_strips_bom_for_plain_utf8():
    assert decode("\ufeffa,b".encode("utf-8"), "utf-8", "f.csv") == ("a,b", "utf-8")
