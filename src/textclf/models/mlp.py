"""The IMDB tutorial's multi-layer perceptron on multi-hot vectors, generalised."""

from __future__ import annotations

from textclf.models.registry import keras_model


@keras_model("mlp", inputs="vectors")
def build_mlp(
    n_features: int,
    n_outputs: int,
    output_activation: str,
    *,
    units: list[int] = (16, 16),
    activation: str = "relu",
    dropout: float = 0.0,
    l1: float = 0.0,
    l2: float = 0.0,
):
    """Dense layers of ``units`` then the output layer (tutorial: 16-16-1, relu, sigmoid).

    Args:
        units: width of each hidden layer, e.g. ``[16, 16]``; ``[]`` gives a linear model.
        activation: hidden activation, e.g. ``relu`` or ``tanh``.
        dropout: dropout rate after each hidden layer (0 disables).
        l1: L1 weight penalty of hidden layers.
        l2: L2 weight penalty of hidden layers.

    The tutorial's experiments are ``units=[32]`` or ``[64, 64, 64]``, ``activation=tanh`` and
    ``training.loss=mse``. Inputs are sparse rows (multihot, count, freq, tfidf or hashing).
    """
    import keras

    regularizer = keras.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
    inputs = keras.Input(shape=(n_features,), sparse=True, name="features")
    x = inputs
    for width in units:
        x = keras.layers.Dense(width, activation=activation, kernel_regularizer=regularizer)(x)
        if dropout:
            x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(n_outputs, activation=output_activation)(x)
    return keras.Model(inputs, outputs, name="mlp")
