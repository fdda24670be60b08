"""io: atomic writes leave no partial output on failure."""

import numpy as np
import pytest
import scipy.sparse as sp

from textclf.io import atomic_path, load_matrix, save_matrix, write_json


def test_failed_write_leaves_old_file_and_no_temp(tmp_path):
    target = tmp_path / "out.json"
    write_json({"a": 1}, target)
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == '{\n  "a": 1\n}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_directory_output_is_replaced_whole(tmp_path):
    target = tmp_path / "folder"
    target.mkdir()
    (target / "stale.txt").write_text("old")
    with atomic_path(target) as tmp:
        tmp.mkdir()
        (tmp / "new.txt").write_text("new")
    assert [p.name for p in target.iterdir()] == ["new.txt"]


def test_sparse_and_dense_matrices_round_trip(tmp_path):
    sparse = sp.random(5, 7, density=0.3, format="csr", dtype=np.float32, random_state=0)
    assert save_matrix(sparse, tmp_path / "X").suffix == ".npz"
    assert (load_matrix(tmp_path / "X") != sparse).nnz == 0
    dense = np.arange(6, dtype=np.int32).reshape(2, 3)
    assert save_matrix(dense, tmp_path / "S").suffix == ".npy"
    assert np.array_equal(load_matrix(tmp_path / "S"), dense)


def test_sparse_files_are_byte_identical_for_equal_matrices(tmp_path):
    import time

    sparse = sp.random(50, 40, density=0.1, format="csr", dtype=np.float32, random_state=1)
    first = save_matrix(sparse, tmp_path / "a").read_bytes()
    time.sleep(2.1)  # zip timestamps have 2-second resolution
    assert save_matrix(sparse.copy(), tmp_path / "b").read_bytes() == first
