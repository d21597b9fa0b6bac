"""``-o yaml`` and ``-o json`` as kubectl writes them.

kubectl converts JSON to YAML with go-yaml: keys sorted, sequences not indented under their
key, strings that would read as another type double-quoted, other strings a plain scalar
cannot hold (``*/5 * * * *``, ``a: b``, leading spaces) single-quoted, as go-yaml v2's
emitter falls back from plain to single quotes; multi-line strings as ``|`` blocks. JSON is indented by four spaces with keys in order.
"""

from __future__ import annotations

import json
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    plain = dumper.represent_scalar("tag:yaml.org,2002:str", value)
    resolved = dumper.resolve(yaml.ScalarNode, value, (True, False))
    # encode.go stringv: a string that would resolve to another type is double-quoted.
    if value == "" or resolved != "tag:yaml.org,2002:str":
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    # The emitter: where a plain scalar is not allowed, single quotes (PyYAML, like go-yaml,
    # moves on to double quotes if single ones cannot hold the text either).
    if value != value.strip() or (
        any(c in value for c in ":#{}[],&*!|>'\"%@`-?") and _plain_unsafe(value)
    ):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return plain


def _plain_unsafe(value: str) -> bool:
    """Whether a plain scalar would not read back as the same string."""
    try:
        return yaml.safe_load(f"k: {value}") != {"k": value}
    except yaml.YAMLError:
        return True


_Dumper.add_representer(str, _represent_str)


def to_yaml(obj: Any) -> str:
    return yaml.dump(
        obj,
        Dumper=_Dumper,
        default_flow_style=False,
        sort_keys=True,
        allow_unicode=True,
        width=1 << 30,
    )


def to_json(obj: Any, sort_keys: bool = True) -> str:
    """kubectl's JSON: keys sorted for objects read from the server (unstructured maps), in
    Go struct order (the dict's own order) for objects a generator built client-side."""
    return json.dumps(obj, indent=4, ensure_ascii=False, sort_keys=sort_keys) + "\n"


def as_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    """What kubectl prints for several objects: a ``List``."""
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
