"""Saved models load without running code from the file (issue 17 item 1), and save reproducibly."""

import pickle
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from textclf.errors import DataError
from textclf.models.nbsvm import NBSVMClassifier
from textclf.models.saved import load_model_file, load_saved, save_sklearn


class RunsCode:
    """A pickle payload: unpickling it creates ``marker`` (stands in for any command)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


class Unlisted(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self


def toy():
    X = sp.random(40, 12, density=0.3, format="csr", random_state=0)
    return X, np.arange(40) % 2


def test_same_estimator_same_bytes_and_outputs(tmp_path):
    X, y = toy()
    for i in range(2):
        save_sklearn(NBSVMClassifier().fit(X, y), tmp_path / str(i) / "model.skops")
    assert (tmp_path / "0/model.skops").read_bytes() == (tmp_path / "1/model.skops").read_bytes()
    expected = NBSVMClassifier().fit(X, y).predict_proba(X)
    assert np.array_equal(load_saved(tmp_path / "0", 2).predict_output(X), expected)


def test_a_crafted_joblib_pickle_is_never_opened(tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "model.joblib").write_bytes(pickle.dumps(RunsCode(marker)))
    with pytest.raises(DataError, match="neither model.keras nor model.skops"):
        load_saved(tmp_path, 2)
    with pytest.raises(DataError, match="loads only model.skops and model.keras"):
        load_model_file(tmp_path / "model.joblib", 2)
    assert not marker.exists()


def test_a_skops_file_with_an_untrusted_type_is_refused_without_running_it(tmp_path):
    import skops.io as sio

    X, y = toy()
    sio.dump(Unlisted().fit(X, y), tmp_path / "model.skops")
    with pytest.raises(DataError, match="contains types textclf does not trust.*Unlisted"):
        load_saved(tmp_path, 2)


def test_saving_a_type_loading_would_refuse_fails_at_training_time(tmp_path):
    X, y = toy()
    with pytest.raises(TypeError, match="Unlisted would not load"):
        save_sklearn(Unlisted().fit(X, y), tmp_path / "model.skops")
    assert not (tmp_path / "model.skops").exists()
    save_sklearn(LogisticRegression().fit(X, y), tmp_path / "model.skops")  # scikit-learn's own: fine


def test_corrupt_model_files_are_one_clear_error(tmp_path):
    (tmp_path / "model.skops").write_bytes(b"not a zip")
    with pytest.raises(DataError, match="not a loadable skops model"):
        load_saved(tmp_path, 2)


def test_tensorflow_start_up_banners_are_dropped_other_stderr_kept():
    code = (
        "import os, sys, tempfile\n"
        "from textclf.runtime import _stderr_to\n"
        "with tempfile.TemporaryFile() as f, _stderr_to(f):\n"
        "    os.write(2, b'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\\n')\n"
        "    os.write(2, b'I0000 00:00:1795934782.434531    9509 port.cc:153] oneDNN custom operations are on.\\n')\n"
        "    os.write(2, b'E0000 00:00:1.2  3 x.cc:1] a real error\\n')\n"
        "    os.write(2, b'kept\\n')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.splitlines() == ["E0000 00:00:1.2  3 x.cc:1] a real error", "kept"]
