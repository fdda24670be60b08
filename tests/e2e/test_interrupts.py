"""Interrupted and concurrent runs: one line and 130/143 on Ctrl-C/SIGTERM, nothing half-old, SIGKILL recovers.

Each test trains the tiny fixture for many epochs so that a signal lands mid-epoch; "mid-training" is
seen in the per-epoch DVCLive files the train stage writes (under its temporary ``.textclf-tmp/``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import run, set_conf_value
from tests.e2e.test_error_matrix import assert_one_documented_line, doc_pattern, documented

pytestmark = pytest.mark.slow
OUTPUTS = ["data", "models", "reports", "dvc.lock"]


def set_epochs(repo: Path, epochs: int) -> None:
    set_conf_value(repo, "training/holdout.yaml", "epochs", epochs)
    run([sys.executable, "-m", "textclf.cli", "compose"], repo)
    run(["git", "commit", "-qam", f"{epochs} epochs"], repo)


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every output file (and dvc.lock) by path, ignoring the leftovers of killed runs."""
    files = {}
    for name in OUTPUTS:
        path = repo / name
        for file in [path] if path.is_file() else sorted(path.rglob("*")):
            if file.is_file() and ".textclf-tmp" not in file.parts:
                files[str(file.relative_to(repo))] = file.read_bytes()
    return files


def wait_for_epochs(repo: Path, process: subprocess.Popen, epochs: int, timeout: float = 300) -> None:
    """Block until the running train stage has logged ``epochs`` epochs (it is then mid-training)."""
    started, deadline = time.time(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        for tsv in repo.glob("reports/**/plots/metrics/train/loss.tsv"):  # reports/live or its temporary
            if tsv.stat().st_mtime >= started and len(tsv.read_text().splitlines()) > epochs:  # header + epochs
                return
        assert process.poll() is None, f"ended before epoch {epochs}: {process.communicate()}"
        time.sleep(0.2)
    raise AssertionError(f"no epoch {epochs} within {timeout} s")


def popen(cmd: list[str], repo: Path) -> subprocess.Popen:
    """Start ``cmd`` with SIGINT handled (a background test runner may have it ignored)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.Popen(
        cmd,
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def test_signal_ends_train_with_one_line_and_keeps_the_last_complete_outputs(reproduced_repo):
    before = snapshot(reproduced_repo)
    set_epochs(reproduced_repo, 500)
    for signum in (signal.SIGINT, signal.SIGTERM):
        train = popen([sys.executable, "-m", "textclf.stages.train"], reproduced_repo)
        wait_for_epochs(reproduced_repo, train, 2)
        train.send_signal(signum)
        _, stderr = train.communicate(timeout=120)
        assert train.returncode == 128 + signum, stderr
        assert_one_documented_line(stderr, "interrupted by")
        assert snapshot(reproduced_repo) == before  # models, reports/live, predictions: the last complete run's
        assert not list(reproduced_repo.rglob(".textclf-tmp"))


def find_stage(parent: subprocess.Popen, stage: str, timeout: float = 120) -> psutil.Process:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in psutil.Process(parent.pid).children(recursive=True):
            try:
                if f"textclf.stages.{stage}" in " ".join(child.cmdline()) and "python" in child.name():
                    return child
            except psutil.NoSuchProcess:
                pass
        time.sleep(0.2)
    raise AssertionError(f"stage {stage} did not start")


def test_sigkill_mid_epoch_then_repro_gives_the_clean_run_byte_for_byte(tiny_repo):
    set_epochs(tiny_repo, 60)
    run(["dvc", "repro"], tiny_repo)
    clean = snapshot(tiny_repo)
    untracked = run(["git", "status", "--porcelain"], tiny_repo).stdout

    repro = popen(["dvc", "repro", "--force", "--single-item", "train"], tiny_repo)
    train = find_stage(repro, "train")
    wait_for_epochs(tiny_repo, repro, 3)
    train.kill()
    repro.communicate(timeout=120)
    assert repro.returncode != 0
    assert run(["git", "status", "--porcelain"], tiny_repo).stdout == untracked, "debris must be gitignored"
    assert list(tiny_repo.rglob(".textclf-tmp")), "SIGKILL leaves the stage's temporaries (in .textclf-tmp/)"

    run(["dvc", "repro"], tiny_repo)
    assert not list(tiny_repo.rglob(".textclf-tmp")), "the rerun removes the killed run's temporaries"
    rerun = snapshot(tiny_repo)
    assert rerun.keys() == clean.keys()
    assert [name for name in clean if rerun[name] != clean[name]] == []
    assert "Data and pipelines are up to date" in run(["dvc", "repro"], tiny_repo).stdout


HOLD_LOCK = """
import sys
from dvc.repo import Repo
with Repo(".").lock:  # what any other dvc command holds while it reads or writes the repository
    print("locked", flush=True)
    sys.stdin.read()
"""


def assert_documented_dvc_error(stderr: str, doc: str) -> None:
    line = next((line for line in stderr.splitlines() if doc in line), stderr)
    assert doc_pattern(documented(doc)).fullmatch(line), line


def test_concurrent_repro_fails_cleanly_or_waits_and_corrupts_nothing(tiny_repo):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK], cwd=tiny_repo, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline() == "locked\n"
    refused = run(["dvc", "repro"], tiny_repo, check=False)
    assert refused.returncode != 0 and not (tiny_repo / "data").exists()
    assert_documented_dvc_error(refused.stderr, "Unable to acquire lock")

    waiting = popen(
        ["dvc", "--wait-for-lock", "repro", "--no-run-cache"], tiny_repo
    )  # prepare must run, not be restored
    time.sleep(2)
    assert waiting.poll() is None, "--wait-for-lock waits for the other command"
    holder.communicate("")  # the other command ends
    prepare = find_stage(waiting, "prepare")
    prepare.suspend()  # a stage is running: its outputs are locked until it ends
    try:
        busy = run(["dvc", "repro"], tiny_repo, check=False)
    finally:
        prepare.resume()
    assert busy.returncode != 0
    assert_documented_dvc_error(busy.stderr, "is busy, it is being blocked by")
    assert waiting.wait(timeout=900) == 0, waiting.communicate()
    assert "Data and pipelines are up to date" in run(["dvc", "repro"], tiny_repo).stdout
    assert "up to date" in run(["dvc", "status"], tiny_repo).stdout
