"""Tokenise many texts, in a process pool when ``n_jobs > 1``; output order is input order.

The result does not depend on ``n_jobs`` or ``chunk_size``: chunks are contiguous
slices, tokenised independently and concatenated in order. :class:`TokenizerPool` keeps one
pool for many batches (streaming prepare), so each worker loads e.g. jieba's dictionary once.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from functools import partial

from tqdm import tqdm

from textclf.runtime import resolve_n_jobs

Tokenizer = Callable[[str], list[str]]
_worker_tokenizer: Tokenizer | None = None
CHUNKS_PER_JOB = 4  # several chunks per worker even out uneven text lengths
MIN_TEXTS_PER_JOB = 1000  # below this a worker's start-up (jieba: ~1 s) costs more than it saves


def _init_worker(tokenizer: Tokenizer) -> None:
    # The tokenizer is pickled to each worker once; jieba then loads its dictionary
    # once per worker, on the first text.
    global _worker_tokenizer
    _worker_tokenizer = tokenizer


def _init_pool_worker(tokenizer: Tokenizer) -> None:
    # Ctrl-C reaches every process of the terminal's group: only the parent handles it (one line,
    # exit 130), workers finish their chunk and are shut down instead of printing tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _init_worker(tokenizer)


def _tokenize_chunk(texts: Sequence[str]) -> list[str]:
    assert _worker_tokenizer is not None, "call _init_worker first"
    return [" ".join(_worker_tokenizer(t)) for t in texts]


def _tokenize_with(tokenizer: Tokenizer, texts: Sequence[str]) -> list[str]:
    # An engine's task: the tokenizer travels with it (jieba still loads once per worker process).
    return [" ".join(tokenizer(t)) for t in texts]


class TokenizerPool:
    """Tokenise batch after batch with one set of worker processes, started on first need.

    Args:
        tokenizer: a picklable callable ``text -> list[str]``.
        n_jobs: worker processes (``-1``: all cores; ``1``: this process only).
        chunk_size: most texts per task sent to a worker (smaller when a batch is small, so every
            worker gets several chunks).
        min_texts_per_job: fewer workers than ``n_jobs`` when each would get fewer texts than this.
        executor: an engine's executor (:func:`textclf.runtime.engine`) to send the chunks to, with
            ``n_jobs`` its worker count; ``None``: this machine's process pool.
    """

    def __init__(
        self,
        tokenizer: Tokenizer,
        n_jobs: int = 1,
        chunk_size: int = 2000,
        min_texts_per_job: int = MIN_TEXTS_PER_JOB,
        executor: Executor | None = None,
    ):
        self.tokenizer = tokenizer
        self.executor = executor
        self.n_jobs = resolve_n_jobs(n_jobs)
        self.chunk_size = chunk_size
        self.min_texts_per_job = min_texts_per_job
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> TokenizerPool:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def tokenize(self, texts: Sequence[str], bar: tqdm | None = None) -> list[str]:
        """Each text's tokens joined by single spaces, in input order."""
        return self.submit(texts, bar)()

    def submit(self, texts: Sequence[str], bar: tqdm | None = None) -> Callable[[], list[str]]:
        """Start tokenising ``texts`` on the workers; the returned call waits for the tokens.

        This process is free meanwhile (e.g. to read the next chunk); in this process alone
        (``n_jobs`` 1) the work happens in the call.
        """
        texts = list(texts)
        n_jobs = min(self.n_jobs, max(1, len(texts) // max(1, self.min_texts_per_job)))
        chunk_size = self.chunk_size
        if n_jobs > 1:
            chunk_size = max(1, min(chunk_size, -(-len(texts) // (n_jobs * CHUNKS_PER_JOB))))
        chunks = [texts[i : i + chunk_size] for i in range(0, len(texts), chunk_size)]
        out: list[str] = []
        if self.executor is not None:
            results = self.executor.map(partial(_tokenize_with, self.tokenizer), chunks)
        elif n_jobs == 1 or len(chunks) <= 1:
            _init_worker(self.tokenizer)
            results = map(_tokenize_chunk, chunks)
        else:
            if self._pool is None:
                # forkserver: workers start from a fresh process, not a copy of this one and the
                # chunk of text it holds (which fork would count again in every worker).
                self._pool = ProcessPoolExecutor(
                    self.n_jobs,
                    mp_context=multiprocessing.get_context("forkserver"),
                    initializer=_init_pool_worker,
                    initargs=(self.tokenizer,),
                )
            results = self._pool.map(_tokenize_chunk, chunks)

        def collect() -> list[str]:
            for chunk, tokens in zip(chunks, results, strict=True):
                out.extend(tokens)
                if bar is not None:
                    bar.update(len(chunk))
            return out

        return collect


def tokenize_all(
    texts: Sequence[str],
    tokenizer: Tokenizer,
    n_jobs: int = 1,
    chunk_size: int = 2000,
    desc: str = "tokenise",
    min_texts_per_job: int = MIN_TEXTS_PER_JOB,
    progress: bool = True,
) -> list[str]:
    """Return each text's tokens joined by single spaces (one batch of :class:`TokenizerPool`).

    Args:
        texts: the documents.
        tokenizer: a picklable callable ``text -> list[str]``.
        n_jobs, chunk_size, min_texts_per_job: as for :class:`TokenizerPool`.
        desc: progress bar label (the bar shows only on a terminal).
        progress: ``False`` hides the bar (callers with their own, e.g. predict).
    """
    texts = list(texts)
    with (
        tqdm(total=len(texts), desc=desc, unit="doc", disable=None if progress else True) as bar,
        TokenizerPool(tokenizer, n_jobs, chunk_size, min_texts_per_job) as pool,
    ):
        return pool.tokenize(texts, bar)
