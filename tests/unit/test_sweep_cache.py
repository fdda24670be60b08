"""Build-once cache: keys follow exactly the given params, one build under parallel callers."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from textclf.sweep.cache import build_once, cache_key, code_digest, prune_to_outputs


def test_cache_key_depends_on_params_upstream_and_code_only():
    base = cache_key("featurize", {"features": {"num_words": 10}}, ["abc"], "code")
    assert base == cache_key("featurize", {"features": {"num_words": 10}}, ["abc"], "code")
    assert base != cache_key("featurize", {"features": {"num_words": 11}}, ["abc"], "code")
    assert base != cache_key("featurize", {"features": {"num_words": 10}}, ["abd"], "code")
    assert base != cache_key("featurize", {"features": {"num_words": 10}}, ["abc"], "code2")
    assert base != cache_key("split", {"features": {"num_words": 10}}, ["abc"], "code")


def test_code_digest_follows_src_files(tmp_path):
    (tmp_path / "src/pkg").mkdir(parents=True)
    (tmp_path / "src/pkg/a.py").write_text("x = 1\n")
    before = code_digest(tmp_path, ("src/pkg", "data/raw"))
    assert before == code_digest(tmp_path, ("src/pkg",))  # non-code deps do not count
    (tmp_path / "src/pkg/a.py").write_text("x = 2\n")
    assert code_digest(tmp_path, ("src/pkg",)) != before


def _slow_build(entry: str, log: str) -> None:
    def build(tmp: Path) -> None:
        with open(log, "a") as fh:
            fh.write("built\n")
        time.sleep(0.3)  # long enough for the other processes to queue on the lock
        (tmp / "out.txt").write_text("done")

    build_once(Path(entry), build)
    assert (Path(entry) / "out.txt").read_text() == "done"


def test_build_once_builds_a_single_time_across_processes(tmp_path):
    entry, log = tmp_path / "cache/stage/key", tmp_path / "log.txt"
    procs = [multiprocessing.get_context("spawn").Process(target=_slow_build, args=(str(entry), str(log)))
             for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    assert log.read_text().count("built") == 1
    assert not [p for p in entry.parent.iterdir() if p.name.startswith(".")]  # no temp folders left


def test_build_once_leaves_nothing_when_the_build_fails(tmp_path):
    entry = tmp_path / "stage/key"

    def broken(tmp: Path) -> None:
        (tmp / "half.txt").write_text("half")
        raise RuntimeError("boom")

    try:
        build_once(entry, broken)
    except RuntimeError:
        pass
    assert not entry.exists()
    assert [p.name for p in entry.parent.iterdir()] == ["key.lock"]
    assert build_once(entry, lambda tmp: (tmp / "ok").write_text("1")) is True
    assert build_once(entry, lambda tmp: (tmp / "ok").write_text("2")) is False
    assert (entry / "ok").read_text() == "1"


def test_prune_keeps_only_outputs(tmp_path):
    (tmp_path / "data/prepared").mkdir(parents=True)
    (tmp_path / "data/prepared/train.parquet").write_text("x")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports/prepare.json").write_text("{}")
    (tmp_path / "reports/other.json").write_text("{}")
    (tmp_path / "params.yaml").write_text("a: 1")
    (tmp_path / "data/raw").symlink_to(tmp_path / "data/prepared")
    prune_to_outputs(tmp_path, ("data/prepared", "reports/prepare.json"))
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert left == ["data", "data/prepared", "data/prepared/train.parquet", "reports", "reports/prepare.json"]
