"""scripts/bench_tutorial.py and scripts/tutorial_imdb.py: stage timing, medians and ratios, the table, the tutorial's tokeniser."""

import numpy as np
import pytest

from tests.conftest import ROOT, load_script

bench = load_script("bench_tutorial")
tutorial = load_script("tutorial_imdb")
douban = load_script("tutorial_douban")


def test_stage_seconds_run_from_one_running_stage_line_to_the_next():
    lines = [
        (0.5, "Verifying data sources"),
        (1.0, "Running stage 'prepare':"),
        (2.0, "> python -m x"),
        (4.5, "Running stage 'train':"),
        (9.0, "Updating lock file"),
    ]
    assert bench.stage_seconds(lines, wall=10.0) == {"prepare": 3.5, "train": 5.5}


def runs(label_phases, walls, rss, acc):
    return [
        {"repeat": i, "wall_seconds": w, "peak_rss_mb": rss, "test_accuracy": acc, "phases": label_phases}
        for i, w in enumerate(walls)
    ]


def test_summary_takes_medians_and_the_issues_ratios(tmp_path):
    a = runs(
        {"import": 7.0, "load_tokenise": 5.0, "vectorise": 10.0, "train": 10.0, "evaluate": 2.0},
        [40.0, 50.0, 45.0],
        9000,
        0.88,
    )
    b = runs({"prepare": 8.0, "featurize": 3.0, "train": 3.0, "evaluate": 4.0}, [20.0, 30.0, 25.0], 900, 0.8814)
    s = bench.summary({"tutorial": a, "textclf": b})
    assert s["tutorial"]["wall_seconds"] == 45.0 and s["textclf"]["wall_min_max"] == [20.0, 30.0]
    assert s["ratios"] == {
        "wall": pytest.approx(25 / 45, abs=1e-3),
        "featurize_train_vs_vectorise_train": 0.3,
        "peak_rss": 0.1,
        "accuracy_difference": 0.0014,
    }
    meta = {
        "command": "python scripts/bench_tutorial.py --repeats 3",
        "date": "d",
        "machine": "m",
        "load_average_before": [1.0],
        "load_average_after": [2.0],
    }
    docs = tmp_path / "README.md"
    docs.write_text(f"a\n{bench.BEGIN}\nSTALE\n{bench.END}\nb\n")
    bench.replace_block(docs, bench.table({"meta": meta, "summary": s}), bench.BEGIN, bench.END)
    text = docs.read_text()
    assert "STALE" not in text and text.endswith(f"{bench.END}\nb\n")
    assert "| 45.0 (40.0-50.0) | 25.0 (20.0-30.0) | 0.56 (≤ 0.5) |" in text


def test_tutorial_tokeniser_follows_keras_tokenizer_rules():
    docs = [tutorial.tokenize(t) for t in ["Great film, GREAT cast!", "a film... (bad)"]]
    assert docs == [["great", "film", "great", "cast"], ["a", "film", "bad"]]
    index = tutorial.fit_word_index(docs)
    assert index == {"great": 1, "film": 2, "cast": 3, "a": 4, "bad": 5}  # ties keep first-seen order
    x = tutorial.vectorize_sequences(tutorial.texts_to_sequences(docs, index), dimension=6)
    assert x.dtype == np.float64 and x[0].tolist() == [0, 1, 1, 1, 0, 0]


def test_the_douban_comparison_runs_the_bilstm_preset_on_the_tutorials_100_ids():
    import yaml

    from textclf.compose import compose

    params = yaml.safe_load(compose(ROOT / "conf", bench.DOUBAN_EXPERIMENT))
    assert params["dataset"]["name"] == "chnsenticorp" and params["model"]["name"] == "bilstm"
    assert params["model"]["embedding_dim"] == 256 and params["model"]["lstm_units"] == 128
    assert params["features"]["maxlen"] == douban.MAXLEN == 100
    spec = bench.TUTORIALS["douban"]
    assert [label for label, _ in spec.runs] == ["tutorial", "textclf"]
    assert spec.out.name == "tutorial_douban.json" and "-S features.maxlen=100" in spec.textclf


def test_douban_tutorial_word_index_counts_every_row():
    docs = [["好", "酒店", "好"], ["不", "好"]]
    assert douban.fit_word_index(docs) == {"好": 1, "酒店": 2, "不": 3}
