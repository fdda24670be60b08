"""Check that `dvc plots show` renders with no network: run it, then load the page in headless Chromium.

Usage (from a repository whose pipeline has run):  python scripts/check_plots_offline.py [--out DIR]

Steps: `dvc plots show -o DIR`; fail if DIR/index.html has a <script src="http(s)://...">; open the
page in headless Chromium with every http(s) request sent to a dead proxy; count the charts Vega drew
(<canvas> elements in the final DOM) and save a screenshot (DIR/screenshot.png) to look at.
Exit code 0 when every plot div holds a drawn chart.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from textclf.evaluate.offline import external_scripts

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
    # Any http(s) fetch goes to a closed port: the page must not need the network.
    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--virtual-time-budget=15000", "--window-size=1400,1600",
]


def find_chromium() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def chromium(binary: str, page: Path, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=180)


def check(out: Path, repo: Path = Path(".")) -> tuple[int, int, Path]:
    """Render the plots into ``out``; return (plot divs, charts drawn, screenshot path)."""
    subprocess.run(["dvc", "plots", "show", "-o", str(out.resolve())], cwd=repo, check=True, capture_output=True)
    page = out / "index.html"
    html = page.read_text(encoding="utf-8")
    if external := external_scripts(html):
        raise SystemExit(f"{page} loads scripts from the network: {external}. Check plots.html_template in .dvc/config.")
    expected = len(re.findall(r"vegaEmbed\(", html))
    binary = find_chromium()
    if binary is None:
        raise SystemExit("chromium not found: apt-get install -y chromium (or set PATH), then rerun.")
    dom = chromium(binary, page, "--dump-dom").stdout
    drawn = len(re.findall(r"<canvas\b", dom)) + len(re.findall(r'<svg\b[^>]*class="marks"', dom))
    screenshot = out / "screenshot.png"
    chromium(binary, page, f"--screenshot={screenshot.resolve()}")
    return expected, drawn, screenshot


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("dvc_plots"), help="where dvc writes index.html (default dvc_plots)")
    p.add_argument("--repo", type=Path, default=Path("."))
    args = p.parse_args(argv)
    expected, drawn, screenshot = check(args.out, args.repo)
    print(f"{drawn} of {expected} plots drawn offline; screenshot: {screenshot}")
    return 0 if expected and drawn >= expected else 1


if __name__ == "__main__":
    sys.exit(main())
