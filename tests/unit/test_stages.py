"""Every stage module imports and answers --help without TensorFlow (dvc.yaml cmds stay runnable)."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]


@pytest.mark.parametrize("name", sorted(STAGES))
def test_stage_cmd_is_its_module_and_help_skips_tensorflow(name):
    cmd = STAGES[name]["cmd"].split()
    assert cmd[:3] == ["python", "-m", f"textclf.stages.{name}"], "a stage's cmd is its own module"
    code = (
        f"import sys, runpy\nsys.argv = ['{name}', '--help']\n"
        f"try: runpy.run_module('textclf.stages.{name}', run_name='__main__')\nexcept SystemExit: pass\n"
        "assert 'tensorflow' not in sys.modules, 'TensorFlow imported at module level'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
