"""The IMDB tutorial's approach as one plain script (Chollet, Deep Learning with Python, ch. 4), for comparison.

Not textclf: what a user writes by hand, and what ``scripts/bench_tutorial.py`` times against
``dvc repro --force``. Keras ``Tokenizer`` rules (lowercase, drop its default punctuation set, split on
spaces; ids by descending frequency, the ``num_words - 1`` most frequent kept), ``vectorize_sequences``
into a dense float64 multi-hot array, Dense 16 -> 16 -> 1, rmsprop, 4 epochs, batch 512, trained on all
25,000 training reviews and evaluated on the 25,000 test reviews. Prints one JSON line: test accuracy and
the seconds of each phase.
"""

from __future__ import annotations

import json
import time
from collections import Counter

import numpy as np
import pandas as pd

NUM_WORDS = 10000
FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'  # keras.preprocessing.text.Tokenizer's default
TABLE = str.maketrans(FILTERS, " " * len(FILTERS))


def tokenize(text: str) -> list[str]:
    return text.lower().translate(TABLE).split()


def fit_word_index(docs: list[list[str]]) -> dict[str, int]:
    """Ids 1, 2, ... by descending count; ties keep first-seen order (Keras ``Tokenizer.fit_on_texts``)."""
    counts = Counter(word for doc in docs for word in doc)
    return {word: i for i, (word, _) in enumerate(counts.most_common(), start=1)}


def texts_to_sequences(docs: list[list[str]], index: dict[str, int]) -> list[list[int]]:
    return [[index[w] for w in doc if index.get(w, NUM_WORDS) < NUM_WORDS] for doc in docs]


def vectorize_sequences(sequences: list[list[int]], dimension: int = NUM_WORDS) -> np.ndarray:
    results = np.zeros((len(sequences), dimension))  # float64, as in the book
    for i, sequence in enumerate(sequences):
        results[i, sequence] = 1.0
    return results


def main() -> None:
    phases, start = {}, time.perf_counter()
    import keras
    from keras import layers

    phases["import"] = time.perf_counter() - start
    mark = time.perf_counter()
    train = pd.read_csv("external/imdb/train.csv.gz")
    test = pd.read_csv("external/imdb/test.csv.gz")
    train_docs, test_docs = [tokenize(t) for t in train["text"]], [tokenize(t) for t in test["text"]]
    index = fit_word_index(train_docs)
    phases["load_tokenise"] = time.perf_counter() - mark
    mark = time.perf_counter()
    x_train = vectorize_sequences(texts_to_sequences(train_docs, index))
    x_test = vectorize_sequences(texts_to_sequences(test_docs, index))
    y_train, y_test = (train["label"] == "pos").to_numpy("float32"), (test["label"] == "pos").to_numpy("float32")
    phases["vectorise"] = time.perf_counter() - mark
    mark = time.perf_counter()
    keras.utils.set_random_seed(42)
    model = keras.Sequential(
        [
            layers.Dense(16, activation="relu"),
            layers.Dense(16, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=4, batch_size=512, verbose=0)
    phases["train"] = time.perf_counter() - mark
    mark = time.perf_counter()
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    phases["evaluate"] = time.perf_counter() - mark
    print(
        json.dumps({"test_accuracy": round(float(accuracy), 4), "phases": {k: round(v, 2) for k, v in phases.items()}})
    )


if __name__ == "__main__":
    main()
