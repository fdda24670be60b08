"""Rebuild .dvc/plots/offline.html: the `dvc plots show` template with vega, vega-lite and vega-embed
inlined, so the plots page works offline.

DVC's default page loads the three libraries from a CDN and stays blank without a network. DVC reads
``plots.html_template`` from ``.dvc/config`` (relative to ``.dvc/``) and replaces ``{plot_divs}`` in
it; leaving out ``{scripts}`` keeps DVC's CDN ``<script>`` tags off the page. The libraries are
vendored from npm in ``vendor/vega/`` (see its README).

Run from the repository root after updating the vendored libraries: python scripts/build_plots_template.py
"""

from __future__ import annotations

import re
from pathlib import Path

from textclf.io import write_text

VENDOR_DIR = Path("vendor/vega")
TEMPLATE = Path(".dvc/plots/offline.html")
LIBRARIES = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")  # load order: vega-lite and embed need vega
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)  # no map files offline
_SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)

PAGE = """<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    {{refresh_tag}}
    <title>DVC plots (offline)</title>
    <!-- textclf offline template: vega, vega-lite and vega-embed are inlined below (BSD-3-Clause,
         University of Washington Interactive Data Lab; licences in vendor/vega/). No network needed. -->
{scripts}
    <style>
        body {{ font-family: sans-serif; margin: 16px; }}
        body > div {{ display: inline-block; vertical-align: top; margin: 8px; }}
        table {{ border-spacing: 15px; }}
    </style>
</head>
<body>
    {{plot_divs}}
</body>
</html>
"""


def build_template(vendor_dir: Path = VENDOR_DIR) -> str:
    """The page with each vendored library inlined in its own ``<script>`` element."""
    scripts = []
    for name in LIBRARIES:
        code = _SOURCE_MAP.sub("", (vendor_dir / name).read_text(encoding="utf-8")).rstrip()
        scripts.append(f"<script>/* {name} (vendor/vega/{name}) */\n{code}\n</script>")
    return PAGE.format(scripts="\n".join(scripts))


def external_scripts(html: str) -> list[str]:
    """``src`` URLs of ``<script>`` elements that would be fetched over http(s) (or protocol-relative)."""
    return [src for src in _SCRIPT_SRC.findall(html) if re.match(r"(?i)(https?:)?//", src)]


if __name__ == "__main__":
    write_text(build_template(), TEMPLATE)
    print(f"wrote {TEMPLATE} ({TEMPLATE.stat().st_size // 1024} KiB)")
