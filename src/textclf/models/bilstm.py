"""The Douban tutorial's bidirectional LSTM on padded id sequences."""

from __future__ import annotations

from textclf.models.registry import keras_model


@keras_model("bilstm", inputs="sequence")
def build_bilstm(
    n_features: int,
    n_outputs: int,
    output_activation: str,
    *,
    embedding_dim: int = 256,
    lstm_units: int = 128,
    dropout: float = 0.5,
    mask_padding: bool = False,
):
    """Embedding(vocab, 256) -> Bidirectional(LSTM(128)) -> Dropout(0.5) -> Dense(head).

    Args:
        embedding_dim: embedding width.
        lstm_units: LSTM units per direction.
        dropout: dropout rate before the output layer.
        mask_padding: skip padding ids (0) in the LSTM (the tutorial does not; slower on CPU).
    """
    import keras

    inputs = keras.Input(shape=(None,), dtype="int32", name="ids")
    x = keras.layers.Embedding(n_features, embedding_dim, mask_zero=mask_padding)(inputs)
    x = keras.layers.Bidirectional(keras.layers.LSTM(lstm_units))(x)
    x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(n_outputs, activation=output_activation)(x)
    return keras.Model(inputs, outputs, name="bilstm")
