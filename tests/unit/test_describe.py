"""textclf.models.describe: the layer table (Keras) and description (scikit-learn) of reports/summary.md."""

import numpy as np
import pytest
import scipy.sparse as sp

from textclf.models.describe import NO_GRAPHVIZ, keras_architecture, sklearn_architecture
from textclf.models.nbsvm import NBSVMClassifier


def test_keras_layer_table_counts_parameters_per_layer():
    from textclf.models.bilstm import build_bilstm

    table = keras_architecture(build_bilstm(100, 2, "softmax", embedding_dim=8, lstm_units=4))
    assert [(layer["type"], layer["params"]) for layer in table["layers"]] == [
        ("InputLayer", 0),
        ("Embedding", 800),
        ("Bidirectional(LSTM)", 2 * 4 * (8 + 4 + 1) * 4),
        ("Dropout", 0),
        ("Dense", 8 * 2 + 2),
    ]
    assert (
        table["layers"][-1]["settings"] == "units=2, activation=softmax"
    )  # the head: softmax, not the tutorial's relu
    assert table["layers"][2]["settings"] == "units=4, activation=tanh; merge_mode=concat"
    assert table["params"] == {"total": 800 + 416 + 18, "trainable": 1234, "non_trainable": 0}


def test_sklearn_description_lists_learned_arrays_of_nested_estimators():
    X = sp.csr_matrix(np.array([[1, 0, 1], [0, 1, 1], [1, 0, 0], [0, 1, 0]], dtype=float))
    model = NBSVMClassifier(C=2.0).fit(X, np.array([1, 0, 1, 0]))
    info = sklearn_architecture(model)
    assert info["estimator"] == "NBSVMClassifier(C=2.0)"
    assert info["description"].startswith("Scale each feature by its NB log-count ratio")
    assert info["learned"] == {"estimators_[0].coef_": [1, 3], "estimators_[0].intercept_": [1], "ratios_": [1, 3]}
    assert info["params"] == {"total": 7}


def test_keras_adapter_describes_and_notes_the_missing_graphviz(tmp_path, monkeypatch):
    from textclf.config import TrainingConfig
    from textclf.models.keras_adapter import KerasModel
    from textclf.models.mlp import build_mlp
    from textclf.models.problem import Problem

    monkeypatch.setattr("shutil.which", lambda name: None)
    estimator = KerasModel(
        "mlp", build_mlp, {"units": [2]}, TrainingConfig(name="holdout", epochs=1), Problem.from_n_classes(2)
    )
    X, y = sp.csr_matrix(np.eye(4, dtype=np.float32)), np.array([0, 1, 0, 1])
    estimator.fit(X, y)
    info = estimator.describe(tmp_path)
    assert info["framework"] == "keras" and info["params"]["total"] == 4 * 2 + 2 + 2 + 1
    assert info["diagram_note"] == NO_GRAPHVIZ and not list(tmp_path.iterdir())


@pytest.mark.skipif(__import__("shutil").which("dot") is None, reason="needs graphviz's dot")
def test_diagram_where_graphviz_is_installed(tmp_path):
    from textclf.models.describe import draw_keras
    from textclf.models.mlp import build_mlp

    assert draw_keras(build_mlp(5, 1, "sigmoid", units=[2]), tmp_path) == "diagram.png"
    assert (tmp_path / "diagram.png").read_bytes()[:4] == b"\x89PNG"
