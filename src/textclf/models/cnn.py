"""A 1-D convolutional text classifier on padded id sequences (keras-io ``text_classification_from_scratch``)."""

from __future__ import annotations

from textclf.models.registry import keras_model


@keras_model("cnn", inputs="sequence")
def build_cnn(
    n_features: int,
    n_outputs: int,
    output_activation: str,
    *,
    embedding_dim: int = 128,
    filters: int = 128,
    kernel_size: int = 5,
    hidden_units: int = 64,
    dropout: float = 0.5,
):
    """Embedding -> Dropout -> Conv1D(relu) -> GlobalMaxPooling1D -> Dense(relu) -> Dropout -> Dense(head).

    Args:
        embedding_dim: embedding width.
        filters: number of convolution filters.
        kernel_size: n-gram width each filter sees.
        hidden_units: width of the dense layer after pooling (0 skips it).
        dropout: dropout rate after the embedding and the dense layer.
    """
    import keras

    inputs = keras.Input(shape=(None,), dtype="int32", name="ids")
    x = keras.layers.Embedding(n_features, embedding_dim)(inputs)
    x = keras.layers.Dropout(dropout)(x)
    x = keras.layers.Conv1D(filters, kernel_size, padding="valid", activation="relu")(x)
    x = keras.layers.GlobalMaxPooling1D()(x)
    if hidden_units:
        x = keras.layers.Dense(hidden_units, activation="relu")(x)
        x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(n_outputs, activation=output_activation)(x)
    return keras.Model(inputs, outputs, name="cnn")
