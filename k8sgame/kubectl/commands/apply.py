"""``kubectl apply -f`` and ``kubectl create -f``.

apply is client-side apply: a new object is created with the
``kubectl.kubernetes.io/last-applied-configuration`` annotation; an existing one gets a
strategic merge of the manifest, with fields dropped since the last apply removed, and prints
``configured`` or ``unchanged``.
"""

from __future__ import annotations

import json
from typing import Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.objcopy import clone
from k8sgame.engine.patch import strategic_merge_patch
from k8sgame.kubectl.errors import KubectlError, server_error
from k8sgame.kubectl.parser import Flag, Invocation, register_verb
from k8sgame.kubectl.result import Result
from k8sgame.manifests import ManifestError, parse_manifests

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

FILE_FLAGS = (Flag("filename", short="f", repeat=True), Flag("dry-run"), Flag("output", short="o"))
register_verb("apply", FILE_FLAGS)
register_verb("create", FILE_FLAGS)


def _documents(session: Any, inv: Invocation) -> list[tuple[str, dict[str, Any]]]:
    paths = inv.flag("filename") or []
    if not paths:
        raise KubectlError("must specify one of -f and -k")
    found = []
    for path in paths:
        for source, text in session.files(path):
            try:
                found.extend((source, m.obj) for m in parse_manifests(text, source))
            except ManifestError as exc:
                raise KubectlError(str(exc)) from None
    return found


def _prepare(session: Any, inv: Invocation, source: str, obj: dict[str, Any]) -> tuple[Any, str]:
    info = session.cluster.registry.get(str(obj.get("kind")))
    api_version = str(obj.get("apiVersion"))
    name = (obj.get("metadata") or {}).get("name", "")
    if info is None or info.api_version != api_version:
        raise KubectlError(
            f'resource mapping not found for name: "{name}" namespace: "{(obj.get("metadata") or {}).get("namespace", "")}" '
            f'from "{source}": no matches for kind "{obj.get("kind")}" in version "{api_version}"',
            "ensure CRDs are installed first",
        )
    wanted = inv.flag("namespace")
    md = obj.setdefault("metadata", {})
    if info.namespaced:
        if md.get("namespace") and wanted and md["namespace"] != wanted:
            raise KubectlError(
                f'the namespace from the provided object "{md["namespace"]}" does not match the namespace "{wanted}". '
                f"You must pass '--namespace={md['namespace']}' to perform this operation."
            )
        md.setdefault("namespace", wanted or session.namespace)
    return info, f"{info.singular if not info.group else info.singular + '.' + info.group}/{name}"


def _three_way(last: Any, manifest: Any) -> Any:
    """The manifest plus deletions of what the last apply set and the manifest dropped."""
    if not isinstance(last, dict) or not isinstance(manifest, dict):
        return manifest
    patch = dict(manifest)
    for key, value in last.items():
        if key not in manifest:
            patch[key] = None
        elif isinstance(value, dict) and isinstance(manifest[key], dict):
            patch[key] = _three_way(value, manifest[key])
    return patch


def run(session: Any, inv: Invocation) -> Result:
    result = Result()
    creating = inv.verb == "create"
    for source, obj in _documents(session, inv):
        try:
            info, label = _prepare(session, inv, source, obj)
        except KubectlError as error:
            result.add(Result(stderr=error.render(), exit_code=1))
            continue
        store = session.cluster.store
        md = obj["metadata"]
        namespace = md.get("namespace", "") if info.namespaced else ""
        try:
            if creating:
                store.create(obj)
                result.stdout += f"{label} created\n"
                continue
            applied = clone(obj)
            applied.setdefault("metadata", {}).setdefault("annotations", {})
            annotation = json.dumps(obj, sort_keys=True, separators=(",", ":")) + "\n"
            applied["metadata"]["annotations"][LAST_APPLIED] = annotation
            live = store.peek(info.kind, md.get("name", ""), namespace)
            if live is None:
                store.create(applied)
                result.stdout += f"{label} created\n"
                continue
            last_text = ((live["metadata"].get("annotations") or {}).get(LAST_APPLIED)) or "{}"
            try:
                last = json.loads(last_text)
            except ValueError:
                last = {}
            patch = _three_way(last, applied)
            merged = strategic_merge_patch(clone(live), patch)
            if merged == live:
                result.stdout += f"{label} unchanged\n"
                continue
            store.update(merged)
            result.stdout += f"{label} configured\n"
        except ApiError as error:
            action = (
                "creating"
                if creating or store.peek(info.kind, md.get("name", ""), namespace) is None
                else "patching"
            )
            result.add(Result(stderr=server_error(error, action, source), exit_code=1))
        session.cluster.settle()
    return result
