"""How much of the machine a run may use: worker processes and threads, never hyperparameters.

The ``runtime:`` section of ``params.yaml`` (composed from ``conf/runtime/``) sets them; the
environment variables ``TEXTCLF_N_JOBS``, ``TEXTCLF_THREADS``, ``TEXTCLF_CHUNK_ROWS``,
``TEXTCLF_BACKEND`` and ``TEXTCLF_SCHEDULER`` override it for one shell or one sweep job. No ``dvc.yaml`` stage lists ``runtime``, so changing it reruns nothing, and no output
depends on it: tokenising in N processes or training folds N at a time gives byte-identical
results (tested).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import yaml

from textclf.errors import ConfigError

SECTION = "runtime"
ENV_N_JOBS = "TEXTCLF_N_JOBS"
ENV_THREADS = "TEXTCLF_THREADS"
# What TensorFlow prints on stderr while it loads, before its log level applies (TF_CPP_MIN_LOG_LEVEL).
_TF_BANNER = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\)|I\d{4} [\d:.]+ +\d+ \S+\] )")
ENV_CHUNK_ROWS = "TEXTCLF_CHUNK_ROWS"
ENV_BACKEND = "TEXTCLF_BACKEND"
ENV_SCHEDULER = "TEXTCLF_SCHEDULER"
KEYS = ("name", "n_jobs", "threads", "chunk_rows", "backend", "scheduler")
BACKENDS = ("local", "dask")


@dataclass(frozen=True)
class Runtime:
    """``n_jobs``: worker processes for tokenising and for training folds (``-1`` = all cores).
    ``threads``: TensorFlow threads per process (``None`` = TensorFlow's default, all cores).
    ``chunk_rows``: rows prepare and featurize hold at a time (``None`` = whole splits); peak memory
    follows it, not the corpus size.
    ``backend``: where prepare and featurize run their per-chunk steps: ``local`` (a process pool of
    ``n_jobs``) or ``dask`` (the Dask cluster at ``scheduler``, e.g. ``tcp://10.0.0.5:8786``; ``None``
    starts a local cluster of ``n_jobs`` worker processes for the run)."""

    n_jobs: int = -1
    threads: int | None = None
    chunk_rows: int | None = 25_000
    backend: str = "local"
    scheduler: str | None = None


def available_cores() -> int:
    """Cores this process may run on (respects CPU affinity, e.g. in containers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_n_jobs(n_jobs: int) -> int:
    """``n_jobs <= 0`` means all cores (``-1`` as in scikit-learn)."""
    return available_cores() if n_jobs <= 0 else n_jobs


def _integer(value, where: str, allow_null: bool = False) -> int | None:
    if value is None and allow_null:
        return None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ConfigError(f"{where} must be an integer{' or null' if allow_null else ''}. Received: {where}={value!r}")


def load_runtime(params_file: str | Path = "params.yaml") -> Runtime:
    """The ``runtime`` section of ``params_file`` (defaults if absent), then the environment overrides."""
    section = {}
    path = Path(params_file)
    if path.is_file():
        try:
            section = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(SECTION) or {}
        except yaml.YAMLError:
            section = {}  # the stage's own params check reports a broken params.yaml
    unknown = sorted(set(section) - set(KEYS))
    if unknown:
        raise ConfigError(f"unknown key {SECTION}.{unknown[0]}. Valid keys: {', '.join(KEYS[1:])}.")
    n_jobs = os.environ.get(ENV_N_JOBS, section.get("n_jobs", Runtime.n_jobs))
    threads = os.environ.get(ENV_THREADS, section.get("threads", Runtime.threads))
    if threads in ("", "null"):
        threads = None
    chunk_rows = os.environ.get(ENV_CHUNK_ROWS, section.get("chunk_rows", Runtime.chunk_rows))
    if chunk_rows in ("", "null"):
        chunk_rows = None
    where = ENV_N_JOBS if ENV_N_JOBS in os.environ else f"{SECTION}.n_jobs"
    runtime = Runtime(
        n_jobs=_integer(n_jobs, where),
        threads=_integer(threads, ENV_THREADS if ENV_THREADS in os.environ else f"{SECTION}.threads", allow_null=True),
        chunk_rows=_integer(
            chunk_rows, ENV_CHUNK_ROWS if ENV_CHUNK_ROWS in os.environ else f"{SECTION}.chunk_rows", allow_null=True
        ),
    )
    backend = os.environ.get(ENV_BACKEND, section.get("backend", Runtime.backend))
    if backend not in BACKENDS:
        where = ENV_BACKEND if ENV_BACKEND in os.environ else f"{SECTION}.backend"
        raise ConfigError(f"{where} must be one of {', '.join(BACKENDS)}. Received: {where}={backend!r}")
    scheduler = os.environ.get(ENV_SCHEDULER, section.get("scheduler", Runtime.scheduler)) or None
    runtime = dataclasses.replace(runtime, backend=backend, scheduler=None if scheduler == "null" else scheduler)
    for key in ("threads", "chunk_rows"):
        value = getattr(runtime, key)
        if value is not None and value < 1:
            raise ConfigError(f"{SECTION}.{key} must be at least 1 (or null). Received: {value}")
    return runtime


def limit_tensorflow_threads(threads: int | None) -> None:
    """Cap TensorFlow's thread pools in this process before its first op (``None``: leave the default).

    Cheap when TensorFlow is not imported yet: the caps are also exported as TensorFlow's own
    environment variables, which it reads when it starts.
    """
    if threads is None:
        return
    os.environ["TF_NUM_INTRAOP_THREADS"] = str(threads)
    os.environ["TF_NUM_INTEROP_THREADS"] = str(threads)
    if "tensorflow" not in sys.modules:
        return
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:  # the pools already exist (a reused worker process): they keep their size
        pass


def threads_per_worker(runtime: Runtime, workers: int) -> int | None:
    """TensorFlow threads for each of ``workers`` parallel processes: the configured cap, or a fair share."""
    if runtime.threads is not None:
        return runtime.threads
    return None if workers <= 1 else max(1, available_cores() // workers)


def import_keras():
    """``import keras`` (and TensorFlow) without TensorFlow's start-up banners on stderr.

    TensorFlow's C++ code prints them while it loads, before ``TF_CPP_MIN_LOG_LEVEL`` applies, so
    they are caught at the file-descriptor level; any other line is passed through. The environment
    variable ``TEXTCLF_THREADS`` caps TensorFlow's threads, as for the stages (params.yaml is not read).
    """
    if "keras" in sys.modules:
        return sys.modules["keras"]
    if os.environ.get(ENV_THREADS, "").isdigit():  # e.g. TEXTCLF_THREADS=1 for a server on a shared machine
        limit_tensorflow_threads(int(os.environ[ENV_THREADS]))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with tempfile.TemporaryFile() as captured, _stderr_to(captured):
        import keras
    return keras


@contextlib.contextmanager
def _stderr_to(captured):
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(captured.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        captured.seek(0)
        for line in captured.read().decode("utf-8", "replace").splitlines(keepends=True):
            if not _TF_BANNER.match(line):
                sys.stderr.write(line)


@contextlib.contextmanager
def engine(runtime: Runtime) -> Iterator[Executor | None]:
    """The Dask cluster of ``runtime`` as a ``concurrent.futures`` executor (``None`` for ``local``).

    ``scheduler`` set: connect to that running cluster (its workers need textclf installed, the
    same versions). Not set: start a cluster of ``n_jobs`` single-threaded worker processes on this
    machine for the duration of the block.
    """
    if runtime.backend == "local":
        yield None
        return
    from dask.distributed import Client, LocalCluster

    if runtime.scheduler:
        with Client(runtime.scheduler) as client:
            yield client.get_executor(pure=False)
        return
    with (
        LocalCluster(
            n_workers=resolve_n_jobs(runtime.n_jobs), threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client.get_executor(pure=False)


def ordered_map(executor: Executor, fn: Callable, items: Iterable, window: int) -> Iterator:
    """``map(fn, items)`` on ``executor``, in order, with at most ``window`` tasks (and items) in flight.

    ``Executor.map`` submits every item at once; a window keeps memory at a few chunks.
    """
    pending: deque = deque()
    for item in items:
        pending.append(executor.submit(fn, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
