"""Per-fit featurisation: the vectoriser is fitted on the fit's training rows only (no leakage)."""

import json

import numpy as np
import pandas as pd

from textclf.config import TrainingConfig
from textclf.data.splits import assign_folds, folds_to_fits
from textclf.features.fit import featurize_fit, load_fit

MULTIHOT = {"name": "multihot", "num_words": None, "ngram_range": [1, 1]}
TFIDF = {"name": "tfidf", "num_words": None, "ngram_range": [1, 1]}


def corpus(n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    words = "good bad film plot actor scene story fun dull".split()
    return pd.DataFrame({"text": [" ".join(rng.choice(words, 6)) for _ in range(n)], "label": np.arange(n) % 2})


def test_a_token_only_in_one_folds_validation_rows_is_out_of_vocabulary_for_that_fold(tmp_path):
    train, test = corpus(), corpus(10)
    folds = assign_folds(train["label"].to_numpy(), TrainingConfig(name="kfold", k=3, seed=0))
    fits = folds_to_fits(folds, refit=True)
    leaky_rows = fits[1].val[:2]  # only fold_1 validates these rows
    train.loc[leaky_rows, "text"] += " zzleak"
    for section in (MULTIHOT, TFIDF):
        out = tmp_path / section["name"]
        for fit in fits:
            featurize_fit(fit, train, test, section, out / fit.name)
        vocab = {fit.name: json.loads((out / fit.name / "vocab.json").read_text()) for fit in fits}
        assert "zzleak" not in vocab["fold_1"]
        assert "zzleak" in vocab["fold_0"] and "zzleak" in vocab["fold_2"] and "zzleak" in vocab["full"]
        # Its validation rows still get vectors, just without a column for the unseen token.
        data = load_fit(out / "fold_1")
        assert data["X_val"].shape == (len(fits[1].val), len(vocab["fold_1"]))
        assert data["rows_val"].tolist() == fits[1].val.tolist()


def test_idf_weights_come_from_the_training_part_only(tmp_path):
    train, test = corpus(), corpus(10)
    fit = folds_to_fits(assign_folds(train["label"].to_numpy(), TrainingConfig(name="kfold", k=3, seed=0)))[0]
    featurize_fit(fit, train, test, TFIDF, tmp_path / "fold_0")
    from textclf.features import VECTORIZERS
    from textclf.features.persist import load_vectorizer

    fitted = load_vectorizer(tmp_path / "fold_0" / "vectorizer.json")
    alone = VECTORIZERS.build(TFIDF).fit(train["text"].to_numpy()[fit.train])
    assert np.allclose(fitted.idf_, alone.idf_)


def test_the_full_fit_has_no_validation_rows(tmp_path):
    train, test = corpus(), corpus(10)
    full = folds_to_fits(assign_folds(train["label"].to_numpy(), TrainingConfig(name="kfold", k=3)), refit=True)[-1]
    featurize_fit(full, train, test, MULTIHOT, tmp_path / "full")
    data = load_fit(tmp_path / "full")
    assert data["X_train"].shape[0] == 60 and data["X_val"].shape[0] == 0 and data["X_test"].shape[0] == 10
