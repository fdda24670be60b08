"""dvc.yaml code deps cover every textclf module each stage imports, so editing code reruns its stages.

The imports are derived from the source (every ``import`` statement, including those inside
functions, followed transitively), not listed by hand, so the deps cannot drift silently.
"""

from __future__ import annotations

import ast
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]


def module_file(name: str) -> Path | None:
    """``textclf.features.fit`` -> ``src/textclf/features/fit.py`` (or the package's ``__init__.py``)."""
    base = SRC.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(path: Path, package: str) -> set[str]:
    """Dotted names of the textclf modules ``path`` imports (and the packages they sit in)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import submodule`
    found = set()
    for name in names:
        if name == "textclf" or name.startswith("textclf."):
            parts = name.split(".")
            found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))  # parent packages run too
    return {name for name in found if module_file(name)}


def closure(module: str) -> set[Path]:
    """Source files of ``module`` and of everything it imports, transitively."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_file(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        todo.extend(imported_modules(path, package) - seen)
    return {module_file(name).relative_to(ROOT) for name in seen}


def stage_module(cmd: str) -> str:
    words = shlex.split(cmd)
    assert words[:2] == ["python", "-m"], f"stage cmd must be `python -m textclf.stages.<name>`: {cmd}"
    return words[2]


def dep_paths(stage: dict) -> list[str]:
    return [str(d if isinstance(d, str) else next(iter(d))).rstrip("/") for d in stage.get("deps", [])]


def covered(path: Path, deps: list[str]) -> bool:
    return any(path == Path(dep) or Path(dep) in path.parents for dep in deps)


@pytest.mark.parametrize("name", sorted(STAGES))
def test_stage_deps_cover_every_module_the_stage_imports(name):
    stage = STAGES[name]
    deps = dep_paths(stage)
    missing = sorted(str(p) for p in closure(stage_module(stage["cmd"])) if not covered(p, deps))
    assert not missing, f"dvc.yaml stage {name!r} imports code it does not list in deps: {', '.join(missing)}"


def test_closure_follows_imports_inside_functions_and_packages():
    files = closure("textclf.stages.train")
    assert Path("src/textclf/stages/train.py") in files
    assert Path("src/textclf/__init__.py") in files  # a package's __init__ runs on any submodule import
    assert Path("src/textclf/compose.py") in files  # imported inside config.load_params
    assert Path("src/textclf/features/fit.py") in files  # train/fits.py -> features/fit.py


def test_an_uncovered_import_is_reported(tmp_path):
    assert not covered(Path("src/textclf/errors.py"), ["src/textclf/stages/train.py", "src/textclf/data"])
    assert covered(Path("src/textclf/data/readers.py"), ["src/textclf/data"])


def test_every_conf_group_that_composes_params_is_a_dep_of_the_first_stage():
    """Editing conf/ without recomposing must rerun a stage, whose params check then stops the run;
    conf/runtime is the one group left out (processes and threads change no result)."""
    config = yaml.safe_load((ROOT / "conf/config.yaml").read_text(encoding="utf-8"))
    groups = [next(iter(entry)) for entry in config["defaults"] if isinstance(entry, dict)]
    deps = dep_paths(STAGES["download"])
    assert "conf/config.yaml" in deps
    assert sorted(g for g in groups if f"conf/{g}" not in deps) == ["runtime"]


@pytest.mark.parametrize("name", sorted(STAGES))
def test_every_stage_depends_on_the_pinned_environment(name):
    assert "requirements.lock" in dep_paths(STAGES[name]), f"stage {name}: add requirements.lock to its deps"


def test_no_stage_hashes_process_or_thread_counts():
    """Runtime knobs live in params.yaml's `runtime` section, which no stage lists."""
    params = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))

    def keys(node, prefix=""):
        if isinstance(node, dict):
            for key, value in node.items():
                yield f"{prefix}{key}"
                yield from keys(value, f"{prefix}{key}.")

    for name, stage in STAGES.items():
        listed = [str(p) for p in stage.get("params", []) if isinstance(p, str)]
        assert not [p for p in listed if p.split(".")[0] == "runtime"], f"stage {name} lists runtime params"
        for entry in listed:
            node = params
            for part in entry.split("."):
                node = node[part]
            knobs = [k for k in keys(node, entry + ".") if k.rsplit(".", 1)[-1] in ("n_jobs", "threads")]
            assert not knobs, f"stage {name} hashes runtime knobs {knobs}: move them to conf/runtime/"
