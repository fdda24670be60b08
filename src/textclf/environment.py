"""What a number was computed with: Python, the numeric packages and the CPU's SIMD level.

The train stage writes this to ``reports/environment.json`` beside the metrics, and
``textclf verify`` prints it next to the committed one, so when a rerun on another machine moves
a metric, the reason (e.g. AVX-512 here, AVX2 there) is in front of the reader.
"""

from __future__ import annotations

import platform
from importlib import metadata

PACKAGES = ("numpy", "scipy", "scikit-learn", "pandas", "pyarrow", "jieba", "tensorflow-cpu", "keras", "dvc")
SIMD_LEVELS = ("X86_V4", "X86_V3", "X86_V2")  # NumPy's names for x86-64-v4 (AVX-512), v3 (AVX2), v2


def simd_level() -> str:
    """The highest x86-64 micro-architecture level this CPU supports (NumPy's detection), or the machine."""
    from numpy._core._multiarray_umath import __cpu_features__

    level = next((name for name in SIMD_LEVELS if __cpu_features__.get(name)), None)
    return f"x86-64-v{level[-1]}" if level else platform.machine()


def describe() -> dict:
    """Python version, CPU level and package versions; equal on machines that compute equal numbers."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu": simd_level(),
        "packages": versions,
    }
