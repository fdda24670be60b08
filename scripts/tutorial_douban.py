"""The Douban BiLSTM tutorial's approach as one plain script, on ChnSentiCorp hotel reviews, for comparison.

Not textclf: what a user writes by hand, and what ``scripts/bench_tutorial.py --tutorial douban`` times
against textclf's run of the same model (``experiment=chnsenticorp_bilstm``). The tutorial's steps: reviews
cut into words with jieba (its data came cut), a Keras ``Tokenizer`` fitted on *all* rows (test rows
included, as the tutorial does; default ASCII filters, every word kept), ``pad_sequences`` to 100 ids
(padding and truncating at the front, Keras' default), Embedding(vocab, 256) -> Bidirectional(LSTM(128))
-> Dropout(0.5) -> Dense(1, sigmoid), adam, ``EPOCHS`` epochs of batch ``BATCH`` on the training rows.
The test rows are textclf's: the same stratified 20% (seed 42) of the rows with a review. Prints one
JSON line: test accuracy, per-class precision/recall and the seconds of each phase.
"""

from __future__ import annotations

import json
import logging
import time
import warnings
from collections import Counter

import numpy as np
import pandas as pd

FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'  # keras.preprocessing.text.Tokenizer's default
TABLE = str.maketrans(FILTERS, " " * len(FILTERS))
MAXLEN, EPOCHS, BATCH = 100, 3, 64


def fit_word_index(docs: list[list[str]]) -> dict[str, int]:
    """Ids 1, 2, ... by descending count; ties keep first-seen order (Keras ``Tokenizer.fit_on_texts``)."""
    counts = Counter(word for doc in docs for word in doc)
    return {word: i for i, (word, _) in enumerate(counts.most_common(), start=1)}


def main() -> None:
    phases, start = {}, time.perf_counter()
    import keras
    from keras import layers

    with warnings.catch_warnings():  # jieba imports pkg_resources, which warns
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)
    from sklearn.model_selection import train_test_split

    phases["import"] = time.perf_counter() - start
    mark = time.perf_counter()
    frame = pd.read_csv("external/chnsenticorp/htl_all.csv.gz").dropna(subset=["review"]).reset_index(drop=True)
    docs = [[w for w in jieba.lcut(text.lower()) if w.strip()] for text in frame["review"]]
    docs = [" ".join(doc).translate(TABLE).split() for doc in docs]
    index = fit_word_index(docs)  # all rows, test included (the tutorial's leak)
    phases["load_tokenise"] = time.perf_counter() - mark
    mark = time.perf_counter()
    x = keras.utils.pad_sequences([[index[w] for w in doc] for doc in docs], maxlen=MAXLEN)
    y = frame["label"].to_numpy("float32")
    train_rows, test_rows = train_test_split(range(len(frame)), test_size=0.2, random_state=42, stratify=y)
    train_rows, test_rows = sorted(train_rows), sorted(test_rows)
    phases["vectorise"] = time.perf_counter() - mark
    mark = time.perf_counter()
    keras.utils.set_random_seed(42)
    model = keras.Sequential(
        [
            layers.Embedding(len(index) + 1, 256),
            layers.Bidirectional(layers.LSTM(128)),
            layers.Dropout(0.5),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x[train_rows], y[train_rows], epochs=EPOCHS, batch_size=BATCH, verbose=0)
    phases["train"] = time.perf_counter() - mark
    mark = time.perf_counter()
    predicted = (model.predict(x[test_rows], batch_size=512, verbose=0).ravel() > 0.5).astype("float32")
    truth = y[test_rows]
    phases["evaluate"] = time.perf_counter() - mark
    per_class = {
        name: {
            "precision": round(float(np.mean(truth[predicted == c] == c)), 4),
            "recall": round(float(np.mean(predicted[truth == c] == c)), 4),
        }
        for c, name in ((0.0, "negative"), (1.0, "positive"))
    }
    print(
        json.dumps(
            {
                "test_accuracy": round(float(np.mean(predicted == truth)), 4),
                "per_class": per_class,
                "phases": {k: round(v, 2) for k, v in phases.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
