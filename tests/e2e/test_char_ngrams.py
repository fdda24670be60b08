"""End to end: word + character n-gram features through `dvc exp run`, a bundle that reproduces evaluate
exactly, and `textclf predict` on new text."""

import json

import pytest

from tests.conftest import run
from tests.e2e.test_bundle import check

pytestmark = pytest.mark.slow


def test_word_plus_char_features_train_bundle_and_predict(tiny_repo):
    run(
        [
            "dvc",
            "exp",
            "run",
            "-S",
            "model=logreg",
            "-S",
            "features=tfidf",
            "-S",
            "features.analyzer=word+char_wb",
            "-S",
            "features.char_ngram_range=[2,4]",
            "-S",
            "features.char_num_words=300",
        ],
        tiny_repo,
    )
    vectorizer = json.loads((tiny_repo / "bundle/fits/holdout/vectorizer.json").read_text())
    assert vectorizer["features"]["analyzer"] == "word+char_wb"
    word, chars = vectorizer["state"]["parts"]
    assert len(chars["vocabulary"]) == 300 and all(2 <= len(g) <= 4 for g in chars["vocabulary"])
    result = check(tiny_repo)
    assert result["metrics_equal"], result["differing_metrics"]
    assert result["max_abs_output_diff"] == 0.0
    cli = run(["textclf", "predict", "A wonderful, moving film.", "--format", "jsonl"], tiny_repo)
    assert json.loads(cli.stdout)["label"] in ("neg", "pos")
