"""textclf.train.progress: one writer for the console, bars on a terminal, log lines elsewhere."""

import io
import logging
import re

import pytest

from textclf.train.progress import Progress, bars_wanted, reporting

EVENTS = [
    ("begin", "fold_0", 2, 4),
    ("batch", "fold_0", 0, 2, {"loss": 0.9}),
    ("epoch", "fold_0", 0, {"loss": 0.7, "val_loss": 0.8}),
    ("end", "fold_0"),
]


def test_without_a_terminal_each_epoch_is_one_log_line_and_early_stops_are_told(caplog):
    progress = Progress(bars=False)
    with caplog.at_level(logging.INFO, logger="textclf.train"):
        for event in EVENTS:
            progress(event)
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith("fold_0 epoch 1/2: loss 0.7000, val_loss 0.8000 (")
    assert lines[1].startswith("fold_0 done: 1 epoch(s) (stopped early, of 2) in ")
    assert lines[1].endswith(" s; loss 0.7000, val_loss 0.8000")


def test_bars_show_fit_epoch_losses_and_eta(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    progress = Progress(bars=True)
    for event in EVENTS[:3]:
        progress(event)
    bar = progress._fits["fold_0"]["bar"]
    assert bar.n == 4 and bar.total == 8  # one epoch of two, four steps each
    text = stream.getvalue()
    assert re.search(r"fold_0  50%\|.*\| \[00:00<00:00, epoch 1/2 loss 0.7000, val_loss 0.8000\]", text), text
    progress(EVENTS[3])
    assert bar.disable  # closed (tqdm disables a closed bar); leave=False takes it off the screen


@pytest.mark.parametrize("ci, tty, wanted", [("", True, True), ("true", True, False), ("", False, False)])
def test_bars_only_on_a_terminal_outside_ci(monkeypatch, ci, tty, wanted):
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr("sys.stderr.isatty", lambda: tty, raising=False)
    assert bars_wanted() is wanted


def test_events_from_other_processes_reach_the_one_progress_through_a_queue(caplog):
    progress = Progress(bars=False)
    with caplog.at_level(logging.INFO, logger="textclf.train"):
        with reporting(progress, workers=True) as sink:
            for event in EVENTS[:3]:
                sink(event)
            sink(("epoch", "fold_0", 1, {"loss": 0.5}))
            sink(("end", "fold_0"))
    assert [r.getMessage().split(" (")[0].split(" in ")[0] for r in caplog.records] == [
        "fold_0 epoch 1/2: loss 0.7000, val_loss 0.8000",
        "fold_0 epoch 2/2: loss 0.5000",
        "fold_0 done: 2 epoch(s)",
    ]
