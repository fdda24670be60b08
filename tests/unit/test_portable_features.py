"""Feature files are the same on every x86-64 CPU: no vocabulary depends on NumPy's SIMD sort path.

NumPy picks its sort kernels at run time from the CPU's features (AVX-512, AVX2, ...); an unstable
sort then orders ties differently on different machines. ``NPY_DISABLE_CPU_FEATURES=X86_V3`` makes
this machine sort like one without AVX2, so running featurize both ways stands in for two CPUs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

FEATURES = {
    "multihot": {"name": "multihot", "num_words": 3000, "ngram_range": [1, 1]},
    "tfidf": {
        "name": "tfidf",
        "num_words": 3000,
        "ngram_range": [1, 2],
        "sublinear_tf": True,
        "min_df": 1,
        "norm": "l2",
    },
    "tfidf_word_char": {
        "name": "tfidf",
        "num_words": 3000,
        "ngram_range": [1, 1],
        "sublinear_tf": True,
        "min_df": 1,
        "norm": "l2",
        "analyzer": "word+char",
        "char_ngram_range": [2, 4],
        "char_num_words": 500,
    },
    "sequence": {"name": "sequence", "num_words": 3000, "maxlen": 40},
}


def corpus(n_docs: int, seed: int) -> pd.DataFrame:
    """Documents over a 12k-word vocabulary: thousands of words tie at every frequency near the cut."""
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i:05d}" for i in range(12000)])
    text = [" ".join(rng.choice(words, 30)) for _ in range(n_docs)]
    return pd.DataFrame({"text": text, "label": np.arange(n_docs) % 2, "raw_text": text})


def featurize(tmp: Path, out: str, features: dict, env: dict) -> Path:
    cmd = [
        sys.executable,
        "-m",
        "textclf.stages.featurize",
        "--params",
        str(tmp / "params.yaml"),
        "--prepared",
        str(tmp / "prepared"),
        "--folds",
        str(tmp / "folds.csv"),
        "--out",
        str(tmp / out),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    return tmp / out


@pytest.mark.parametrize("kind", sorted(FEATURES))
def test_featurize_bytes_do_not_depend_on_the_cpus_sort_kernels(tmp_path, kind):
    (tmp_path / "prepared").mkdir()
    corpus(2000, seed=0).to_parquet(tmp_path / "prepared/train.parquet", index=False)
    corpus(200, seed=1).to_parquet(tmp_path / "prepared/test.parquet", index=False)
    folds = np.full(2000, -1)
    folds[::5] = 0
    pd.DataFrame({"repeat_0": folds}).to_csv(tmp_path / "folds.csv", index=False)
    params = {"features": FEATURES[kind], "training": {"name": "holdout", "refit": False}}
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")

    native = featurize(tmp_path, "native", FEATURES[kind], {})
    older = featurize(tmp_path, "older_cpu", FEATURES[kind], {"NPY_DISABLE_CPU_FEATURES": "X86_V3"})
    files = sorted(p.relative_to(native) for p in native.rglob("*") if p.is_file())
    assert Path("holdout/vocab.json") in files
    for name in files:
        assert (native / name).read_bytes() == (older / name).read_bytes(), f"{name} differs between CPUs"
