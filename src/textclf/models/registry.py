"""Model registry. Keras builders are tagged so the trainer wraps them in :class:`KerasEstimator`."""

from __future__ import annotations

from collections.abc import Callable

from textclf.registry import Registry

MODELS = Registry("model")


def keras_model(name: str) -> Callable[[Callable], Callable]:
    """Register ``build_<name>(n_features, n_outputs, output_activation, *, **hp) -> keras.Model``."""

    def decorator(builder: Callable) -> Callable:
        builder.framework = "keras"
        return MODELS.register(name)(builder)

    return decorator


def sklearn_model(name: str) -> Callable[[Callable], Callable]:
    """Register ``build_<name>(*, seed, **hp)`` returning a scikit-learn classifier."""

    def decorator(builder: Callable) -> Callable:
        builder.framework = "sklearn"
        return MODELS.register(name)(builder)

    return decorator
