"""Exceptions whose message is meant for the user, and the one wrapper that shows them as one line."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator


class TextclfError(Exception):
    """A user-facing error: the message names the file/key/value and the fix."""


class ConfigError(TextclfError):
    """Invalid or stale configuration."""


class DataError(TextclfError):
    """Invalid input data."""


class Interrupted(BaseException):
    """SIGTERM, raised like ``KeyboardInterrupt`` so ``finally`` blocks remove unfinished outputs."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_received: list[int] = []  # signals caught by user_errors(), even if a library swallowed the exception


def _on_signal(signum, frame):
    _received.append(signum)
    raise KeyboardInterrupt if signum == signal.SIGINT else Interrupted(signum)


def interrupted_message(signum: int) -> str:
    how = " (Ctrl-C)" if signum == signal.SIGINT else ""
    return f"error: interrupted by {signal.Signals(signum).name}{how}; unfinished outputs were discarded. Run the command again."


def exit_quietly_on_ctrl_c() -> None:
    """Until :func:`user_errors` takes over, Ctrl-C ends the process with the one line (no traceback).

    For a command's slow imports, where nothing has been written yet; a SIGINT the parent set to be
    ignored (a background job) stays ignored.
    """

    def _exit(signum, frame):
        print(interrupted_message(signum), file=sys.stderr, flush=True)
        os._exit(128 + signum)

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _exit)


def _exit_interrupted(signum: int) -> None:
    print(interrupted_message(signum), file=sys.stderr)
    sys.exit(128 + signum)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Run a command's body; end it with one line on stderr instead of a traceback.

    A :class:`TextclfError` prints ``error: <message>`` and exits 1; Ctrl-C (SIGINT) or SIGTERM
    prints one ``error: interrupted ...`` line and exits 128 + the signal number (130, 143), after
    the ``finally`` blocks of :func:`textclf.io.atomic_path` have removed unfinished outputs. A
    signal a library turned into another error (pandas' parser) or swallowed still ends that way.
    """
    handled = [signal.SIGTERM] + ([signal.SIGINT] if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN else [])
    previous = {signum: signal.signal(signum, _on_signal) for signum in handled}
    _received.clear()
    try:
        yield
    except KeyboardInterrupt:
        _exit_interrupted(signal.SIGINT)
    except Interrupted as exc:
        _exit_interrupted(exc.signum)
    except TextclfError as exc:
        if _received:
            _exit_interrupted(_received[0])
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if _received:
        _exit_interrupted(_received[0])
