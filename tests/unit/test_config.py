"""config: typed sections, unknown keys with suggestions, missing params file."""

import pytest

from textclf.config import DatasetConfig, TrainingConfig, load_params, parse
from textclf.errors import ConfigError

DATASET = {
    "name": "d",
    "files": [{"name": "a.csv", "sha256": "0" * 64, "urls": ["a.csv"]}],
    "splits": {"train": "a.csv"},
    "classes": ["neg", "pos"],
}


def test_parse_builds_nested_dataclasses():
    ds = parse(DatasetConfig, DATASET, "dataset")
    assert ds.files[0].urls == ["a.csv"] and ds.files[0].extract is False


def test_unknown_key_names_key_and_closest_valid_one():
    with pytest.raises(ConfigError, match=r"unknown key training\.epochz\. Did you mean 'epochs'\?"):
        parse(TrainingConfig, {"name": "holdout", "epochz": 3}, "training")


def test_nested_unknown_key_is_located():
    data = {**DATASET, "files": [{"name": "a", "sha265": "0", "urls": []}]}
    with pytest.raises(ConfigError, match=r"dataset\.files\[0\]\.sha265\. Did you mean 'sha256'"):
        parse(DatasetConfig, data, "dataset")


def test_wrong_type_shows_received_value():
    with pytest.raises(ConfigError, match=r"training\.epochs must be of type int\. Received: training\.epochs='4'"):
        parse(TrainingConfig, {"name": "holdout", "epochs": "4"}, "training")


def test_missing_required_key():
    with pytest.raises(ConfigError, match="missing key dataset.splits"):
        parse(DatasetConfig, {k: v for k, v in DATASET.items() if k != "splits"}, "dataset")


def test_missing_params_file_says_how_to_make_it(tmp_path):
    with pytest.raises(ConfigError, match="run `textclf compose`"):
        load_params("model", path=tmp_path / "params.yaml")


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "dataset:\n  name: imdb\n  files: [\n",
            r"params\.yaml is not valid YAML \(line 4, column 1: expected the node content",
        ),
        ("model: {name: mlp\n", r"params\.yaml is not valid YAML \(line 2, column 1: expected ',' or '\}'"),
        ("- dataset\n- model\n", r"params\.yaml must be a mapping of sections .*Received a list"),
        (b"model:\n  name: \xff\xfe\n", r"params\.yaml is not UTF-8 text \(byte 15\)"),
    ],
)
def test_corrupt_params_file_is_one_line_with_the_fix(tmp_path, text, message):
    path = tmp_path / "params.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(
        ConfigError, match=message + r".*rewrite it with `textclf compose \[group=option \.\.\.\]`"
    ) as err:
        load_params("model", path=path)
    assert "\n" not in str(err.value)
