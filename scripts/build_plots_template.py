"""Rebuild .dvc/plots/offline.html (the offline `dvc plots show` template) from vendor/vega/.

Run from the repository root after updating the vendored libraries: python scripts/build_plots_template.py
"""

from textclf.evaluate.offline import TEMPLATE, build_template
from textclf.io import write_text

if __name__ == "__main__":
    write_text(build_template(), TEMPLATE)
    print(f"wrote {TEMPLATE} ({TEMPLATE.stat().st_size // 1024} KiB)")
