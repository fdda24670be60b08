"""`dvc plots show` renders offline: headless Chromium draws every plot (skipped without chromium, except in CI)."""

import shutil
import sys

import pytest
import yaml

from tests.conftest import ROOT, chromium, run

pytestmark = pytest.mark.slow


def test_plots_render_offline_in_headless_chromium(reproduced_repo, tmp_path):
    chromium()
    shutil.copytree(ROOT / ".dvc/plots", reproduced_repo / ".dvc/plots")
    run(["dvc", "config", "plots.html_template", "plots/offline.html"], reproduced_repo)
    out = tmp_path / "plots"
    result = run([sys.executable, str(ROOT / "scripts/check_plots_offline.py"), "--out", str(out)], reproduced_repo)
    n_plots = len(yaml.safe_load((reproduced_repo / "dvc.yaml").read_text())["plots"])
    assert f"{n_plots} of {n_plots} plots drawn offline" in result.stdout
    assert (out / "screenshot.png").stat().st_size > 20_000  # a blank page is a few kB
