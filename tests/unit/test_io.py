"""io: atomic writes leave no partial output on failure, interruption or a killed process."""

import os
import signal
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp

from tests.conftest import ROOT
from textclf.errors import user_errors
from textclf.io import TMP_DIR, atomic_path, load_matrix, save_matrix, write_json


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


def dead_pid() -> int:
    """The pid of a process that has exited (a SIGKILLed stage, say)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporary_lives_in_a_gitignored_folder_removed_after_use(tmp_path):
    with atomic_path(tmp_path / "models") as tmp:
        assert tmp.parent == tmp_path / TMP_DIR and tmp.name.startswith(f"{os.getpid()}-models.")
        ignored = subprocess.run(["git", "check-ignore", "-q", f"some/dir/{TMP_DIR}/{tmp.name}"], cwd=ROOT)
        assert ignored.returncode == 0, ".textclf-tmp/ must be gitignored at any depth"
        tmp.mkdir()
    assert [p.name for p in tmp_path.iterdir()] == ["models"]


def test_next_write_removes_temporaries_of_dead_processes_only(tmp_path):
    folder = tmp_path / TMP_DIR
    stale = folder / f"{dead_pid()}-models.abc.tmp"
    (stale / "holdout").mkdir(parents=True)
    live = folder / f"{os.getpid()}-other.xyz.tmp"
    live.write_text("being written")
    write_json({"a": 1}, tmp_path / "out.json")
    assert not stale.exists() and live.exists()


def test_sigterm_inside_user_errors_removes_the_temporary(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        with user_errors(), atomic_path(tmp_path / "out") as tmp:
            tmp.mkdir()
            os.kill(os.getpid(), signal.SIGTERM)
    assert exit_.value.code == 143
    assert list(tmp_path.iterdir()) == []
    assert capsys.readouterr().err.startswith("error: interrupted by SIGTERM;")
