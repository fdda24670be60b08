"""``fit``/``predict_proba`` adapter over a Keras model builder."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

import numpy as np

from textclf.config import TrainingConfig
from textclf.errors import ConfigError
from textclf.models.adapter import ModelAdapter, balanced_class_weight
from textclf.models.batches import as_rows, keras_dataset, n_batches
from textclf.models.outputs import keras_output
from textclf.models.problem import Problem
from textclf.models.registry import check_inputs
from textclf.runtime import import_keras

log = logging.getLogger(__name__)


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and TensorFlow and make TF ops deterministic."""
    import tensorflow as tf

    import_keras().utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


class KerasModel(ModelAdapter):
    """Builds, compiles and fits ``builder(n_features, ...)`` with the training settings.

    Args:
        name: registered model name (for error messages).
        builder: ``build_<name>`` function.
        hyperparameters: the model section's keys except ``name``.
        training: fitting settings (optimiser, loss, callbacks, class weights).
        problem: binary, multiclass or regression.
        run_name: sub-folder of ``training.tensorboard`` for this fit's logs.
    """

    def __init__(
        self,
        name: str,
        builder,
        hyperparameters: dict,
        training: TrainingConfig,
        problem: Problem,
        run_name: str = "run",
    ):
        super().__init__(name, training, problem)
        self.builder = builder
        self.hyperparameters = hyperparameters
        self.run_name = run_name
        self.model_ = None
        self._checkpoint_dir = None

    def _compile(self, n_features: int):
        import keras

        n_outputs, activation, loss = self.problem.head()
        model = self.builder(n_features, n_outputs, activation, **self.hyperparameters)
        try:
            optimizer = keras.optimizers.get(self.training.optimizer)
        except ValueError:
            raise ConfigError(
                f"training.optimizer is not a Keras optimizer (e.g. rmsprop, adam, sgd). "
                f"Received: training.optimizer={self.training.optimizer!r}"
            ) from None
        if self.training.learning_rate is not None:
            optimizer.learning_rate = self.training.learning_rate
        if self.training.loss is not None:
            try:
                keras.losses.get(self.training.loss)
            except ValueError:
                raise ConfigError(
                    f"training.loss is not a Keras loss (e.g. mse, mae, binary_crossentropy). "
                    f"Received: training.loss={self.training.loss!r}"
                ) from None
            loss = self.training.loss
        metrics = ["accuracy"] if self.problem.is_classification else ["mae"]
        model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
        return model

    def _callbacks(self, has_validation: bool) -> list:
        """Callbacks switched on in the training config (none by default)."""
        import keras

        t = self.training
        callbacks = []
        for key, cfg in (
            ("early_stopping", t.early_stopping),
            ("reduce_lr", t.reduce_lr),
            ("checkpoint", t.checkpoint),
        ):
            on = cfg.enabled if key == "checkpoint" else cfg.patience is not None
            if on and not has_validation and cfg.monitor.startswith("val_"):
                raise ConfigError(
                    f"training.{key} monitors {cfg.monitor} but this fit has no validation rows: "
                    f"set training.{key}.monitor=loss or use a validation split."
                )
        if t.early_stopping.patience is not None:
            es = t.early_stopping
            callbacks.append(
                keras.callbacks.EarlyStopping(
                    monitor=es.monitor,
                    patience=es.patience,
                    min_delta=es.min_delta,
                    restore_best_weights=es.restore_best_weights,
                )
            )
        if t.reduce_lr.patience is not None:
            rl = t.reduce_lr
            callbacks.append(
                keras.callbacks.ReduceLROnPlateau(
                    monitor=rl.monitor, patience=rl.patience, factor=rl.factor, min_lr=rl.min_lr
                )
            )
        if t.checkpoint.enabled:
            self._checkpoint_dir = Path(tempfile.mkdtemp(prefix="textclf-ckpt-"))
            callbacks.append(
                keras.callbacks.ModelCheckpoint(
                    str(self._checkpoint_dir / "checkpoint.keras"), monitor=t.checkpoint.monitor, save_best_only=True
                )
            )
        if t.tensorboard:
            callbacks.append(keras.callbacks.TensorBoard(log_dir=str(Path(t.tensorboard) / self.run_name)))
        return callbacks

    def fit(self, X, y, X_val=None, y_val=None, n_features: int | None = None, callbacks=()) -> dict[str, list[float]]:
        """Fit; return the per-epoch history (``loss``, ``accuracy`` or ``mae``, ``val_*``).

        Args:
            n_features: model input size (vocabulary size for id sequences); default ``X.shape[1]``.
            callbacks: extra Keras callbacks from the caller (a live logger, console progress).
                Keras prints nothing itself: progress is the caller's (:mod:`textclf.train.progress`).
        """
        check_inputs(self.name, X)
        y = self.problem.check_targets(y, "y_train")
        has_validation = X_val is not None and X_val.shape[0] > 0
        validation = (X_val, self.problem.check_targets(y_val, "y_val")) if has_validation else None
        class_weight = balanced_class_weight(y) if self.training.class_weight == "balanced" else None
        seed_everything(self.training.seed)
        self.model_ = self._compile(n_features or X.shape[1])
        t = self.training
        if t.stream:  # batches read from disk while the previous one trains (textclf.models.batches)
            data = {
                "x": keras_dataset(as_rows(X), y, t.batch_size, t.seed, t.epochs),
                "steps_per_epoch": n_batches(X.shape[0], t.batch_size),
                "shuffle": False,
            }
            if validation is not None:
                validation = keras_dataset(as_rows(X_val), validation[1], t.batch_size, seed=None)
        else:
            data = {"x": X, "y": y, "batch_size": t.batch_size, "shuffle": True}
        history = self.model_.fit(
            **data,
            epochs=t.epochs,
            validation_data=validation,
            verbose=0,
            class_weight=class_weight,
            callbacks=self._callbacks(has_validation) + list(callbacks),
        )
        return {k: [float(v) for v in values] for k, values in history.history.items()}

    def outputs(self, X) -> np.ndarray:
        return keras_output(self.model_, X, self.n_classes, self.training.batch_size)

    def describe(self, folder: Path) -> dict:
        """The fitted model's layer table; draws ``folder/diagram.png`` where graphviz is installed."""
        from textclf.models.describe import NO_GRAPHVIZ, draw_keras, keras_architecture

        diagram = draw_keras(self.model_, folder)
        return {
            "framework": "keras",
            "name": self.name,
            **keras_architecture(self.model_),
            **({"diagram": diagram} if diagram else {"diagram_note": NO_GRAPHVIZ}),
        }

    def save(self, folder: Path) -> None:
        """``model.keras`` (final, or best weights if restored) and ``checkpoint.keras`` (best epoch) if enabled."""
        from textclf.io import atomic_path

        with atomic_path(folder / "model.keras") as tmp:
            self.model_.save(tmp)
            make_archive_reproducible(tmp)
        if self._checkpoint_dir is not None:
            best = self._checkpoint_dir / "checkpoint.keras"
            if best.exists():
                with atomic_path(folder / "checkpoint.keras") as tmp:
                    shutil.copyfile(best, tmp)
            shutil.rmtree(self._checkpoint_dir, ignore_errors=True)
            self._checkpoint_dir = None


def make_archive_reproducible(path: Path) -> None:
    """Make a ``.keras`` file's bytes depend on the model only, so ``models/`` in dvc.lock changes
    only when the model does: no save date, fixed zip timestamps, and Keras' ``shared_object_id``
    values (memory addresses) renumbered 0, 1, ... in order of appearance."""
    import json
    import re

    from textclf.io import rewrite_zip

    ids: dict[bytes, int] = {}

    def transform(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "metadata.json":
            data = json.dumps({k: v for k, v in json.loads(data).items() if k != "date_saved"}).encode()
        elif name == "config.json":
            data = re.sub(
                rb'"shared_object_id": (\d+)',
                lambda m: b'"shared_object_id": %d' % ids.setdefault(m[1], len(ids)),
                data,
            )
        return name, data

    rewrite_zip(path, transform)
