"""scripts/bench_models.py: the markdown table is rendered between markers, from the records."""

from tests.conftest import load_script

bench = load_script("bench_models")


def record(name, acc):
    return {
        "name": name,
        "test_accuracy": acc,
        "val_accuracy": acc,
        "epochs_run": 1,
        "train_seconds": 1.0,
        "featurize_seconds": 2.0,
        "peak_rss_mb": 100,
    }


def test_table_is_sorted_best_first_and_replaces_only_the_marked_block(tmp_path):
    docs = tmp_path / "models.md"
    docs.write_text(f"intro\n{bench.BEGIN}\nold\n{bench.END}\noutro\n")
    meta = {"command": "python scripts/bench_models.py --models mlp nbsvm", "date": "d", "machine": "m"}
    bench.render([record("mlp", 0.88), record("nbsvm", 0.91)], meta, docs)
    text = docs.read_text()
    assert text.startswith("intro\n") and text.endswith("outro\n") and "old" not in text
    assert text.index("| nbsvm |") < text.index("| mlp |")
    assert "0.9100" in text and meta["command"] in text


def test_every_default_benchmark_is_defined():
    assert set(bench.DEFAULT) <= set(bench.BENCHMARKS)
