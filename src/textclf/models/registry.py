"""Model registry. Each builder is tagged with its framework, the input it needs and the problems it solves.

The trainer wraps ``keras`` builders in :class:`~textclf.models.keras_adapter.KerasModel` and
``sklearn`` builders in :class:`~textclf.models.sklearn_adapter.SklearnModel`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp

from textclf.errors import ConfigError
from textclf.models.problem import PROBLEMS, Problem
from textclf.registry import Registry


@dataclass(frozen=True)
class ModelSpec:
    """``framework``: how the trainer wraps the builder; ``inputs``: the features it reads (a key of
    :data:`INPUT_FEATURES`); ``problems``: the kinds of :data:`~textclf.models.problem.PROBLEMS` it solves;
    ``streams``: it can train from batches (``training.stream``): Keras models, ``partial_fit`` estimators."""

    framework: Literal["keras", "sklearn"]
    inputs: str
    problems: tuple[str, ...]
    streams: bool = False


MODELS: Registry[ModelSpec] = Registry("model")

# Input kinds: "vectors" = one row per document (sparse or dense floats: multihot, count, freq, tfidf,
# hashing); "sequence" = int id sequences (features=sequence); "any" = ignores the features.
INPUT_FEATURES = {"vectors": "multihot, count, freq, tfidf or hashing", "sequence": "sequence", "any": "any"}


def _tag(
    name: str, framework: str, inputs: str, problems: tuple[str, ...], streams: bool
) -> Callable[[Callable], Callable]:
    if inputs not in INPUT_FEATURES or not set(problems) <= set(PROBLEMS):
        raise ValueError(f"model '{name}': bad inputs={inputs!r} or problems={problems!r}")
    return MODELS.register(name, ModelSpec(framework, inputs, tuple(problems), streams))


def keras_model(name: str, *, inputs: str = "vectors", problems: tuple[str, ...] = PROBLEMS):
    """Register ``build_<name>(n_features, n_outputs, output_activation, *, **hp) -> keras.Model``."""
    return _tag(name, "keras", inputs, problems, streams=True)


def sklearn_model(
    name: str, *, inputs: str = "vectors", problems: tuple[str, ...] = PROBLEMS[:2], incremental: bool = False
):
    """Register ``build_<name>(problem, seed, *, **hp)`` returning a scikit-learn estimator.

    ``incremental``: the estimator has ``partial_fit``; it is trained batch by batch for
    ``training.epochs`` epochs (:mod:`textclf.models.batches`), from memory or streamed from disk.
    """
    return _tag(name, "sklearn", inputs, problems, streams=incremental)


def check_stream(name: str, stream: bool) -> None:
    """Raise a :class:`ConfigError` if ``training.stream`` is on and model ``name`` needs whole matrices."""
    if stream and not MODELS.spec(name).streams:
        able = [m for m in MODELS.names() if MODELS.spec(m).streams]
        raise ConfigError(
            f"model '{name}' fits on the whole matrix in memory, so it cannot train with training.stream=true. "
            f"Models that train from batches: {', '.join(able)} (e.g. -S model=sgd), or set training.stream=false."
        )


def check_problem(name: str, problem: Problem) -> None:
    """Raise a :class:`ConfigError` if model ``name`` cannot solve ``problem``."""
    spec = MODELS.spec(name)
    if problem.kind not in spec.problems:
        able = [m for m in MODELS.names() if problem.kind in MODELS.spec(m).problems]
        raise ConfigError(
            f"model '{name}' does not support {problem.kind} problems (data/prepared/classes.json: "
            f"{f'{problem.n_classes} classes' if problem.n_classes else '[] = regression'}); "
            f"it supports {', '.join(spec.problems)}. "
            f"Models for {problem.kind}: {', '.join(able)}."
        )


def input_kind(X) -> str:
    """``sequence`` for integer id arrays, ``vectors`` for sparse or float matrices (in memory or on disk)."""
    from textclf.io import MatrixRows

    if isinstance(X, MatrixRows):
        sparse, dtype = X.sparse, X.dtype
    else:
        sparse = sp.issparse(X)
        dtype = None if sparse else np.asarray(X).dtype
    return "sequence" if not sparse and np.issubdtype(dtype, np.integer) else "vectors"


def check_inputs(name: str, X) -> None:
    """Raise a :class:`ConfigError` if the features in ``X`` are not the kind model ``name`` needs."""
    needed = MODELS.spec(name).inputs
    got = input_kind(X)
    if needed != "any" and got != needed:
        described = "integer id sequences" if got == "sequence" else "one vector per document"
        raise ConfigError(
            f"model '{name}' needs features={INPUT_FEATURES[needed]}, but data/features holds {described}. "
            f"Choose e.g. `-S features={INPUT_FEATURES[needed].split(',')[0]}` (or another model)."
        )


def check_features(model_section, features_section) -> None:
    """Raise a :class:`ConfigError` if the model cannot read what the features config produces.

    Needs only the two config sections, so a caller can check before featurizing anything.
    """
    from textclf.features import VECTORIZERS

    name, features = model_section["name"], features_section["name"]
    if name == "nbsvm" and features_section.get("nb_weight"):
        raise ConfigError(
            "model 'nbsvm' weights its features by naive-Bayes ratios itself and needs non-negative ones, "
            "but features.nb_weight=true gives NB-weighted (signed) columns. Set features.nb_weight=false, "
            "or use model=logreg on them (that is NB-LR)."
        )
    needed = MODELS.spec(name).inputs
    produced = VECTORIZERS.spec(features).output
    if needed != "any" and produced != needed:
        raise ConfigError(
            f"model '{name}' needs features={INPUT_FEATURES[needed]}, but features={features} gives "
            f"{'integer id sequences' if produced == 'sequence' else 'one vector per document'}. "
            f"Choose e.g. `-S features={INPUT_FEATURES[needed].split(',')[0]}` (or another model)."
        )
