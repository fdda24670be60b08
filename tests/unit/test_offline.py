"""scripts/build_plots_template.py: the `dvc plots show` template needs no network."""

from dvc_render.html import render_html
from dvc_render.vega import VegaRenderer

from tests.conftest import ROOT, load_script

offline = load_script("build_plots_template")
LIBRARIES, TEMPLATE, VENDOR_DIR = offline.LIBRARIES, offline.TEMPLATE, offline.VENDOR_DIR
build_template, external_scripts = offline.build_template, offline.external_scripts


def test_committed_template_is_built_from_the_vendored_libraries():
    assert (ROOT / TEMPLATE).read_text(encoding="utf-8") == build_template(ROOT / VENDOR_DIR)
    for name in LIBRARIES:
        assert (ROOT / VENDOR_DIR / name).stat().st_size > 50_000


def test_dvc_config_points_at_the_template():
    config = (ROOT / ".dvc/config").read_text()
    assert "html_template = plots/offline.html" in config  # relative to .dvc/


def test_external_scripts_finds_cdn_tags_only():
    html = (
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script><script src=//cdn.x/y.js></script>'
        '<script src="local.js"></script><script>var u = "https://example.com";</script>'
    )
    assert external_scripts(html) == ["https://cdn.jsdelivr.net/npm/vega@5", "//cdn.x/y.js"]


def test_page_dvc_renders_with_the_template_loads_nothing_from_the_network(tmp_path):
    datapoints = [{"x": 1, "y": 0.5, "rev": "workspace"}, {"x": 2, "y": 0.7, "rev": "workspace"}]
    renderer = VegaRenderer(datapoints, "loss", x="x", y="y", template="simple")
    assert external_scripts(renderer.SCRIPTS)  # DVC's default page would use the CDN...
    render_html([renderer], tmp_path / "index.html", html_template=str(ROOT / TEMPLATE))
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert external_scripts(html) == []  # ...ours inlines the libraries instead
    assert "vegaEmbed(" in html and "cdn.jsdelivr" not in html
    assert html.count("<script>/*") == len(LIBRARIES)
