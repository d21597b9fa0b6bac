"""The levels box imports no UI (Textual, Rich): the game screen renders level state, the
levels box decides it. Checked in a fresh interpreter, so nothing else has imported them."""

import ast
from pathlib import Path

from purity_helpers import ui_modules_loaded_by

LEVELS = Path(__file__).resolve().parents[2] / "k8sgame" / "levels"


def test_importing_and_checking_a_level_loads_no_ui_toolkit():
    code = (
        "from k8sgame.levels.pack import find_level\n"
        "from k8sgame.levels.play import LevelRun\n"
        "from k8sgame.levels.checker import check\n"
        "check(LevelRun(find_level('image-typo')))"
    )
    assert ui_modules_loaded_by(code) == []


def test_no_eval_exec_or_unsafe_yaml_in_the_levels_box():
    for path in sorted(LEVELS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec", "compile", "__import__"), path
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("load", "unsafe_load", "full_load") or not (
                    isinstance(node.value, ast.Name) and node.value.id in ("yaml", "pickle")
                ), f"{path}: {node.attr}"
