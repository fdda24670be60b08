"""runtime.backend=dask: prepare and featurize on a 2-worker local Dask cluster give the local bytes."""

import numpy as np
import pandas as pd
import pytest

from tests.unit.test_stream import dataset, prepare, rows, write
from textclf.data.splits import folds_to_fits
from textclf.features.stream import featurize_fit_streaming
from textclf.runtime import Runtime, engine, load_runtime, ordered_map


def test_dask_outputs_equal_local_outputs(tmp_path):
    pytest.importorskip("dask.distributed")
    (tmp_path / "raw").mkdir()
    write(tmp_path / "raw", "train.data", "csv", rows(400, 1))
    ds = dataset("csv", False, test_size=0.25, dedupe=True)
    local, local_report = prepare(tmp_path, ds, 50, "local", n_jobs=2)
    with engine(Runtime(backend="dask", n_jobs=2)) as executor:
        assert len(executor._client.scheduler_info()["workers"]) == 2
        remote, remote_report = prepare(tmp_path, ds, 50, "remote", n_jobs=2, executor=executor)
        labels = {split: pd.read_parquet(local / f"{split}.parquet")["label"].to_numpy() for split in ("train", "test")}
        section = {
            "name": "tfidf",
            "num_words": 30,
            "ngram_range": [1, 2],
            "min_df": 2,
            "sublinear_tf": True,
            "norm": "l2",
        }
        fold = folds_to_fits(np.array([np.arange(len(labels["train"])) % 4 - 1]))[0]  # holdout: fold 0 validates
        for name, ex in (("local", None), ("remote", executor)):
            featurize_fit_streaming(
                fold,
                tmp_path / name / "train.parquet",
                tmp_path / name / "test.parquet",
                labels,
                section,
                tmp_path / f"features_{name}",
                chunk_rows=40,
                executor=ex,
            )
    assert remote_report == local_report
    for split in ("train", "test"):
        assert (tmp_path / "remote" / f"{split}.parquet").read_bytes() == (
            tmp_path / "local" / f"{split}.parquet"
        ).read_bytes()
    for path in sorted((tmp_path / "features_local").iterdir()):
        assert (tmp_path / "features_remote" / path.name).read_bytes() == path.read_bytes(), path.name


def test_ordered_map_keeps_order_with_a_window():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(3) as pool:
        assert list(ordered_map(pool, lambda x: x * x, iter(range(20)), window=2)) == [x * x for x in range(20)]


def test_backend_is_checked(tmp_path, monkeypatch):
    from textclf.errors import ConfigError

    monkeypatch.setenv("TEXTCLF_BACKEND", "ray")
    with pytest.raises(ConfigError, match="TEXTCLF_BACKEND must be one of local, dask"):
        load_runtime(tmp_path / "absent.yaml")
