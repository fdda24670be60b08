"""Exceptions whose message is meant for the user, and the one wrapper that shows them as one line."""

from __future__ import annotations

import contextlib
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


def _raise_interrupted(signum, frame):
    raise Interrupted(signum)


def interrupted_message(signum: int) -> str:
    how = " (Ctrl-C)" if signum == signal.SIGINT else ""
    return f"error: interrupted by {signal.Signals(signum).name}{how}; unfinished outputs were discarded. Run the command again."


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Run a command's body; end it with one line on stderr instead of a traceback.

    A :class:`TextclfError` prints ``error: <message>`` and exits 1; Ctrl-C (SIGINT) or SIGTERM
    prints one ``error: interrupted ...`` line and exits 128 + the signal number (130, 143), after
    the ``finally`` blocks of :func:`textclf.io.atomic_path` have removed unfinished outputs.
    """
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        yield
    except TextclfError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print(interrupted_message(signal.SIGINT), file=sys.stderr)
        sys.exit(128 + signal.SIGINT)
    except Interrupted as exc:
        print(interrupted_message(exc.signum), file=sys.stderr)
        sys.exit(128 + exc.signum)
    finally:
        signal.signal(signal.SIGTERM, previous)
