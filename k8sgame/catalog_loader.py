"""Load the shipped image catalog from disk (the engine itself never touches files).

The data lives in ``assets/images.yaml`` at the repository root; a wheel carries it inside the
package as ``k8sgame/_data/assets/`` (see ``pyproject.toml``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from k8sgame.assets import assets_dir
from k8sgame.engine.images.catalog import Catalog, CatalogError
from k8sgame.engine.images.catalog_parser import parse_catalog

CATALOG_FILE = "images.yaml"


def load_catalog_file(path: Path) -> Catalog:
    """Parse one catalog file; errors name the file as well as the image and field."""
    with path.open(encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            raise CatalogError(f"{path}: not valid YAML: {exc}") from None
    try:
        return parse_catalog(data)
    except CatalogError as exc:
        raise CatalogError(f"{path}: {exc}") from None


@lru_cache(maxsize=1)
def load_default_catalog() -> Catalog:
    """The shipped catalog, parsed once per process."""
    return load_catalog_file(assets_dir() / CATALOG_FILE)
