"""Every conf/dataset x conf/text option composes through the CLI and validates; dataset defaults."""

from pathlib import Path

import pytest
import yaml

from textclf.cli import main as cli
from textclf.compose import compose
from textclf.config import dataset_config, training_config
from textclf.data.labels import _check_rule, class_names
from textclf.text import TOKENIZERS

CONF = Path(__file__).resolve().parents[2] / "conf"
DATASETS = sorted(p.stem for p in (CONF / "dataset").glob("*.yaml"))
TEXTS = sorted(p.stem for p in (CONF / "text").glob("*.yaml"))


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_cli_composes_and_the_sections_validate(tmp_path, dataset, text, capsys):
    out = tmp_path / "params.yaml"
    cli(["compose", f"dataset={dataset}", f"text={text}", "--params", str(out)])
    params = yaml.safe_load(out.read_text(encoding="utf-8"))
    ds = dataset_config(params)
    assert ds.name == dataset and "train" in ds.splits
    assert "test" in ds.splits or ds.test_size is not None
    names = class_names(ds)
    if ds.task == "classification":
        _check_rule(ds, names)
    TOKENIZERS.build(params["text"])
    training = training_config(params)
    assert training.val_size == (ds.val_size if ds.val_size is not None else 10000)


def test_default_composition_is_unchanged():
    params = yaml.safe_load(compose(CONF))
    assert [params[g]["name"] for g in ("dataset", "text", "features", "model", "training")] == \
        ["imdb", "english", "multihot", "mlp", "holdout"]
    assert params["training"]["val_size"] == 10000


def test_small_corpus_sets_val_size_and_an_explicit_value_still_wins():
    assert yaml.safe_load(compose(CONF, ["dataset=chnsenticorp"]))["training"]["val_size"] == 0.2
    params = yaml.safe_load(compose(CONF, ["dataset=chnsenticorp", "training.val_size=500"]))
    assert params["training"]["val_size"] == 500


def test_csv_dataset_path_and_sha256_fill_its_file_entry():
    params = yaml.safe_load(compose(CONF, ["dataset=csv", "dataset.path=https://example.org/r.tsv",
                                           "dataset.sha256=abc"]))
    assert params["dataset"]["files"] == [{"name": "data.csv", "sha256": "abc", "urls": ["https://example.org/r.tsv"]}]


def test_dvc_composes_the_csv_dataset_like_textclf(tmp_path):
    from dvc.utils.hydra import compose_and_dump

    overrides = ["dataset=csv", "text=jieba", "dataset.path=my.csv"]
    compose_and_dump(tmp_path / "params.yaml", str(CONF), None, "config", str(tmp_path), overrides)
    assert (tmp_path / "params.yaml").read_text() == compose(CONF, overrides)


def test_online_shopping_categories_are_listed_in_a_fixed_order():
    ds = dataset_config(yaml.safe_load(compose(CONF, ["dataset=online_shopping_cats"])))
    assert ds.classes == sorted(ds.classes) and len(ds.classes) == 10 and ds.label_column == "cat"


def test_imdb_rating_is_regression_on_the_rating_column():
    ds = dataset_config(yaml.safe_load(compose(CONF, ["dataset=imdb_rating"])))
    assert ds.task == "regression" and ds.label_column == "rating" and class_names(ds) == []
