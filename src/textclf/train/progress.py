"""Console progress of the train stage: one tqdm bar per fit on a terminal, one log line per epoch elsewhere.

Keras prints nothing itself (``verbose=0``): folds trained in parallel worker processes would
interleave its lines. Every Keras fit reports events to one :class:`Progress` in the stage's
process instead, directly or, from workers, through a queue (:func:`reporting`), so a single
process writes to the console. Each bar shows the fit, the epoch, the latest losses and the ETA.
Bars are off when stderr is not a terminal or ``CI`` is set (CI, ``dvc queue`` workers, logs to a
file): then each epoch is one ``logging`` line.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

log = logging.getLogger("textclf.train")
BATCH_EVERY_S = 0.2  # at most this often per fit, a batch event crosses from a worker
BAR_FORMAT = "{desc} {percentage:3.0f}%|{bar:20}| [{elapsed}<{remaining}{postfix}]"
BAR_LOGS = ("loss", "val_loss")  # the bar is one line: losses only; log lines carry every metric

Event = tuple  # ("begin", fit, epochs, steps) | ("batch", fit, epoch, step, logs) | ("epoch", fit, epoch, logs) | ("end", fit)
Sink = Callable[[Event], None]


def bars_wanted() -> bool:
    """Progress bars on an interactive terminal only: not in CI, not when stderr is a pipe or file."""
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("1", "true", "yes")


def _scores(logs: dict[str, Any] | None, names: tuple[str, ...] | None = None) -> str:
    return ", ".join(
        f"{name} {float(value):.4f}"
        for name, value in (logs or {}).items()
        if name != "learning_rate" and (names is None or name in names)
    )


class Progress:
    """Renders fit events: a tqdm bar per running fit (``bars=True``) or a log line per epoch.

    A finished fit's bar is replaced by one log line (epochs, last scores, seconds), so the bars on
    screen are the running fits'. Call it with events (it is the sink of :func:`keras_callback`).
    Not thread-safe by itself: :func:`reporting` feeds it from one thread.
    """

    def __init__(self, bars: bool | None = None):
        self.bars = bars_wanted() if bars is None else bars
        self._fits: dict[str, dict[str, Any]] = {}

    def __call__(self, event: Event) -> None:
        kind, fit, *args = event
        getattr(self, f"_{kind}")(fit, *args)

    def _begin(self, fit: str, epochs: int, steps: int) -> None:
        state = {
            "epochs": epochs,
            "steps": max(1, steps),
            "start": time.monotonic(),
            "done": 0,
            "logs": {},
            "bar": None,
        }
        if self.bars:
            from tqdm import tqdm

            state["bar"] = tqdm(
                total=epochs * state["steps"],
                desc=f"{fit:>8}",
                bar_format=BAR_FORMAT,
                file=sys.stderr,
                dynamic_ncols=True,
                leave=False,
            )
            state["bar"].set_postfix_str(f"epoch 1/{epochs}", refresh=True)
        self._fits[fit] = state

    def _advance(self, state: dict[str, Any], position: int, postfix: str) -> None:
        bar = state["bar"]
        if bar is not None:
            bar.update(max(0, position - bar.n))
            bar.set_postfix_str(postfix, refresh=True)

    def _batch(self, fit: str, epoch: int, step: int, logs: dict[str, Any]) -> None:
        state = self._fits[fit]
        self._advance(
            state,
            epoch * state["steps"] + step,
            f"epoch {epoch + 1}/{state['epochs']} {_scores(logs, BAR_LOGS)}".rstrip(),
        )

    def _epoch(self, fit: str, epoch: int, logs: dict[str, Any]) -> None:
        state = self._fits[fit]
        state["done"], state["logs"] = epoch + 1, logs
        self._advance(
            state, (epoch + 1) * state["steps"], f"epoch {epoch + 1}/{state['epochs']} {_scores(logs, BAR_LOGS)}"
        )
        if state["bar"] is None:
            log.info(
                "%s epoch %d/%d: %s (%.1f s)",
                fit,
                epoch + 1,
                state["epochs"],
                _scores(logs),
                time.monotonic() - state["start"],
            )

    def _end(self, fit: str) -> None:
        state = self._fits[fit]
        early = f" (stopped early, of {state['epochs']})" if state["done"] < state["epochs"] else ""
        log.info(
            "%s done: %d epoch(s)%s in %.1f s; %s",
            fit,
            state["done"],
            early,
            time.monotonic() - state["start"],
            _scores(state["logs"]),
        )
        if state["bar"] is not None:  # after the line: tqdm.write redraws the bars below it, then this one goes
            state["bar"].close()


def keras_callback(sink: Sink, fit: str):
    """A Keras callback sending ``fit``'s begin, batch (throttled), epoch and end events to ``sink``."""
    import keras

    class Report(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.epoch, self.last = 0, 0.0
            sink(("begin", fit, int(self.params.get("epochs") or 1), int(self.params.get("steps") or 1)))

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            now = time.monotonic()
            if now - self.last >= BATCH_EVERY_S:
                self.last = now
                sink(("batch", fit, self.epoch, batch + 1, {k: float(v) for k, v in (logs or {}).items()}))

        def on_epoch_end(self, epoch, logs=None):
            sink(("epoch", fit, epoch, {k: float(v) for k, v in (logs or {}).items()}))

        def on_train_end(self, logs=None):
            sink(("end", fit))

    return Report()


@contextlib.contextmanager
def reporting(progress: Progress, workers: bool) -> Iterator[Sink]:
    """A sink for fits in this process (``workers=False``) or in worker processes (a queue's ``put``).

    With workers, a thread drains the queue into ``progress`` until the block ends. Log records
    go through tqdm while bars are shown, so they do not tear them.
    """
    redirect = contextlib.nullcontext()
    if progress.bars:
        from tqdm.contrib.logging import logging_redirect_tqdm

        redirect = logging_redirect_tqdm()
    with redirect:
        if not workers:
            yield progress
            return
        import multiprocessing

        with multiprocessing.Manager() as manager:
            queue = manager.Queue()
            thread = threading.Thread(target=lambda: [progress(e) for e in iter(queue.get, None)], daemon=True)
            thread.start()
            try:
                yield queue.put
            finally:
                queue.put(None)
                thread.join()
