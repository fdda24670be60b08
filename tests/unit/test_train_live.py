"""textclf.train.live: the DVCLive callback writes per-epoch metrics (imports TensorFlow)."""

import json


def epochs(callback, n, offset=0.0):
    callback.on_train_begin()
    for epoch in range(n):
        callback.on_epoch_end(
            epoch, {"loss": 1.0 - epoch / 10 + offset, "accuracy": 0.5, "val_loss": 0.9, "val_accuracy": 0.6}
        )
    callback.on_train_end()


def test_single_fit_logs_train_and_eval(tmp_path):
    from textclf.train.live import live_callback, open_live

    live = open_live(tmp_path / "live")
    epochs(live_callback(live), 3)
    live.end()
    summary = json.loads((tmp_path / "live/metrics.json").read_text())
    assert summary == {"train": {"loss": 0.8, "accuracy": 0.5}, "eval": {"loss": 0.9, "accuracy": 0.6}, "step": 2}
    rows = (tmp_path / "live/plots/metrics/train/loss.tsv").read_text().splitlines()
    assert rows[0].split("\t") == ["step", "loss"] and len(rows) == 4


def test_folds_get_prefixes_and_restart_steps(tmp_path):
    from textclf.train.live import live_callback, open_live

    live = open_live(tmp_path / "live")
    epochs(live_callback(live, "f0"), 2)
    epochs(live_callback(live, "f1"), 2, offset=0.5)
    live.end()
    summary = json.loads((tmp_path / "live/metrics.json").read_text())
    assert summary["f0"]["train"]["loss"] == 0.9 and summary["f1"]["train"]["loss"] == 1.4
    steps = [
        line.split("\t")[0] for line in (tmp_path / "live/plots/metrics/f1/train/loss.tsv").read_text().splitlines()
    ]
    assert steps == ["step", "0", "1"]


def test_fit_accepts_the_callback(tmp_path):
    """A two-epoch Keras fit through the real adapter writes the live log."""
    import numpy as np

    from textclf.config import TrainingConfig
    from textclf.models import MODELS
    from textclf.models.keras_adapter import KerasModel
    from textclf.models.problem import Problem
    from textclf.train.live import live_callback, open_live

    rng = np.random.default_rng(0)
    X, y = rng.random((40, 5)), rng.integers(0, 2, 40)
    live = open_live(tmp_path / "live")
    estimator = KerasModel(
        "mlp",
        MODELS.get("mlp"),
        {"units": [4]},
        TrainingConfig(name="holdout", epochs=2, batch_size=8),
        Problem.from_n_classes(2),
    )
    estimator.fit(X, y, X[:10], y[:10], callbacks=[live_callback(live)])
    live.end()
    summary = json.loads((tmp_path / "live/metrics.json").read_text())
    assert set(summary) == {"train", "eval", "step"} and summary["step"] == 1
