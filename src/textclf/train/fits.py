"""Train every fit of a validation scheme, sequentially or in worker processes, then refit.

Each fit seeds itself (``training.seed``) and reads only its own ``data/features/<fit>/``, so
the order and the process a fit runs in do not change its result: ``runtime.n_jobs > 1`` gives
the same models and predictions as ``n_jobs = 1`` (tested on tiny data).
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from textclf.config import TrainingConfig
from textclf.data.splits import FULL
from textclf.features.fit import load_fit
from textclf.io import write_json
from textclf.models import MODELS
from textclf.runtime import Runtime, import_keras, limit_tensorflow_threads, resolve_n_jobs, threads_per_worker
from textclf.train.estimator import fit_and_predict, make_estimator
from textclf.train.progress import Progress, Sink, keras_callback, reporting

log = logging.getLogger(__name__)


def train_fit(
    name: str,
    features: Path,
    models: Path,
    model_section: dict[str, Any],
    training: TrainingConfig,
    n_classes: int,
    threads: int | None = None,
    live=None,
    prefix: str | None = None,
    progress: Sink | None = None,
    describe_to: Path | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit one model on ``features/<name>``, save it to ``models/<name>``; return history and predictions.

    ``threads`` caps TensorFlow in this process; ``live`` (a DVCLive ``Live``, same process only)
    gets every epoch, named with ``prefix``; ``progress`` gets Keras' epochs for the console. With
    ``describe_to``, the fitted model's ``architecture.json`` (and ``diagram.png``) are written there.
    """
    callbacks = []
    if MODELS.spec(model_section["name"]).framework == "keras":
        limit_tensorflow_threads(threads)
        import_keras().backend.clear_session()  # each fit starts from an empty graph, in any process
        if live is not None:
            from textclf.train.live import live_callback

            callbacks.append(live_callback(live, prefix))
        if progress is not None:
            callbacks.append(keras_callback(progress, name))
    estimator = make_estimator(model_section, training, n_classes, run_name=name)
    # training.stream: the matrices stay on disk (uncompressed copies in a scratch folder, $TMPDIR)
    with tempfile.TemporaryDirectory(prefix="textclf-rows-") if training.stream else nullcontext() as scratch:
        data = load_fit(features / name, stream_to=Path(scratch) if scratch else None)
        history, predictions, _ = fit_and_predict(estimator, data, name, callbacks)
    (models / name).mkdir(parents=True, exist_ok=True)
    estimator.save(models / name)
    if describe_to is not None:
        write_json({"fit": name, **estimator.describe(describe_to)}, describe_to / "architecture.json")
    return history, predictions


def train_fits(
    names: list[str],
    features: Path,
    models: Path,
    model_section: dict[str, Any],
    training: TrainingConfig,
    n_classes: int,
    runtime: Runtime = Runtime(n_jobs=1),
    live=None,
    prefixes: dict[str, str | None] | None = None,
    progress: Progress | None = None,
    describe: tuple[str, Path] | None = None,
) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """Train ``names`` in ``runtime.n_jobs`` processes (joblib/loky); results in ``names`` order.

    Worker processes cannot share ``live``: their histories are logged to it after they finish.
    Their console progress reaches ``progress`` through a queue. ``describe`` = (fit, folder):
    that fit writes its architecture there.
    """
    prefixes = prefixes or {}
    progress = progress or Progress()
    fit_to_describe, folder = describe or (None, None)
    n_jobs = max(1, min(resolve_n_jobs(runtime.n_jobs), len(names)))
    threads = threads_per_worker(runtime, n_jobs)
    if n_jobs == 1:
        with reporting(progress, workers=False) as sink:
            return [
                train_fit(
                    name,
                    features,
                    models,
                    model_section,
                    training,
                    n_classes,
                    threads,
                    live=live,
                    prefix=prefixes.get(name),
                    progress=sink,
                    describe_to=folder if name == fit_to_describe else None,
                )
                for name in names
            ]
    from joblib import Parallel, delayed

    log.info("training %d fits in %d worker processes", len(names), n_jobs)
    with reporting(progress, workers=True) as sink:
        results = Parallel(n_jobs=n_jobs, backend="loky")(
            delayed(train_fit)(
                name,
                features,
                models,
                model_section,
                training,
                n_classes,
                threads,
                progress=sink,
                describe_to=folder if name == fit_to_describe else None,
            )
            for name in names
        )
    if live is not None:
        from textclf.train.live import log_history

        for name, (history, _) in zip(names, results, strict=True):
            log_history(live, history, prefixes.get(name))
    return results


def early_stopping_on(training: TrainingConfig) -> bool:
    """Whether the training config asks for early stopping (``training.early_stopping.patience`` set)."""
    return training.early_stopping.patience is not None


def best_epochs(history: pd.DataFrame, monitor: str = "val_loss") -> dict[str, int]:
    """Per fit, the 1-based epoch with the lowest ``monitor`` (the epoch early stopping keeps)."""
    return {
        fold: int(frame["epoch"].to_numpy()[np.argmin(frame[monitor].to_numpy())])
        for fold, frame in history.groupby("fold", sort=False)
        if monitor in frame and frame[monitor].notna().any()
    }


def refit_epochs(history: pd.DataFrame, training: TrainingConfig) -> int:
    """Epochs of the ``full`` fit: mean best epoch across folds with early stopping, else ``training.epochs``."""
    if not early_stopping_on(training):
        return training.epochs
    best = best_epochs(history)
    if not best:
        return training.epochs
    return max(1, int(round(float(np.mean(list(best.values()))))))


def refit_config(training: TrainingConfig, epochs: int) -> TrainingConfig:
    """``training`` with ``epochs`` fixed and early stopping off (the full fit has no validation rows)."""
    return dataclasses.replace(
        training, epochs=epochs, early_stopping=dataclasses.replace(training.early_stopping, patience=None)
    )


def train_all(
    fits: list[str],
    features: Path,
    models: Path,
    model_section: dict[str, Any],
    training: TrainingConfig,
    n_classes: int,
    runtime: Runtime = Runtime(n_jobs=1),
    live=None,
    describe_to: Path | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validation fits (in parallel if asked), then ``full`` with the epochs they chose.

    Returns the concatenated history (column ``fold``) and predictions of every fit. With
    ``describe_to``, the final model (``full``, else the first fit) writes its architecture there.
    """
    cv = [name for name in fits if name != FULL]
    prefixes = {name: (name if len(fits) > 1 else None) for name in fits}
    progress = Progress()
    describe = ((FULL if FULL in fits else fits[0]), describe_to) if describe_to is not None else None
    results = train_fits(
        cv, features, models, model_section, training, n_classes, runtime, live, prefixes, progress, describe
    )
    history = pd.concat([h for h, _ in results], ignore_index=True)
    predictions = [p for _, p in results]
    if FULL in fits:
        epochs = refit_epochs(history, training)
        log.info("refitting on all training rows for %d epoch(s)", epochs)
        with reporting(progress, workers=False) as sink:
            h, p = train_fit(
                FULL,
                features,
                models,
                model_section,
                refit_config(training, epochs),
                n_classes,
                runtime.threads,
                live=live,
                prefix=prefixes[FULL],
                progress=sink,
                describe_to=describe_to if describe else None,
            )
        history = pd.concat([history, h], ignore_index=True)
        predictions.append(p)
    return history, pd.concat([p for p in predictions if len(p)], ignore_index=True)
