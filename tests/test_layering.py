"""The boxes are layered (DESIGN.md): each may import only the ones below it — the engine
nothing of the game's, kubectl the engine, levels and the sandbox kubectl, the game screen
the levels and progress, the command line everything. A new box goes into RANKS."""

from __future__ import annotations

from pathlib import Path

import pytest
from purity_helpers import imports

PACKAGE = Path(__file__).resolve().parents[1] / "k8sgame"
# Lower ranks are imported by higher ones, never the other way round; boxes of one rank
# (levels, progress, the sandbox) do not import each other.
RANKS = {
    "engine": 0,
    "assets": 1,
    "manifests": 1,
    "heap": 1,
    "content": 2,  # the game's own words and text, used by every box but the engine
    "catalog_loader": 3,  # reads the image catalog asset into the engine's model
    "kubectl": 3,
    "datafile": 3,  # safe, located YAML and the schema language for untrusted data files
    "measure": 4,  # engine-measured answers, for levels and the quiz
    "host_prompt": 4,  # the prompt's curl and ssh lines, for levels and the sandbox
    "levels": 5,
    "quiz": 5,
    "progress": 5,
    "sandbox": 5,
    "play": 6,  # the play session: a level being played, Textual-free
    "tui": 7,
    "cli": 8,
    "__main__": 9,
}


def _box(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "k8sgame" or len(parts) == 1:
        return None  # not ours, or the package itself (its version, its path)
    return parts[1].removesuffix(".py")


def _sources() -> list[Path]:
    """Every module but the package's own ``__init__.py``."""
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


def test_every_box_has_a_rank():
    boxes = {path.relative_to(PACKAGE).parts[0].removesuffix(".py") for path in _sources()}
    assert boxes <= set(RANKS)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_box_imports_only_boxes_below_it(path):
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    upward = [
        name
        for _, name in imports(path)
        if (box := _box(name)) is not None and box != own and RANKS[box] >= RANKS[own]
    ]
    assert upward == [], f"{own} (rank {RANKS[own]}) imports {upward}"


# Outside the engine, the cluster is reached only through its API server (``cluster.api``,
# a client that carries a user), never its storage or its components' insides.
_ENGINE_INSIDES = ("store", "apiserver", "kubelets", "registry", "recorder")


@pytest.mark.parametrize(
    "path",
    [p for p in _sources() if p.relative_to(PACKAGE).parts[0] != "engine"],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_other_boxes_reach_the_cluster_only_through_its_api(path):
    import ast

    reached = sorted(
        {
            f"cluster.{node.attr}"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute)
            and node.attr in _ENGINE_INSIDES
            and isinstance(node.value, ast.Attribute | ast.Name)
            and (node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id)
            == "cluster"
        }
    )
    assert reached == [], f"{path.name} reaches into {reached}"
