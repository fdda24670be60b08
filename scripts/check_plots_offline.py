"""Check that `dvc plots show` (or `dvc plots diff`) renders with no network, in headless Chromium.

Usage (from a repository whose pipeline has run):
    python scripts/check_plots_offline.py [--out DIR]                  # dvc plots show
    python scripts/check_plots_offline.py --revs EXP1 EXP2 [--out DIR]  # dvc plots diff EXP1 EXP2

Steps: `dvc plots show|diff -o DIR`; fail if DIR/index.html has a <script src="http(s)://...">; open
the page in headless Chromium with every http(s) request sent to a dead proxy; count the charts Vega
drew (<canvas> elements in the final DOM) and save a screenshot (DIR/screenshot.png, or --screenshot).
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

from build_plots_template import external_scripts  # a sibling script (scripts/ is on sys.path)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    # Any http(s) fetch goes to a closed port: the page must not need the network.
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--virtual-time-budget=15000",
]
WINDOW = "1400,1600"


def find_chromium() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def chromium(binary: str, page: Path, *args: str, window: str = WINDOW) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run(
            [binary, *FLAGS, f"--window-size={window}", f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=180,
        )


def check(
    out: Path,
    repo: Path = Path("."),
    revs: list[str] | None = None,
    screenshot: Path | None = None,
    window: str = WINDOW,
) -> tuple[int, int, Path]:
    """Render the plots of the workspace (or ``dvc plots diff revs``) into ``out``; screenshot them.

    Returns (plot divs, charts drawn, screenshot path).
    """
    command = ["dvc", "plots", "diff", *revs] if revs else ["dvc", "plots", "show"]
    subprocess.run([*command, "-o", str(out.resolve())], cwd=repo, check=True, capture_output=True)
    page = out / "index.html"
    html = page.read_text(encoding="utf-8")
    if external := external_scripts(html):
        raise SystemExit(
            f"{page} loads scripts from the network: {external}. Check plots.html_template in .dvc/config."
        )
    expected = len(re.findall(r"vegaEmbed\(", html))
    binary = find_chromium()
    if binary is None:
        raise SystemExit("chromium not found: apt-get install -y chromium (or set PATH), then rerun.")
    dom = chromium(binary, page, "--dump-dom", window=window).stdout
    drawn = len(re.findall(r"<canvas\b", dom)) + len(re.findall(r'<svg\b[^>]*class="marks"', dom))
    screenshot = screenshot or out / "screenshot.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    chromium(binary, page, f"--screenshot={screenshot.resolve()}", window=window)
    return expected, drawn, screenshot


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--out", type=Path, default=Path("dvc_plots"), help="where dvc writes index.html (default dvc_plots)"
    )
    p.add_argument("--repo", type=Path, default=Path("."))
    p.add_argument("--revs", nargs="+", help="compare these revisions or experiments (dvc plots diff)")
    p.add_argument("--screenshot", type=Path, help="where to save the screenshot (default OUT/screenshot.png)")
    p.add_argument("--window", default=WINDOW, help=f"browser window WIDTH,HEIGHT in pixels (default {WINDOW})")
    args = p.parse_args(argv)
    expected, drawn, screenshot = check(args.out, args.repo, args.revs, args.screenshot, args.window)
    print(f"{drawn} of {expected} plots drawn offline; screenshot: {screenshot}")
    return 0 if expected and drawn >= expected else 1


if __name__ == "__main__":
    sys.exit(main())
