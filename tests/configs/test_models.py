"""Every conf/model/*.yaml builds through the registry and fits one step on tiny data, for every
problem type it supports; unsupported problem types and wrong feature kinds are config errors."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import synthetic_reviews
from textclf.compose import compose
from textclf.config import TrainingConfig, parse
from textclf.errors import ConfigError
from textclf.features import VECTORIZERS
from textclf.models import MODELS
from textclf.models.problem import PROBLEMS
from textclf.train.estimator import fit_and_predict, make_estimator

CONF = Path(__file__).resolve().parents[2] / "conf"
MODEL_FILES = sorted((CONF / "model").glob("*.yaml"))
N_CLASSES = {"binary": 2, "multiclass": 3, "regression": 0}
TRAINING = parse(TrainingConfig, {"name": "holdout", "epochs": 1, "batch_size": 64}, "training")


def section(path: Path) -> dict:
    """The option's section as composed (interpolations such as dataset.recommended resolved)."""
    group = path.parent.name
    return yaml.safe_load(compose(path.parents[1], [f"{group}={path.stem}"]))[group]


@pytest.fixture(scope="module")
def corpus():
    frame = synthetic_reviews(48, seed=3)
    texts = frame["text"].str.lower().str.replace(r"[^a-z ]", " ", regex=True).to_numpy()
    targets = {
        "binary": (frame["label"] == "pos").to_numpy().astype(np.int64),
        "multiclass": np.arange(48) % 3,
        "regression": frame["rating"].to_numpy().astype(np.float64),
    }
    features = {
        "sequence": VECTORIZERS.build({"name": "sequence", "maxlen": 12}).fit(texts[:32]),
        "vectors": VECTORIZERS.build({"name": "multihot", "ngram_range": [1, 2]}).fit(texts[:32]),
    }
    return texts, targets, features


def fold_data(texts, y, vectorizer) -> dict:
    X = vectorizer.transform(texts)
    n_features = getattr(vectorizer, "input_dim_", None) or X.shape[1]
    parts = {"train": slice(0, 32), "val": slice(32, 40), "test": slice(40, 48)}
    data = {"n_features": n_features}
    for split, rows in parts.items():
        data[f"X_{split}"], data[f"y_{split}"] = X[rows], y[rows]
        data[f"rows_{split}"] = np.arange(48)[rows]
    return data


def test_every_registered_model_has_a_conf_file_named_after_it():
    assert sorted(p.stem for p in MODEL_FILES) == MODELS.names()
    for path in MODEL_FILES:
        assert section(path)["name"] == path.stem
        MODELS.check(section(path))  # every key is a builder argument


def combinations():
    """(model file, problem) pairs."""
    for path in MODEL_FILES:
        for problem in PROBLEMS:
            yield pytest.param(path, problem, id=f"{path.stem}-{problem}")


@pytest.mark.parametrize(("path", "problem"), list(combinations()))
def test_model_fits_one_step_or_refuses_the_problem(path, problem, corpus):
    texts, targets, features = corpus
    model = section(path)
    spec = MODELS.spec(model["name"])
    if problem not in spec.problems:
        with pytest.raises(ConfigError, match=f"does not support {problem}"):
            make_estimator(model, TRAINING, N_CLASSES[problem])
        return
    estimator = make_estimator(model, TRAINING, N_CLASSES[problem])
    kind = "vectors" if spec.inputs == "any" else spec.inputs
    history, predictions, _ = fit_and_predict(estimator, fold_data(texts, targets[problem], features[kind]), "holdout")
    assert len(history) == 1 and "loss" in history
    assert len(predictions) == 16
    if problem == "regression":
        assert "pred" in predictions and np.isfinite(predictions["pred"]).all()
        assert not any(c.startswith("p_") for c in predictions)
    else:
        proba = predictions[[f"p_{k}" for k in range(N_CLASSES[problem])]].to_numpy()
        assert np.allclose(proba.sum(axis=1), 1, atol=1e-4)


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.stem)
def test_wrong_feature_kind_is_one_config_error(path, corpus):
    texts, targets, features = corpus
    model = section(path)
    spec = MODELS.spec(model["name"])
    if spec.inputs == "any":
        pytest.skip("ignores the features")
    wrong = "vectors" if spec.inputs == "sequence" else "sequence"
    estimator = make_estimator(model, TRAINING, 2)
    with pytest.raises(ConfigError, match=f"model '{model['name']}' needs features="):
        fit_and_predict(estimator, fold_data(texts, targets["binary"], features[wrong]), "holdout")


@pytest.mark.parametrize("path", sorted((CONF / "features").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_features_conf_builds_and_transforms(path, corpus):
    texts = corpus[0]
    if VECTORIZERS.spec(section(path)["name"]).input == "table":  # numeric columns
        texts = pd.DataFrame({"x": np.arange(48.0), "y": np.arange(48.0) % 3})
        vectorizer = VECTORIZERS.build(section(path)).fit(texts.iloc[:32])
        assert vectorizer.transform(texts.iloc[32:]).shape[0] == 16
        return
    vectorizer = VECTORIZERS.build(section(path)).fit(texts[:32])
    assert vectorizer.transform(texts[32:]).shape[0] == 16


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.stem)
def test_model_and_features_configs_are_checked_together_before_any_data(path):
    from textclf.models.registry import check_features

    model = section(path)
    inputs = MODELS.spec(model["name"]).inputs
    for features in sorted((CONF / "features").glob("*.yaml")):
        fits = inputs == "any" or (features.stem == "sequence") == (inputs == "sequence")
        if fits:
            check_features(model, section(features))
        else:
            with pytest.raises(ConfigError, match=f"model '{model['name']}' needs features=.*features={features.stem}"):
                check_features(model, section(features))
