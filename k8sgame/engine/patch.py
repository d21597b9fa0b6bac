"""Patch formats ``kubectl patch`` sends: JSON merge (RFC 7386), JSON patch (RFC 6902) and
strategic merge (lists merged by their patch merge key, e.g. containers by ``name``).

Merge keys are the ``patchMergeKey`` tags of ``core/v1/types.go``.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.objcopy import clone

# list field name -> merge key, for strategic merge.
MERGE_KEYS: dict[str, str] = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "env": "name",
    "volumeMounts": "mountPath",
    "imagePullSecrets": "name",
    "conditions": "type",
    "ownerReferences": "uid",
    "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey",
    "readinessGates": "conditionType",
    "schedulingGates": "name",
    "addresses": "type",
}
# ``ports`` is keyed by what holds it: a container's by containerPort, a Service spec's by
# port; elsewhere (an EndpointSlice's) the list is atomic.
PORT_MERGE_KEYS = {
    "containers": "containerPort",
    "initContainers": "containerPort",
    "ephemeralContainers": "containerPort",
    "spec": "port",
}


def merge_key(field: str, parent: str) -> str | None:
    """The patchMergeKey of list ``field`` inside the object that ``parent`` names (the
    field holding it, or the list its item is in), or None for a list replaced whole."""
    if field == "ports":
        return PORT_MERGE_KEYS.get(parent)
    return MERGE_KEYS.get(field)


# Lists that strategic merge treats as sets of scalars (patchStrategy:merge on []string).
MERGE_SCALAR_LISTS = ("finalizers",)


class PatchError(ValueError):
    """A patch that cannot be applied (message as the API server words it)."""


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge recursively, ``null`` deletes, everything else replaces."""
    if not isinstance(patch, dict):
        return clone(patch)
    result = clone(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge_patch(target: Any, patch: Any, field: str = "", parent: str = "") -> Any:
    """Strategic merge: like merge patch, but keyed lists merge item by item.

    Supports the ``$patch: delete``/``$patch: replace`` directives on list items and maps.
    """
    if isinstance(patch, dict):
        if patch.get("$patch") == "replace":
            return {k: clone(v) for k, v in patch.items() if k != "$patch"}
        if patch.get("$patch") == "delete":
            return None
        result = clone(target) if isinstance(target, dict) else {}
        for key, value in patch.items():
            if key.startswith("$"):
                continue
            if value is None:
                result.pop(key, None)
                continue
            # A list item's fields belong to the list that holds it.
            merged = strategic_merge_patch(result.get(key), value, key, field or parent)
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
        return result
    key = merge_key(field, parent)
    if isinstance(patch, list) and key is not None and isinstance(target, list):
        return _merge_keyed_list(target, patch, key, field)
    if isinstance(patch, list) and field in MERGE_SCALAR_LISTS and isinstance(target, list):
        return list(target) + [v for v in patch if v not in target]
    return clone(patch)


def _merge_keyed_list(target: list[Any], patch: list[Any], key: str, field: str) -> list[Any]:
    result = [clone(item) for item in target]
    for item in patch:
        if not isinstance(item, dict) or key not in item:
            raise PatchError(f"map: {item} does not contain declared merge key: {key}")
        index = next(
            (
                i
                for i, have in enumerate(result)
                if isinstance(have, dict) and have.get(key) == item[key]
            ),
            None,
        )
        if item.get("$patch") == "delete":
            if index is not None:
                result.pop(index)
            continue
        # An item's own fields have the list as their parent.
        if index is None:
            result.append(strategic_merge_patch({}, item, parent=field))
        else:
            result[index] = strategic_merge_patch(result[index], item, parent=field)
    return result


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"the JSON pointer {path!r} does not start with '/'")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(doc: Any, parts: list[str], path: str) -> Any:
    for part in parts:
        if isinstance(doc, dict):
            if part not in doc:
                raise PatchError(f'doc is missing path: "{path}": missing value')
            doc = doc[part]
        elif isinstance(doc, list):
            doc = doc[_index(doc, part, path, allow_end=False)]
        else:
            raise PatchError(f'doc is missing path: "{path}": missing value')
    return doc


def _index(container: list[Any], part: str, path: str, allow_end: bool) -> int:
    if part == "-" and allow_end:
        return len(container)
    if not part.isdigit():
        raise PatchError(f"unable to access invalid index: {part}")
    index = int(part)
    limit = len(container) if allow_end else len(container) - 1
    if index > limit:
        raise PatchError(f"unable to access invalid index: {index}")
    return index


def json_patch(target: Any, operations: Any) -> Any:
    """RFC 6902 operations: add, remove, replace, move, copy, test."""
    if not isinstance(operations, list):
        raise PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = clone(target)
    for op in operations:
        if not isinstance(op, dict) or "op" not in op:
            raise PatchError("Unexpected kind: <nil>")
        kind, path = op.get("op"), str(op.get("path", ""))
        if kind in ("add", "replace", "test") and "value" not in op:
            raise PatchError(f"Unexpected kind: missing value for {kind}")
        if kind == "test":
            if _walk(doc, _pointer(path), path) != op["value"]:
                raise PatchError(f"testing value {path} failed: test failed")
            continue
        if kind in ("move", "copy"):
            source = str(op.get("from", ""))
            value = clone(_walk(doc, _pointer(source), source))
            if kind == "move":
                doc = _remove(doc, source)
            doc = _add(doc, path, value, replace=False)
        elif kind == "add":
            doc = _add(doc, path, clone(op["value"]), replace=False)
        elif kind == "replace":
            _walk(doc, _pointer(path), path)
            doc = _add(doc, path, clone(op["value"]), replace=True)
        elif kind == "remove":
            doc = _remove(doc, path)
        else:
            raise PatchError(f"Unexpected kind: {kind}")
    return doc


def _add(doc: Any, path: str, value: Any, replace: bool) -> Any:
    parts = _pointer(path)
    if not parts:
        return value
    parent = _walk(doc, parts[:-1], path)
    last = parts[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if replace:
            parent[_index(parent, last, path, allow_end=False)] = value
        else:
            parent.insert(_index(parent, last, path, allow_end=True), value)
    else:
        raise PatchError(f'doc is missing path: "{path}": missing value')
    return doc


def _remove(doc: Any, path: str) -> Any:
    parts = _pointer(path)
    if not parts:
        return None
    parent = _walk(doc, parts[:-1], path)
    last = parts[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(f"Unable to remove nonexistent key: {last}: missing value")
        del parent[last]
    elif isinstance(parent, list):
        parent.pop(_index(parent, last, path, allow_end=False))
    else:
        raise PatchError(f'doc is missing path: "{path}": missing value')
    return doc
