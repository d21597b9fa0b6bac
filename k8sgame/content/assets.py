"""The one loader of the game's data files in ``assets/``: parsed once, ``yaml.safe_load``
only (no tags that build objects), and PyYAML imported only when a YAML file is first read,
so the game screen's first frame (which reads JSON) does not pay for it.

What comes back is shared: callers read it and must not change it.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from k8sgame.assets import assets_dir


@cache
def load_yaml(name: str) -> Any:
    """``assets/<name>`` parsed as YAML."""
    import yaml

    with (assets_dir() / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def load_json(name: str) -> Any:
    """``assets/<name>`` parsed as JSON."""
    with (assets_dir() / name).open(encoding="utf-8") as handle:
        return json.load(handle)
