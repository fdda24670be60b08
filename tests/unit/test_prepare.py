"""prepare (library and stage): label rules, drop counts, held-out test split, regression, bad inputs."""

import json
import logging
from pathlib import Path

import pandas as pd
import pytest
import yaml

from textclf.compose import compose
from textclf.errors import DataError
from textclf.stages import download, prepare

CONF = Path(__file__).resolve().parents[2] / "conf"
POSITIVE = ["服务很好，很满意", "电影太精彩了", "非常喜欢，推荐", "演员很棒，值得一看"]
NEGATIVE = ["太差了，浪费时间", "剧情无聊", "失望，不推荐", "画面很糟糕"]


def douban_rows(n: int = 40) -> pd.DataFrame:
    """Ratings 1-5 plus the rows the Douban rule and the empty-text check drop."""
    rows = [
        (5 - (i % 2) if i % 4 < 2 else 1 + (i % 2), (POSITIVE if i % 4 < 2 else NEGATIVE)[i % 4] + f"{i}")
        for i in range(n)
    ]
    rows += [(3, "还行吧"), (0, "没打分"), (5, ""), ("", "没有评分")]
    return pd.DataFrame(rows, columns=["评分", "短评"])


def write_params(tmp_path: Path, overrides: list[str]) -> Path:
    params = yaml.safe_load(compose(CONF, ["dataset=csv", "text=jieba"]))
    for override in overrides:
        key, value = override.split("=", 1)
        node = params
        *parents, last = key.split(".")
        for part in parents:
            node = node[part]
        node[last] = yaml.safe_load(value)
    params["runtime"]["n_jobs"] = 1
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return path


DOUBAN = [
    "dataset.text_column=短评",
    "dataset.label_column=评分",
    "dataset.label_map=null",
    "dataset.label_ranges={negative: [1, 2], positive: [4, 5]}",
]


def run_stages(tmp_path: Path, csv_bytes: bytes, overrides: list[str] = ()) -> dict:
    """download + prepare of ``external/my.csv`` in ``tmp_path`` (the repository root for the download stage)."""
    (tmp_path / "external").mkdir(parents=True, exist_ok=True)
    (tmp_path / "external/my.csv").write_bytes(csv_bytes)
    params = write_params(
        tmp_path,
        [
            "dataset.path=external/my.csv",
            "dataset.files=[{name: source, sha256: null, urls: [external/my.csv]}]",
            "dataset.splits={train: source}",
            *DOUBAN,
            *overrides,
        ],
    )
    download.main(["--params", str(params), "--out", str(tmp_path / "raw"), "--root", str(tmp_path)])
    prepare.main(
        [
            "--params",
            str(params),
            "--raw",
            str(tmp_path / "raw"),
            "--out",
            str(tmp_path / "prepared"),
            "--report",
            str(tmp_path / "prepare.json"),
        ]
    )
    return json.loads((tmp_path / "prepare.json").read_text(encoding="utf-8"))


def assert_no_output(tmp_path: Path) -> None:
    assert not (tmp_path / "prepared").exists() and not (tmp_path / "prepare.json").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_gbk_csv_with_ratings_and_the_douban_rule(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    report = run_stages(tmp_path, douban_rows().to_csv(index=False).encode("gbk"))
    assert "its sha256 is" in caplog.text  # unpinned file: the digest is logged so it can be pinned
    train = report["splits"]["train"]
    assert train["encoding"] == "gb18030" and "detected encoding gb18030" in caplog.text
    assert train["rows_read"] == 44 and train["rows_kept"] == 40
    assert train["dropped"] == {"empty_text": 1, "missing_label": 1, "non_numeric_label": 0, "unmapped_label": 2}
    assert train["dropped_labels"] == {
        "empty_text": {"5": 1},
        "missing_label": {"(missing)": 1},
        "unmapped_label": {"0": 1, "3": 1},
    }
    assert train["file"] == "external/my.csv"  # the user's file, not the copy in data/raw
    assert report["test_split"] == {
        "from": "train",
        "test_size": 0.2,
        "split_seed": 42,
        "stratified": True,
        "rows": {"train": 32, "test": 8},
    }
    assert report["splits"]["test"]["class_counts"] == {"negative": 4, "positive": 4}
    prepared = tmp_path / "prepared"
    assert json.loads((prepared / "classes.json").read_text()) == ["negative", "positive"]
    test = pd.read_parquet(prepared / "test.parquet")
    assert list(test.columns) == ["text", "label", "raw_text"] and test["label"].dtype == "int64"
    assert all(" " in t for t in test["text"]) and "，" not in "".join(test["text"])


def test_held_out_test_split_is_seeded(tmp_path):
    first = run_stages(tmp_path / "a", douban_rows().to_csv(index=False).encode())
    again = run_stages(tmp_path / "b", douban_rows().to_csv(index=False).encode())
    other = run_stages(tmp_path / "c", douban_rows().to_csv(index=False).encode(), ["dataset.split_seed=7"])
    tests = [pd.read_parquet(tmp_path / d / "prepared/test.parquet")["raw_text"].tolist() for d in "abc"]
    assert tests[0] == tests[1] != tests[2]
    assert first["splits"]["train"]["encoding"] == "utf-8"
    assert first["splits"]["test"] == again["splits"]["test"] == other["splits"]["test"]  # stratified: same counts


def test_regression_labels_are_floats_with_no_classes(tmp_path):
    rows = douban_rows().to_csv(index=False).encode()
    report = run_stages(tmp_path, rows, ["dataset.task=regression", "dataset.classes=[]", "dataset.label_ranges=null"])
    assert report["classes"] == [] and report["test_split"]["stratified"] is False
    assert report["splits"]["train"]["dropped"]["missing_label"] == 1
    assert report["splits"]["train"]["rows_kept"] == 42  # ratings 3 and 0 are targets too
    train = pd.read_parquet(tmp_path / "prepared/train.parquet")
    assert train["label"].dtype == "float64" and set(train["label"]) <= {0.0, 1.0, 2.0, 3.0, 4.0, 5.0}
    assert json.loads((tmp_path / "prepared/classes.json").read_text()) == []


@pytest.mark.parametrize(
    "data,overrides,message",
    [
        (
            douban_rows().to_csv(index=False).encode(),
            ["dataset.text_column=comment"],
            r"^external/my\.csv: no column\(s\) comment; columns are 评分, 短评\. Set dataset\.text_column",
        ),
        (b"\xff\xfe\x80\x81\xff,\xff\n", [], r"^external/my\.csv: encoding: auto cannot tell"),
        (
            douban_rows().to_csv(index=False).encode("gbk"),
            ["dataset.encoding=utf-8"],
            r"^external/my\.csv: not valid utf-8 .*set dataset\.encoding=gb18030",
        ),
        (
            douban_rows().to_csv(index=False).encode(),
            ["dataset.label_ranges={negative: [1, 2], positive: [40, 50]}"],
            r"^external/my\.csv: only 1 class left after mapping labels \(\{'negative': 20, 'positive': 0\}.*unmapped_label': 22"
            r".*'unmapped_label': \{'4': 10, '5': 10, '0': 1, '3': 1\}",
        ),
        (
            "Star,Comment\n1,差\n5,好\n5,很好\n5,不错\n".encode(),
            ["dataset.text_column=Comment", "dataset.label_column=Star"],
            r"^external/my\.csv: cannot hold out a stratified test split of dataset\.test_size=0\.2 from 4 rows",
        ),
    ],
)
def test_bad_input_is_one_clear_error_and_writes_nothing(tmp_path, data, overrides, message):
    with pytest.raises(DataError, match=message):
        run_stages(tmp_path, data, overrides)
    assert_no_output(tmp_path)


def with_copies(n_copies: int = 12) -> bytes:
    rows = douban_rows()
    return pd.concat([rows, rows.iloc[:n_copies]]).to_csv(index=False).encode()


def test_duplicates_within_and_across_splits_are_reported_and_warned(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    report = run_stages(tmp_path, with_copies())
    train = pd.read_parquet(tmp_path / "prepared/train.parquet")
    test = pd.read_parquet(tmp_path / "prepared/test.parquet")
    shared = int(test["raw_text"].isin(set(train["raw_text"])).sum())
    duplicates = report["duplicates"]
    assert shared > 0 and duplicates["across"]["test_rows_in_train"] == shared
    assert duplicates["across"]["of_test_rows"] == len(test)
    assert duplicates["within_train"]["rows"] == int(train["raw_text"].duplicated().sum())
    assert duplicates["within_train"]["rows"] + duplicates["within_test"]["rows"] + shared == 12
    assert f"{shared} of {len(test)} test rows are exact copies of training rows" in caplog.text
    assert "dataset.dedupe=true" in caplog.text


def test_dedupe_keeps_each_text_once_and_the_test_copy(tmp_path):
    run_stages(tmp_path / "plain", with_copies())
    report = run_stages(tmp_path, with_copies(), ["dataset.dedupe=true"])
    train = pd.read_parquet(tmp_path / "prepared/train.parquet")["raw_text"]
    test = pd.read_parquet(tmp_path / "prepared/test.parquet")["raw_text"]
    assert not train.duplicated().any() and not test.isin(set(train)).any()
    plain_test = pd.read_parquet(tmp_path / "plain/prepared/test.parquet")["raw_text"]
    assert test.tolist() == plain_test.drop_duplicates().tolist()  # the test split keeps its rows, once each
    assert len(train) + len(test) == 40  # the 40 distinct texts of douban_rows that the rating rule keeps
    dropped = report["duplicates"]["dropped"]
    assert report["splits"]["train"]["rows"] == report["test_split"]["rows"]["train"] - dropped["train"]
    assert report["splits"]["test"]["rows"] == report["test_split"]["rows"]["test"] - dropped["test"]


@pytest.mark.parametrize("test_size", ["0", "null"])
def test_test_size_zero_or_null_keeps_every_row_for_training(tmp_path, test_size):
    report = run_stages(tmp_path, douban_rows().to_csv(index=False).encode(), [f"dataset.test_size={test_size}"])
    assert report["test_split"]["rows"] == {"train": 40, "test": 0}
    assert report["splits"]["test"]["rows"] == 0
    test = pd.read_parquet(tmp_path / "prepared/test.parquet")
    assert test.empty and list(test.columns) == ["text", "label", "raw_text"]
    assert len(pd.read_parquet(tmp_path / "prepared/train.parquet")) == 40


def tabular(**overrides):
    from textclf.config import DatasetConfig

    base = dict(
        name="t",
        files=[],
        splits={"train": "x"},
        classes=["neg", "pos"],
        label_column="y",
        feature_columns=["a", "b"],
        na_values={"a": [0]},
        test_size=0,
    )
    return DatasetConfig(**{**base, **overrides})


def test_tabular_rows_keep_numeric_columns_with_zeros_as_missing():
    from textclf.data.prepare import prepare_dataset

    raw = pd.DataFrame({"a": ["0", "2", "3", ""], "b": ["1.5", "0", "2", "4"], "label": ["neg", "pos", "pos", "cat"]})
    raw.attrs["source"] = "external/t.csv"
    frames, report = prepare_dataset({"train": raw}, tabular(), tokenizer=str.split)
    train = frames["train"]
    assert list(train.columns) == ["a", "b", "label", "raw_text"] and len(frames["test"]) == 0
    assert train["a"].isna().tolist() == [True, False, False] and train["b"].tolist() == [1.5, 0.0, 2.0]
    assert train["raw_text"].tolist()[0] == "a=NA b=1.5"
    split = report["splits"]["train"]
    assert split["missing_values"] == {"a": 1, "b": 0} and split["dropped_labels"] == {"unmapped_label": {"cat": 1}}


def test_a_non_numeric_feature_cell_names_the_file_row_and_column():
    from textclf.data.prepare import prepare_dataset

    raw = pd.DataFrame({"a": ["1", "two"], "b": ["1", "2"], "label": ["neg", "pos"]})
    raw.attrs["source"] = "external/t.csv"
    with pytest.raises(DataError, match=r"^external/t\.csv: data row 2, column a: 'two' is not a number"):
        prepare_dataset({"train": raw}, tabular(), tokenizer=str.split)
