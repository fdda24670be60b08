"""fastText-style bag of embeddings (Joulin et al. 2016; the keras examples' IMDB fastText).

Pair with ``features=sequence features.ngram_range=[1,2]`` so bigram ids are averaged too.
"""

from __future__ import annotations

from textclf.models.registry import keras_model


@keras_model("fasttext", inputs="sequence")
def build_fasttext(
    n_features: int,
    n_outputs: int,
    output_activation: str,
    *,
    embedding_dim: int = 50,
    mask_padding: bool = True,
    dropout: float = 0.0,
):
    """Embedding -> GlobalAveragePooling1D -> Dense(head): the average of unigram and n-gram vectors.

    Args:
        embedding_dim: embedding width (the example uses 50).
        mask_padding: average over real ids only, not the padding zeros.
        dropout: dropout rate on the averaged vector.
    """
    import keras

    inputs = keras.Input(shape=(None,), dtype="int32", name="ids")
    x = keras.layers.Embedding(n_features, embedding_dim, mask_zero=mask_padding)(inputs)
    x = keras.layers.GlobalAveragePooling1D()(x)
    if dropout:
        x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(n_outputs, activation=output_activation)(x)
    return keras.Model(inputs, outputs, name="fasttext")
