"""The Namespace kind. New namespaces get the ``kubernetes.io/metadata.name`` label
(NamespaceDefaultLabelName, 1.21+), the ``kubernetes`` finalizer and phase ``Active``."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.field_selectors import text_value
from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.names import dns1123_label
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import ANY, STRING, STRING_LIST, Struct

NAMESPACE = Struct(
    "Namespace",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct("NamespaceSpec", {"finalizers": STRING_LIST}),
        "status": Struct("NamespaceStatus", {"phase": STRING, "conditions": ANY}),
    },
)
METADATA_NAME_LABEL = "kubernetes.io/metadata.name"
SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


def label_namespace(ns: dict[str, Any], ctx: AdmissionContext) -> None:
    """The metadata-name label is enforced on every write."""
    name = ns["metadata"].get("name", "")
    ns["metadata"].setdefault("labels", {})[METADATA_NAME_LABEL] = name


def prepare_namespace_for_create(ns: dict[str, Any], ctx: AdmissionContext) -> None:
    ns.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
    ns["status"] = {"phase": "Active"}


def namespace_selectable_fields(ns: dict[str, Any]) -> dict[str, str]:
    """``namespace.NamespaceToSelectableFields``."""
    return {"status.phase": text_value((ns.get("status") or {}).get("phase"))}


def namespace_spec_finalizers(ns: dict[str, Any]) -> list[str]:
    """``spec.finalizers``, which the namespace controller clears once the namespace is empty."""
    return list((ns.get("spec") or {}).get("finalizers") or [])


def mark_namespace_terminating(ns: dict[str, Any]) -> None:
    """The namespace REST storage's Delete: the phase turns Terminating."""
    ns.setdefault("status", {})["phase"] = "Terminating"


NAMESPACE_KIND = KindInfo(
    kind="Namespace",
    group="",
    version="v1",
    plural="namespaces",
    namespaced=False,
    schema=NAMESPACE,
    short_names=("ns",),
    name_validator=dns1123_label,
    defaulter=label_namespace,
    prepare_create=prepare_namespace_for_create,
    verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
    selectable_fields=namespace_selectable_fields,
    spec_finalizers=namespace_spec_finalizers,
    prepare_delete=mark_namespace_terminating,
)
