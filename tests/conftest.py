"""Shared fixtures: tiny synthetic corpora and a temporary copy of the repository."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import os
import shutil
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
POSITIVE = "great wonderful superb loved brilliant moving touching fun masterpiece excellent".split()
NEGATIVE = "awful boring terrible hated dull waste worst poor stupid mess".split()
NEUTRAL = "the a film movie plot actor scene story it was and of to this".split()


def synthetic_reviews(n: int, seed: int) -> pd.DataFrame:
    """Balanced English reviews whose sentiment words make the label learnable."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        label = "pos" if i % 2 else "neg"
        cue = POSITIVE if label == "pos" else NEGATIVE
        words = list(rng.choice(NEUTRAL, 12)) + list(rng.choice(cue, 3)) + list(rng.choice(POSITIVE + NEGATIVE, 1))
        rng.shuffle(words)
        rating = int(rng.integers(7, 11) if label == "pos" else rng.integers(1, 5))
        rows.append((i, rating, label, " ".join(words).capitalize() + ".<br /><br />The End!"))
    return pd.DataFrame(rows, columns=["id", "rating", "label", "text"])


def write_csv_gz(frame: pd.DataFrame, path: Path) -> str:
    """Write a gzipped CSV deterministically (mtime 0); return its sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = gzip.compress(frame.to_csv(index=False).encode("utf-8"), mtime=0)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def make_tarball(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    """A .tar.gz of ``members`` (name -> bytes), plus symlinks named ``links`` pointing at /etc/passwd."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name in links:
            link = tarfile.TarInfo(name)
            link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(link)
    return buffer.getvalue()


COPIED = [
    "conf",
    "dvc.yaml",
    "src",
    "pyproject.toml",
    "requirements.lock",
    ".dvcignore",
    ".gitignore",
    "external/stopwords",
    "external/tiny",
]


def run(cmd: list[str], cwd: Path, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a command with this interpreter's bin folder first on PATH (so `dvc` runs our stages)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", **(env or {})}
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    if check and result.returncode:
        raise AssertionError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def set_default(repo: Path, group: str, option: str) -> None:
    """Make ``group=option`` the default of ``repo``'s conf/config.yaml, so plain `dvc repro` and every
    `dvc exp run -S ...` compose with it; the group must already be in the defaults list."""
    config_file = repo / "conf/config.yaml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    entries = [entry for entry in config["defaults"] if isinstance(entry, dict) and group in entry]
    assert len(entries) == 1, f"conf/config.yaml has no default for group {group!r}"
    entries[0][group] = option
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def set_conf_value(repo: Path, path: str, key: str, value) -> None:
    """Set top-level ``key`` of ``repo/conf/<path>`` (the key must exist: a renamed key fails loudly)."""
    conf_file = repo / "conf" / path
    section = yaml.safe_load(conf_file.read_text(encoding="utf-8"))
    assert key in section, f"conf/{path} has no key {key!r}"
    section[key] = value
    conf_file.write_text(yaml.safe_dump(section, sort_keys=False, allow_unicode=True), encoding="utf-8")


def make_tiny_repo(repo: Path, extra: tuple[str, ...] = ()) -> Path:
    """Make ``repo`` a git+DVC copy of the repository (plus ``extra`` paths) whose default config is
    ``debug=tiny``: the tiny synthetic corpus (external/tiny) with small batches."""
    repo.mkdir(parents=True)
    for name in [*COPIED, *extra]:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, repo / name)
    set_default(repo, "debug", "tiny")
    run([sys.executable, "-m", "textclf.cli", "compose"], repo)
    run(["git", "init", "-q"], repo)
    run(["git", "config", "user.email", "test@example.com"], repo)
    run(["git", "config", "user.name", "test"], repo)
    run(["dvc", "init", "-q"], repo)
    run(["dvc", "config", "core.analytics", "false"], repo)
    run(["dvc", "config", "hydra.enabled", "true"], repo)
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", "tiny"], repo)
    return repo


class FileHandler(http.server.BaseHTTPRequestHandler):
    """Serves ``files`` by URL path (404 otherwise); a path in ``lie_about_length`` announces 100 bytes
    more than it sends, like a transfer cut short."""

    files: dict[str, bytes] = {}
    lie_about_length: set[str] = set()

    def do_GET(self):  # noqa: N802 (http.server API)
        data = self.files.get(self.path)
        if data is None:
            self.send_error(404)
            return
        self.send_response(200)
        length = len(data) + (100 if self.path in self.lie_about_length else 0)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """An HTTP server on 127.0.0.1 serving ``FileHandler.files``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FileHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", FileHandler
    httpd.shutdown()
    httpd.server_close()
    FileHandler.files, FileHandler.lie_about_length = {}, set()


def make_bundle(
    folder: Path,
    model: str = "logreg",
    features: dict | None = None,
    text: dict | None = None,
    train_rows: int = 120,
    test_rows: int = 40,
    regression: bool = False,
) -> Path:
    """A bundle made in-process by the stages' own library calls (prepare, featurize, train, export)
    on synthetic reviews: fast (scikit-learn), no DVC. ``regression`` predicts the rating (use
    ``model="majority"``). Returns the bundle folder ``folder/bundle``."""
    from textclf.config import TrainingConfig, parse
    from textclf.data.splits import Fit
    from textclf.environment import describe
    from textclf.features.fit import featurize_fit, load_fit
    from textclf.io import write_json
    from textclf.predict.export import write_bundle
    from textclf.text import TOKENIZERS
    from textclf.text.batch import tokenize_all
    from textclf.text.saved import save_tokenizer
    from textclf.train.estimator import make_estimator

    text = text or {"name": "english", "lower": True, "strip_html": True}
    features = features or {"name": "tfidf", "num_words": None, "ngram_range": [1, 2]}
    tokenizer = TOKENIZERS.build(text)
    prepared, feats, models = folder / "data/prepared", folder / "data/features", folder / "models"
    frames = {}
    for split, (n, seed) in {"train": (train_rows, 1), "test": (test_rows, 2)}.items():
        raw = synthetic_reviews(n, seed)
        label = raw["rating"].astype("float64") if regression else (raw["label"] == "pos").astype("int64")
        frames[split] = pd.DataFrame(
            {"text": tokenize_all(raw["text"].str.strip().tolist(), tokenizer), "label": label, "raw_text": raw["text"]}
        )
        prepared.mkdir(parents=True, exist_ok=True)
        frames[split].to_parquet(prepared / f"{split}.parquet", index=False)
    classes = [] if regression else ["neg", "pos"]
    write_json(classes, prepared / "classes.json")
    save_tokenizer(text, tokenizer, prepared / "text")
    rows = np.arange(train_rows)
    fit = Fit("holdout", rows[train_rows // 4 :], rows[: train_rows // 4])
    featurize_fit(fit, frames["train"], frames["test"], features, feats / "holdout")
    write_json(["holdout"], feats / "fits.json")
    training = parse(TrainingConfig, {"name": "holdout", "batch_size": 32}, "training")
    estimator = make_estimator({"name": model}, training, len(classes))
    fold = load_fit(feats / "holdout")
    estimator.fit(fold["X_train"], fold["y_train"])
    (models / "holdout").mkdir(parents=True)
    estimator.save(models / "holdout")
    params = {
        "dataset": {"name": "tiny", "text_column": "text", "files": [{"name": "train.csv", "sha256": "0" * 64}]},
        "text": text,
        "features": features,
        "model": {"name": model},
        "training": {"name": "holdout", "batch_size": 32},
    }
    report = {"splits": {s: {"rows": len(f)} for s, f in frames.items()}}
    write_bundle(
        folder / "bundle",
        params=params,
        models=models,
        features=feats,
        prepared=prepared,
        metrics={"test": {"accuracy": 1.0}},
        prepare_report=report,
        environment=describe(),
        data_dirs=[prepared],
    )
    return folder / "bundle"


@pytest.fixture(scope="session")
def reproduced_template(tmp_path_factory) -> Path:
    """:func:`make_tiny_repo` after one `dvc repro` (outputs and dvc.lock uncommitted, as a user leaves them)."""
    repo = make_tiny_repo(tmp_path_factory.mktemp("reproduced") / "repo")
    run(["dvc", "repro"], repo)
    return repo


@pytest.fixture(scope="session")
def template_repo(reproduced_template: Path, tmp_path_factory) -> Path:
    """The committed tiny repository with nothing reproduced, whose DVC cache already holds the
    reproduced template's run cache: a test's `dvc repro` checks the unchanged data stages out of it
    (as on a user's second clone) instead of running them again, and runs every stage it changes."""
    repo = tmp_path_factory.mktemp("template") / "repo"
    shutil.copytree(reproduced_template, repo, symlinks=True)
    run(["git", "clean", "-fdxq", "-e", "/.dvc/"], repo)  # outputs and dvc.lock go; .dvc/cache stays
    run(["git", "checkout", "--", "."], repo)
    assert run(["git", "status", "--porcelain"], repo).stdout == ""
    return repo


@pytest.fixture
def tiny_repo(template_repo: Path, tmp_path: Path) -> Path:
    """A private git+DVC copy of the repository whose default config is ``debug=tiny``; nothing reproduced."""
    return shutil.copytree(template_repo, tmp_path / "repo", symlinks=True)


@pytest.fixture
def reproduced_repo(reproduced_template: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny repository right after `dvc repro` (for tests of what comes next)."""
    return shutil.copytree(reproduced_template, tmp_path / "repo", symlinks=True)


def chromium() -> str:
    """The headless browser for the offline-plots checks. Missing: skipped locally, a failure under
    ``CI=true`` (``.ci/run`` installs it), so CI never passes without drawing the plots."""
    found = next(
        (path for name in ("chromium", "chromium-browser", "google-chrome") if (path := shutil.which(name))), None
    )
    if found is None:
        message = "needs chromium for the offline plots check (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def load_script(name: str):
    """Import ``scripts/<name>.py`` as a module (with ``scripts/`` on ``sys.path``, as when it runs)."""
    import importlib.util

    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
