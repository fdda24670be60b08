"""errors.user_errors: one line and an exit code for user errors, Ctrl-C and SIGTERM (stages and the CLI)."""

import signal
import subprocess
import sys

import pytest

from textclf import cli
from textclf.errors import DataError, user_errors


def exit_code_and_stderr(body, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_:
        with user_errors():
            body()
    return exit_.value.code, capsys.readouterr().err


def raise_(exc):
    def body():
        raise exc

    return body


def test_user_error_is_one_line_and_exit_1(capsys):
    assert exit_code_and_stderr(raise_(DataError("a.csv: no column text. Set dataset.text_column.")), capsys) == (
        1,
        "error: a.csv: no column text. Set dataset.text_column.\n",
    )


def test_ctrl_c_is_one_line_and_exit_130(capsys):
    code, err = exit_code_and_stderr(raise_(KeyboardInterrupt()), capsys)
    assert code == 130
    assert err == "error: interrupted by SIGINT (Ctrl-C); unfinished outputs were discarded. Run the command again.\n"


def test_sigterm_is_one_line_and_exit_143_and_the_handler_is_restored(capsys):
    previous = signal.getsignal(signal.SIGTERM)
    code, err = exit_code_and_stderr(lambda: signal.raise_signal(signal.SIGTERM), capsys)
    assert code == 143 and err.count("\n") == 1 and err.startswith("error: interrupted by SIGTERM;")
    assert signal.getsignal(signal.SIGTERM) is previous


def test_other_exceptions_are_not_hidden():
    with pytest.raises(ZeroDivisionError):
        with user_errors():
            1 / 0  # noqa: B018 (a bug must keep its traceback)


def test_ctrl_c_in_the_textclf_cli(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_compose", interrupted)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["compose"])
    assert exit_.value.code == 130
    assert capsys.readouterr().err.startswith("error: interrupted by SIGINT (Ctrl-C);")


@pytest.fixture
def foreground():
    """SIGINT handled as in a command run from a terminal (a pytest-xdist worker ignores it, like a
    background job, and user_errors() then leaves it ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_that_a_library_turns_into_another_error_still_ends_as_interrupted(foreground, capsys):
    def body():
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:  # e.g. pandas' C parser reports it as a ParserError
            raise DataError("data.csv: cannot parse as delimited text") from None

    code, err = exit_code_and_stderr(body, capsys)
    assert code == 130 and err.startswith("error: interrupted by SIGINT (Ctrl-C);")


def test_ctrl_c_while_a_stage_still_imports_is_one_line():
    code = (
        "import os, signal, sys, time\nsys.argv = ['-m']  # as during `python -m textclf.stages.<name>`\n"
        "import textclf.stages\nos.kill(os.getpid(), signal.SIGINT)\ntime.sleep(10)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert result.returncode == 130
    assert (
        result.stderr
        == "error: interrupted by SIGINT (Ctrl-C); unfinished outputs were discarded. Run the command again.\n"
    )


def test_importing_the_stages_elsewhere_leaves_ctrl_c_alone():
    code = (
        "import signal\nbefore = signal.getsignal(signal.SIGINT)\nimport textclf.stages.split\n"
        "assert signal.getsignal(signal.SIGINT) is before"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
