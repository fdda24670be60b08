"""Training from batches (training.stream): rows read from disk equal the loaded matrix's; a model
trained from disk equals one trained from memory on the same batches; models that need whole
matrices are refused before any data is read."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from textclf.config import TrainingConfig
from textclf.data.splits import assign_folds, folds_to_fits
from textclf.errors import ConfigError
from textclf.features.fit import featurize_fit
from textclf.io import MatrixRows, save_matrix
from textclf.models.batches import InMemoryRows, epoch_batches
from textclf.train import fits as orchestration
from textclf.train.estimator import make_estimator


def test_rows_from_disk_equal_the_loaded_matrix(tmp_path):
    X = sp.random(57, 11, density=0.3, format="csr", random_state=0, dtype=np.float32)
    ids = np.random.default_rng(0).integers(0, 9, size=(57, 5), dtype=np.int32)
    save_matrix(X, tmp_path / "X")
    save_matrix(ids, tmp_path / "ids")
    rows = np.array([3, 0, 56, 17, 17, 40])
    sparse, dense = MatrixRows(tmp_path / "X", tmp_path), MatrixRows(tmp_path / "ids", tmp_path)
    assert sparse.sparse and not dense.sparse and sparse.shape == X.shape and len(dense) == 57
    taken = sparse.take(rows)
    assert sp.issparse(taken) and taken.dtype == np.float32
    assert (taken != X[rows]).nnz == 0 and np.array_equal(taken.indptr, X[rows].indptr)
    assert np.array_equal(dense.take(rows), ids[rows])
    assert (sp.vstack(list(sparse.blocks(10))) != X).nnz == 0
    assert np.array_equal(np.vstack(list(dense.blocks(10))), ids)


def test_epoch_batches_visit_every_row_once_seeded_per_epoch():
    epoch0 = list(epoch_batches(23, 5, seed=7, epoch=0))
    assert [len(b) for b in epoch0] == [5, 5, 5, 5, 3]
    assert sorted(np.concatenate(epoch0)) == list(range(23))
    assert all(np.all(np.diff(b) > 0) for b in epoch0)  # read in file order
    again = list(epoch_batches(23, 5, seed=7, epoch=0))
    assert all(np.array_equal(a, b) for a, b in zip(epoch0, again, strict=True))
    epoch1 = list(epoch_batches(23, 5, seed=7, epoch=1))
    assert not all(np.array_equal(a, b) for a, b in zip(epoch0, epoch1, strict=True))


@pytest.fixture
def fit_data(tmp_path):
    rng = np.random.default_rng(0)
    X = sp.csr_matrix((rng.random((90, 30)) < 0.2).astype(np.float32))
    y = (np.asarray(X[:, :15].sum(axis=1)).ravel() > np.asarray(X[:, 15:].sum(axis=1)).ravel()).astype(np.int64)
    save_matrix(X[:70], tmp_path / "X_train")
    save_matrix(X[70:], tmp_path / "X_val")
    on_disk = (MatrixRows(tmp_path / "X_train", tmp_path), MatrixRows(tmp_path / "X_val", tmp_path))
    return {"memory": (X[:70], X[70:]), "disk": on_disk}, y[:70], y[70:]


def _train(model: dict, X, y, X_val, y_val, epochs: int = 3):
    training = TrainingConfig(name="holdout", epochs=epochs, batch_size=16, seed=5, stream=True)
    estimator = make_estimator(model, training, n_classes=2)
    history = estimator.fit(X, y, X_val, y_val, n_features=30)
    return history, estimator.predict_proba(X_val)


def test_sgd_from_disk_equals_sgd_from_memory(fit_data):
    sources, y, y_val = fit_data
    (h_mem, p_mem), (h_disk, p_disk) = (
        _train({"name": "sgd"}, *sources[k][:1], y, sources[k][1], y_val) for k in sources
    )
    assert np.array_equal(p_mem, p_disk) and h_mem == h_disk
    assert len(h_disk["loss"]) == len(h_disk["val_accuracy"]) == 3  # one score per epoch
    assert h_disk["accuracy"][-1] > 0.8  # it learnt the rule


def test_sgd_balanced_class_weight_is_computed_from_the_labels(fit_data):
    sources, y, y_val = fit_data
    training = TrainingConfig(name="holdout", epochs=1, batch_size=16, class_weight="balanced", stream=True)
    estimator = make_estimator({"name": "sgd"}, training, n_classes=2)
    estimator.fit(*sources["disk"][:1], y)
    assert estimator.estimator.class_weight == pytest.approx({0: 70 / (2 * (y == 0).sum()), 1: 70 / (2 * y.sum())})


def test_keras_from_disk_equals_keras_from_memory_through_tf_data(fit_data):
    sources, y, y_val = fit_data
    model = {"name": "mlp", "units": [4]}
    h_disk, p_disk = _train(model, *sources["disk"][:1], y, sources["disk"][1], y_val, epochs=2)
    h_mem, p_mem = _train(model, InMemoryRows(sources["memory"][0]), y, sources["memory"][1], y_val, epochs=2)
    assert np.array_equal(p_mem, p_disk) and h_mem == h_disk
    assert sorted(h_disk) == ["accuracy", "loss", "val_accuracy", "val_loss"] and len(h_disk["loss"]) == 2


def test_models_that_need_the_whole_matrix_refuse_stream_before_reading_data():
    with pytest.raises(ConfigError, match=r"model 'logreg' .* training.stream=true.*sgd"):
        make_estimator({"name": "logreg"}, TrainingConfig(name="holdout", stream=True), n_classes=2)


def test_streamed_kfold_with_refit_from_featurized_files(tmp_path):
    """The train stage's path: every fold's files on disk, scratch copies removed afterwards."""
    y = np.arange(60) % 2
    words = np.random.default_rng(1).choice(["film", "plot", "the", "a"], size=(60, 3))
    texts = [("good fun " if label else "bad dull ") + " ".join(w) for label, w in zip(y, words, strict=True)]
    train = pd.DataFrame({"text": texts, "label": y})
    fits = folds_to_fits(assign_folds(y, TrainingConfig(name="kfold", k=3, seed=1)), refit=True)
    for fit in fits:
        featurize_fit(fit, train, train.iloc[:12], {"name": "hashing", "n_features": 64}, tmp_path / "f" / fit.name)
    results = {}
    for stream in (False, True):
        models = tmp_path / f"m{stream}"
        models.mkdir()
        training = TrainingConfig(name="kfold", epochs=2, batch_size=8, stream=stream)
        results[stream] = orchestration.train_all(
            [f.name for f in fits], tmp_path / "f", models, {"name": "sgd"}, training, 2
        )
    pd.testing.assert_frame_equal(results[False][1], results[True][1], check_exact=True)
    pd.testing.assert_frame_equal(results[False][0], results[True][0], check_exact=True)
    assert (tmp_path / "mTrue/full/model.skops").is_file()
    assert (results[True][1].groupby(["fold", "split"]).size() > 0).all()
