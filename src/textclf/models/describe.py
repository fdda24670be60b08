"""What a fitted model looks like, for ``reports/summary.md``: Keras' layer table or a scikit-learn description.

The train stage writes it (``reports/model/architecture.json``) from the model it just fitted, so
the evaluate stage can show it without importing TensorFlow. ``keras.utils.plot_model`` draws a
diagram when pydot and graphviz's ``dot`` are installed; otherwise the summary says how to get one.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np

# Layer settings worth a column, in this order (keys of ``layer.get_config()``).
LAYER_SETTINGS = (
    "units",
    "filters",
    "kernel_size",
    "activation",
    "rate",
    "input_dim",
    "output_dim",
    "mask_zero",
    "sparse",
    "merge_mode",
    "return_sequences",
)
DIAGRAM = "diagram.png"
NO_GRAPHVIZ = "graphviz's `dot` is not installed (e.g. `apt-get install graphviz`); rerun the train stage to draw one"


def _settings(config: dict[str, Any]) -> str:
    shown = []
    for key in LAYER_SETTINGS:
        value = config.get(key)
        if value in (None, False) or (key == "activation" and value == "linear"):
            continue
        shown.append(key if value is True else f"{key}={value}")
    return ", ".join(shown)


def _layer_type(layer) -> str:
    inner = getattr(layer, "forward_layer", None) or getattr(layer, "layer", None)
    return f"{type(layer).__name__}({type(inner).__name__})" if inner is not None else type(layer).__name__


def _layer_settings(layer) -> str:
    config = layer.get_config()
    inner = getattr(layer, "forward_layer", None)
    own = _settings(config)
    return f"{_settings(inner.get_config())}; {own}" if inner is not None else own


def keras_architecture(model) -> dict[str, Any]:
    """The ``model.summary()`` table as data: one row per layer, and the parameter counts."""
    layers = [
        {
            "name": layer.name,
            "type": _layer_type(layer),
            "output_shape": str(tuple(layer.output.shape)),
            "params": int(layer.count_params()),
            "settings": _layer_settings(layer),
        }
        for layer in model.layers
    ]
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    total = int(model.count_params())
    return {"layers": layers, "params": {"total": total, "trainable": trainable, "non_trainable": total - trainable}}


def _learned(estimator, prefix: str = "") -> dict[str, list[int]]:
    """Shapes of the fitted float arrays (``coef_``, ``intercept_``, ...), nested estimators included."""
    out: dict[str, list[int]] = {}
    for name, value in sorted(vars(estimator).items()):
        if not name.endswith("_") or name.startswith("_"):
            continue
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            out[f"{prefix}{name}"] = list(value.shape)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if hasattr(item, "get_params"):
                    out.update(_learned(item, f"{prefix}{name}[{i}]."))
    return out


def sklearn_architecture(estimator) -> dict[str, Any]:
    """A scikit-learn estimator: its repr (changed params only), docstring summary and learned arrays."""
    doc = (type(estimator).__doc__ or "").strip().splitlines()
    learned = _learned(estimator)
    return {
        "estimator": repr(estimator),
        "description": doc[0].strip() if doc else "",
        "learned": learned,
        "params": {"total": int(sum(np.prod(shape) for shape in learned.values()))},
    }


def draw_keras(model, folder: Path) -> str | None:
    """Draw ``folder/diagram.png`` with ``keras.utils.plot_model``; ``None`` if pydot or graphviz is missing."""
    if shutil.which("dot") is None:
        return None
    import keras

    try:
        keras.utils.plot_model(
            model,
            to_file=str(folder / DIAGRAM),
            show_shapes=True,
            show_layer_names=True,
            show_layer_activations=True,
            dpi=72,
        )
    except ImportError:  # pydot missing, or graphviz unusable
        return None
    return DIAGRAM
