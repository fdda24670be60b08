"""PNG figures (matplotlib, no display needed) of the plots DVC renders, for people reading the repo.

Figures are built with :class:`matplotlib.figure.Figure` directly, not ``pyplot``: no global state,
no GUI backend, and PNG output through Agg.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

SIZE = (5.0, 4.0)
DPI = 100


def _figure(title: str, xlabel: str, ylabel: str):
    fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    ax = fig.subplots()
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    return fig, ax


def training_curve(history: pd.DataFrame, metric: str) -> Figure:
    """``metric`` and ``val_<metric>`` per epoch, one pair of lines per fold."""
    fig, ax = _figure(f"{metric.replace('_', ' ').capitalize()} per epoch", "epoch", metric)
    folds = history["fold"].unique() if "fold" in history else [None]
    for fold in folds:
        part = history if fold is None else history[history["fold"] == fold]
        suffix = f" ({fold})" if len(folds) > 1 else ""
        ax.plot(part["epoch"], part[metric], "o-", color="C0", alpha=0.8, label=f"train{suffix}")
        if f"val_{metric}" in part:
            ax.plot(part["epoch"], part[f"val_{metric}"], "s--", color="C1", alpha=0.8, label=f"validation{suffix}")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize="small")
    return fig


def roc_figure(points: pd.DataFrame, auc: float | None = None, split: str = "test") -> Figure:
    label = "model" if auc is None else f"model (AUC {auc:.3f})"
    fig, ax = _figure(f"ROC ({split})", "false positive rate", "true positive rate")
    ax.plot(points["fpr"], points["tpr"], color="C0", label=label)
    ax.plot([0, 1], [0, 1], ":", color="grey", label="chance")
    ax.set(xlim=(0, 1), ylim=(0, 1.01))
    ax.legend(loc="lower right")
    return fig


def precision_recall_figure(points: pd.DataFrame, prevalence: float | None = None, split: str = "test") -> Figure:
    fig, ax = _figure(f"Precision-recall ({split})", "recall", "precision")
    ax.plot(points["recall"], points["precision"], color="C0", label="model")
    if prevalence is not None:
        ax.axhline(prevalence, linestyle=":", color="grey", label=f"baseline ({prevalence:.2f})")
    ax.set(xlim=(0, 1), ylim=(0, 1.01))
    ax.legend(loc="lower left")
    return fig


def calibration_figure(points: pd.DataFrame, split: str = "test") -> Figure:
    fig, ax = _figure(f"Calibration ({split})", "mean predicted probability", "observed frequency")
    ax.plot([0, 1], [0, 1], ":", color="grey", label="perfectly calibrated")
    ax.plot(points["predicted"], points["observed"], "o-", color="C0", label="model")
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.legend(loc="upper left")
    return fig


def confusion_figure(matrix: np.ndarray, classes: list[str], split: str = "test") -> Figure:
    """Counts with row-normalised shading (so a small class is as visible as a big one)."""
    size = max(SIZE[0], 0.5 * len(classes) + 2)
    fig = Figure(figsize=(size, size * 0.85), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    totals = matrix.sum(axis=1, keepdims=True)
    shares = np.divide(matrix, totals, out=np.zeros(matrix.shape, dtype=float), where=totals > 0)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for (i, j), count in np.ndenumerate(matrix):
        ax.text(j, i, f"{count}", ha="center", va="center", color="white" if shares[i, j] > 0.5 else "black")
    ticks = np.arange(len(classes))
    ax.set_xticks(ticks, classes, rotation=45 if len(classes) > 4 else 0)
    ax.set_yticks(ticks, classes)
    ax.set(title=f"Confusion matrix ({split})", xlabel="predicted", ylabel="actual")
    return fig


def regression_figure(points: pd.DataFrame, split: str = "test") -> Figure:
    fig, ax = _figure(f"Predicted vs actual ({split})", "actual", "predicted")
    ax.scatter(points["actual"], points["predicted"], s=6, alpha=0.5, color="C0")
    low, high = points[["actual", "predicted"]].min().min(), points[["actual", "predicted"]].max().max()
    ax.plot([low, high], [low, high], ":", color="grey", label="perfect")
    ax.legend(loc="upper left")
    return fig


def save_figures(figures: dict[str, Figure], folder: Path) -> list[str]:
    """Write ``<name>.png`` for each figure into ``folder`` (which must exist); return the file names."""
    names = []
    for name, fig in figures.items():
        fig.savefig(folder / f"{name}.png", format="png", metadata={"Software": None})
        names.append(f"{name}.png")
    return names
