"""Every conf/dataset x conf/text option composes through the CLI and validates; dataset defaults."""

from pathlib import Path

import pytest
import yaml

from textclf.cli import main as cli
from textclf.compose import compose
from textclf.config import dataset_config, training_config
from textclf.data.labels import _check_rule, class_names
from textclf.errors import ConfigError
from textclf.text import TOKENIZERS

CONF = Path(__file__).resolve().parents[2] / "conf"
DATASETS = sorted(p.stem for p in (CONF / "dataset").glob("*.yaml"))
TEXTS = sorted(p.stem for p in (CONF / "text").glob("*.yaml"))


def needs_path(dataset: str) -> bool:
    """Options for the user's own file (``path: null``, e.g. douban) need ``dataset.path``."""
    section = yaml.safe_load((CONF / "dataset" / f"{dataset}.yaml").read_text())
    return "path" in section and section["path"] is None


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_cli_composes_and_the_sections_validate(tmp_path, dataset, text, capsys):
    out = tmp_path / "params.yaml"
    cli(["compose", f"dataset={dataset}", f"text={text}", "--params", str(out)])
    params = yaml.safe_load(out.read_text(encoding="utf-8"))
    if needs_path(dataset):
        with pytest.raises(ConfigError, match=r"^dataset\.path is not set: dataset '.*' reads your file"):
            dataset_config(params)
        params["dataset"]["path"] = "external/mine.txt"
        params["dataset"]["files"][0]["urls"] = ["external/mine.txt"]
    ds = dataset_config(params)
    assert ds.name == dataset and "train" in ds.splits
    names = class_names(ds)
    if ds.task == "classification":
        _check_rule(ds, names)
    TOKENIZERS.build(params["text"])
    training = training_config(params)
    assert training.val_size == (ds.val_size if ds.val_size is not None else 10000)


def test_default_composition_is_unchanged():
    params = yaml.safe_load(compose(CONF))
    assert [params[g]["name"] for g in ("dataset", "text", "features", "model", "training")] == [
        "imdb",
        "english",
        "multihot",
        "mlp",
        "holdout",
    ]
    assert params["training"]["val_size"] == 10000


def test_small_corpus_sets_val_size_and_an_explicit_value_still_wins():
    assert yaml.safe_load(compose(CONF, ["dataset=chnsenticorp"]))["training"]["val_size"] == 0.2
    params = yaml.safe_load(compose(CONF, ["dataset=chnsenticorp", "training.val_size=500"]))
    assert params["training"]["val_size"] == 500


def test_csv_dataset_path_and_sha256_fill_its_file_entry():
    params = yaml.safe_load(
        compose(CONF, ["dataset=csv", "dataset.path=https://example.org/r.tsv", "dataset.sha256=abc"])
    )
    assert params["dataset"]["files"] == [{"name": "source", "sha256": "abc", "urls": ["https://example.org/r.tsv"]}]


def test_douban_reads_the_rating_first_layout_with_the_douban_rule():
    ds = dataset_config(yaml.safe_load(compose(CONF, ["dataset=douban", "dataset.path=external/d.txt"])))
    assert ds.format == "label_first" and ds.label_ranges == {"negative": [1, 2], "positive": [4, 5]}
    assert ds.files[0].urls == ["external/d.txt"] and ds.encoding == "auto"


def test_pima_is_tabular_with_zeros_as_missing_and_no_test_split():
    ds = dataset_config(yaml.safe_load(compose(CONF, ["experiment=pima"])))
    assert ds.tabular and len(ds.feature_columns) == 8 and ds.test_size == 0 and "test" not in ds.splits
    assert sorted(ds.na_values) == ["glucose", "insulin", "mass", "pressure", "triceps"]


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


@pytest.mark.parametrize("dataset", ["chnsenticorp", "online_shopping", "online_shopping_cats", "csv"])
def test_small_corpora_get_their_recommended_model_and_training(dataset):
    params = yaml.safe_load(compose(CONF, [f"dataset={dataset}"]))
    assert params["features"]["ngram_range"] == [1, 2] and params["features"]["num_words"] == 20000
    assert params["model"]["units"] == [16] and params["model"]["dropout"] == 0.5
    training = training_config(params)
    assert (training.epochs, training.batch_size, training.early_stopping.patience) == (20, 32, 2)


def test_an_explicit_value_beats_the_recommendation_and_other_options_ignore_it():
    params = yaml.safe_load(compose(CONF, ["dataset=chnsenticorp", "training.epochs=3", "model.units=[8,8]"]))
    assert params["training"]["epochs"] == 3 and params["model"]["units"] == [8, 8]
    params = yaml.safe_load(compose(CONF, ["dataset=chnsenticorp", "features=sequence", "model=bilstm"]))
    assert params["features"]["ngram_range"] == [1, 1]  # sequence ids do not read the recommendation
    imdb = yaml.safe_load(compose(CONF))
    assert (imdb["features"]["ngram_range"], imdb["model"]["units"], imdb["training"]["epochs"]) == (
        [1, 1],
        [16, 16],
        4,
    )
