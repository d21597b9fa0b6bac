"""The engine box never touches the UI, the file system, the wall clock or global randomness."""

import ast
from pathlib import Path

from purity_helpers import imports, ui_modules_loaded_by

ENGINE = Path(__file__).resolve().parents[2] / "k8sgame" / "engine"
FORBIDDEN_MODULES = {
    "textual",
    "rich",
    "pathlib",
    "os",
    "io",
    "shutil",
    "tempfile",
    "glob",
    "time",
    "sqlite3",
    "socket",
    "subprocess",
    "yaml",
}
FORBIDDEN_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("date", "today"),
    ("datetime", "today"),
}
RANDOM_ALLOWED = {"Random"}


def engine_files():
    files = sorted(ENGINE.rglob("*.py"))
    assert len(files) > 20
    return files


def test_engine_modules_import_nothing_forbidden():
    problems = []
    for path in engine_files():
        for node, name in imports(path):
            if isinstance(node, ast.ImportFrom) and name == "random":
                picked = [alias.name for alias in node.names]
                if any(alias not in RANDOM_ALLOWED for alias in picked):
                    problems.append(f"{path.name}: from random import {picked}")
            if name.split(".")[0] in FORBIDDEN_MODULES:
                problems.append(f"{path.name}: imports {name}")
    assert problems == []


def test_engine_calls_no_wall_clock_open_or_global_random():
    problems = []
    for path in engine_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("open", "eval", "exec", "__import__"):
                problems.append(f"{path.name}:{node.lineno}: {func.id}()")
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if (func.value.id, func.attr) in FORBIDDEN_CALLS:
                    problems.append(f"{path.name}:{node.lineno}: {func.value.id}.{func.attr}()")
                if func.value.id == "random" and func.attr not in RANDOM_ALLOWED:
                    problems.append(f"{path.name}:{node.lineno}: random.{func.attr}()")
    assert problems == []


def test_importing_the_engine_loads_no_ui_library():
    code = (
        "import pkgutil, importlib, k8sgame.engine as e\n"
        "for m in pkgutil.walk_packages(e.__path__, 'k8sgame.engine.'): importlib.import_module(m.name)"
    )
    assert ui_modules_loaded_by(code) == []
