"""textclf.evaluate.figures: every figure renders to a PNG without a display."""

import numpy as np
import pandas as pd

from textclf.evaluate import figures
from textclf.evaluate.plots import calibration_points, precision_recall_points, regression_points, roc_points

Y = np.array([0, 0, 1, 1])
P1 = np.array([0.1, 0.6, 0.4, 0.9])
PROBA = np.column_stack([1 - P1, P1])
HISTORY = pd.DataFrame(
    {
        "fold": ["f0", "f0", "f1", "f1"],
        "epoch": [1, 2, 1, 2],
        "loss": [0.7, 0.5, 0.6, 0.4],
        "val_loss": [0.8, 0.6, 0.7, 0.6],
    }
)


def test_save_figures_writes_pngs(tmp_path):
    made = {
        "loss": figures.training_curve(HISTORY, "loss"),
        "roc": figures.roc_figure(roc_points(Y, PROBA), 0.75),
        "precision_recall": figures.precision_recall_figure(precision_recall_points(Y, PROBA), 0.5),
        "calibration": figures.calibration_figure(calibration_points(Y, PROBA)),
        "confusion": figures.confusion_figure(np.array([[1, 1], [0, 2]]), ["neg", "pos"]),
        "regression": figures.regression_figure(regression_points(Y.astype(float), P1)),
    }
    names = figures.save_figures(made, tmp_path)
    assert names == [f"{name}.png" for name in made]
    for name in names:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_training_curve_draws_train_and_validation_per_fold():
    ax = figures.training_curve(HISTORY, "loss").axes[0]
    assert [line.get_label() for line in ax.get_lines()] == [
        "train (f0)",
        "validation (f0)",
        "train (f1)",
        "validation (f1)",
    ]
    single = figures.training_curve(HISTORY[HISTORY["fold"] == "f0"], "loss").axes[0]
    assert [line.get_label() for line in single.get_lines()] == ["train", "validation"]
