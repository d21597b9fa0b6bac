"""Printing objects with ``-o``: the formats every kubectl verb that returns objects shares."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.serialize import as_list, to_json, to_yaml

# kubectl's list for verbs without a table printer (run, create, patch, label, ...).
OBJECT_FORMATS = (
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
    "templatefile,yaml"
)


def resource_label(info: Any, name: str) -> str:
    """``pod/web``, ``deployment.apps/web``: how kubectl names an object in its output."""
    prefix = info.singular if not info.group else f"{info.singular}.{info.group}"
    return f"{prefix}/{name}"


def no_printer(output: str, allowed: str = OBJECT_FORMATS) -> KubectlError:
    return KubectlError(
        f'unable to match a printer suitable for the output format "{output}", '
        f"allowed formats are: {allowed}"
    )


def check_object_output(output: str) -> None:
    """Reject an ``-o`` value before anything is changed, as kubectl does."""
    if output and output not in ("yaml", "json", "name"):
        raise no_printer(output)


def print_objects(
    items: list[tuple[Any, dict[str, Any]]], output: str, struct_order: bool = False
) -> str:
    """``-o yaml|json|name`` for one or more (kind info, object) pairs; ``struct_order`` keeps
    a generated object's key order in JSON."""
    if output == "name":
        return "".join(
            resource_label(info, obj["metadata"].get("name", "")) + "\n" for info, obj in items
        )
    objects = [obj for _, obj in items]
    document = objects[0] if len(objects) == 1 else as_list(objects)
    return to_yaml(document) if output == "yaml" else to_json(document, sort_keys=not struct_order)
